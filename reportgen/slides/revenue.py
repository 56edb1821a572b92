"""Revenue and cost slides: revenues, cost of revenues, SG&A, and results by service.

Each builder returns one breakdown chart (see ``breakdown_charts``) and, where
the slide has one, a callout or a box of factors; the bullets come from the
deck file with their figures as placeholders.
"""

from __future__ import annotations

from reportgen.data.schema import SlideSpec, Strict
from reportgen.slides.base import BuildContext, Builder, Chart, SlideKind
from reportgen.slides.bodies import BreakdownBody, Callout, Factors
from reportgen.slides.breakdown_charts import QUARTERS_SHOWN, Line, Part, breakdown_chart
from reportgen.slides.cells import Cell, Row, Table, cell
from reportgen.slides.commentary import RenderedBullet
from reportgen.slides.content import parse_content
from reportgen.slides.shown import FigureText

REVENUE_PARTS = (
    Part("revenue_connectivity_outsourcing", 0),
    Part("revenue_si", 1),
    Part("revenue_equipment", 3),
)
COST_PARTS = (
    Part("cost_connectivity_outsourcing", 0),
    Part("cost_si", 1),
    Part("cost_equipment", 3),
)
SGA_PARTS = (Part("sga_sales_marketing", 0), Part("sga_general_admin", 1), Part("sga_rnd", 4))
CONNECTIVITY_PARTS = (
    Part("revenue_home", 2),
    Part("revenue_corporate", 0),
    Part("revenue_outsourcing", 1),
)
CONNECTIVITY_COST_PARTS = (
    Part("cost_co_circuit", 0),
    Part("cost_co_network_operation", 1),
    Part("cost_co_personnel", 2),
    Part("cost_co_outsourcing", 3),
    Part("cost_co_other", 5),
)
SI_PARTS = (Part("revenue_systems_construction", 1), Part("revenue_systems_operation", 0))
SI_COST_PARTS = (
    Part("cost_si_purchasing", 0),
    Part("cost_si_personnel", 1),
    Part("cost_si_outsourcing", 2),
    Part("cost_si_other", 3),
)
GROSS_MARGIN_LINES = (
    Line("gross_margin_co", "revenue.chart.gm_ratio_co"),
    Line("gross_margin_si", "revenue.chart.gm_ratio_si"),
)


def _body(
    ctx: BuildContext,
    *,
    callout: Callout | None = None,
    factors: Factors | None = None,
    series_table: Table | None = None,
    series_note: str = "",
) -> BreakdownBody:
    """Every slide of this module has the same body, so one template serves them all."""
    return BreakdownBody(
        ctx.messages("unit.jpy_million"), callout, factors, series_table, series_note
    )


def revenues(ctx: BuildContext, spec: SlideSpec) -> tuple[BreakdownBody, tuple[Chart, ...]]:
    """Slide 2: revenues by business over five quarters, with the recurring share."""
    chart = breakdown_chart(
        ctx,
        total="revenue",
        parts=REVENUE_PARTS,
        lines=(Line("revenue_recurring", "revenue.chart.recurring_share"),),
    )
    return _body(ctx), (chart,)


def cost_of_revenues(ctx: BuildContext, spec: SlideSpec) -> tuple[BreakdownBody, tuple[Chart, ...]]:
    """Slide 3: cost of revenues by business, with each business's gross margin ratio."""
    chart = breakdown_chart(ctx, total="cost", parts=COST_PARTS, lines=GROSS_MARGIN_LINES)
    return _body(ctx), (chart,)


def sga(ctx: BuildContext, spec: SlideSpec) -> tuple[BreakdownBody, tuple[Chart, ...]]:
    """Slide 4: SG&A and R&D by type, with their share of revenues."""
    chart = breakdown_chart(
        ctx,
        total="sga",
        parts=SGA_PARTS,
        lines=(Line("sga", "revenue.chart.sga_ratio"),),
    )
    return _body(ctx), (chart,)


def connectivity_revenue(
    ctx: BuildContext, spec: SlideSpec
) -> tuple[BreakdownBody, tuple[Chart, ...]]:
    """Slide 7: connectivity and outsourcing revenues by line, with contracted bandwidth.

    The title names the bandwidth, so the slide always shows its series: as a line
    over the bars when every quarter has it, else as a row of figures under the chart
    with ``n/a`` where this data set lacks it (IIJ published it; no stored source
    gives it), never an invented point.
    """
    bandwidth = Line("bandwidth_gbps", "revenue.chart.bandwidth", unit="gbps")
    quarters = ctx.quarter.trailing(QUARTERS_SHOWN)
    values = [ctx.model.value(bandwidth.key, q) for q in quarters]
    complete = not any(v.missing for v in values)
    chart = breakdown_chart(
        ctx,
        total="revenue_connectivity_outsourcing",
        parts=CONNECTIVITY_PARTS,
        lines=(bandwidth,) if complete else (),
        width_in=4.8,
        height_in=3.6 if complete else 3.2,
    )
    factors = _factors(ctx, spec)
    if complete:
        return _body(ctx, factors=factors), (chart,)
    t = ctx.messages
    row = Row(
        t(bandwidth.label_key),
        tuple(
            Cell(t("revenue.bandwidth.not_available"), fig.provenance, fig.status, figure=fig)
            if fig.missing
            else cell(fig, lambda v: ctx.numbers.number(v, 1))
            for fig in values
        ),
    )
    header = (("", *(ctx.short_period(q) for q in quarters)),)
    table = Table(header, (row,), ("label", *("num",) * len(quarters)))
    body = _body(ctx, factors=factors, series_table=table, series_note=t("revenue.bandwidth.note"))
    return body, (chart,)


def connectivity_cost(
    ctx: BuildContext, spec: SlideSpec
) -> tuple[BreakdownBody, tuple[Chart, ...]]:
    """Slide 8: cost of connectivity and outsourcing services by type."""
    chart = breakdown_chart(
        ctx,
        total="cost_connectivity_outsourcing",
        parts=CONNECTIVITY_COST_PARTS,
    )
    return _body(ctx), (chart,)


def si_revenue(ctx: BuildContext, spec: SlideSpec) -> tuple[BreakdownBody, tuple[Chart, ...]]:
    """Slide 9: SI revenues, construction against operation, with SI gross margin ratio."""
    chart = breakdown_chart(
        ctx,
        total="revenue_si",
        parts=SI_PARTS,
        lines=(GROSS_MARGIN_LINES[1],),
        height_in=2.9,
    )
    return _body(ctx, callout=_wip_callout(ctx)), (chart,)


def si_cost(ctx: BuildContext, spec: SlideSpec) -> tuple[BreakdownBody, tuple[Chart, ...]]:
    """Slide 10: cost of SI by type."""
    chart = breakdown_chart(ctx, total="cost_si", parts=SI_COST_PARTS)
    return _body(ctx), (chart,)


def _wip_callout(ctx: BuildContext) -> Callout | None:
    """Revenue and income held in SI work in process; no callout if either is not disclosed."""
    t = ctx.messages
    lines = []
    for key, message in (
        ("si_wip_unrealized_revenue", "revenue.si_wip.revenue"),
        ("si_wip_unrealized_income", "revenue.si_wip.income"),
    ):
        figure = ctx.model.value(key)
        if figure.missing:
            return None
        amount = ctx.numbers.jpy_million(figure.value)
        lines.append(FigureText(t(message, amount=FigureText.slot(0)), ((figure, amount),)))
    return Callout(t("revenue.si_wip.title"), tuple(lines))


class FactorsContent(Strict):
    """The box of main factors a deck file may give a breakdown slide."""

    factors_title: str = ""
    factors: tuple[str, ...] | None = None


def _factors(ctx: BuildContext, spec: SlideSpec) -> Factors | None:
    """The factors box, if the deck file gives ``content.factors``."""
    content = parse_content(ctx, spec, FactorsContent)
    if content.factors is None:
        return None
    bullets: tuple[RenderedBullet, ...] = ctx.commentary.bullets(content.factors)
    return Factors(ctx.commentary.text(content.factors_title), bullets)


def _kind(name: str, build: Builder) -> SlideKind:
    return SlideKind("slides/breakdown.html", build, f"slide.{name}", content=FactorsContent)


KINDS = {
    "revenues": _kind("revenues", revenues),
    "cost_of_revenues": _kind("cost_of_revenues", cost_of_revenues),
    "sga": _kind("sga", sga),
    "connectivity_revenue": _kind("connectivity_revenue", connectivity_revenue),
    "connectivity_cost": _kind("connectivity_cost", connectivity_cost),
    "si_revenue": _kind("si_revenue", si_revenue),
    "si_cost": _kind("si_cost", si_cost),
}
