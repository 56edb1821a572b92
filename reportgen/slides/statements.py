"""Statement slides: the operating income bridge, cash flows and other financial data."""

from __future__ import annotations

from dataclasses import replace

from reportgen.charts.spec import ChartSpec, Series
from reportgen.data.schema import ItemKey, SlideSpec, Strict
from reportgen.data.validate import balance_checks
from reportgen.model import measures
from reportgen.model.figures import Figure
from reportgen.slides.base import BuildContext, Chart, SlideKind
from reportgen.slides.bodies import BridgeBody, CashFlowsBody, CashFlowSection, UnitBody
from reportgen.slides.cells import Cell, Row, Table, cell, signed
from reportgen.slides.charts import alt_text, gap_note
from reportgen.slides.content import parse_content
from reportgen.slides.plain import plain
from reportgen.slides.shown import FigureText

BRIDGE_TABLE_ITEMS = ("gross_margin", "sga", "operating_income")
CASH_FLOW_SECTIONS = (
    ("operating", "cf_operating"),
    ("investing", "cf_investing"),
    ("financing", "cf_financing"),
)
OTHER_DATA_ITEMS = ("capex", "adjusted_ebitda", "depreciation")
# The validation rule whose gap the cash-flow slide reports (reportgen/data/validate.py).
CASH_RULE = "cash movement vs cash flows"


class Impact(Strict):
    """An item that weighed on operating income, with the wording the company used."""

    item: ItemKey
    label: str
    qualifier: str = ""  # "approximately", "about": the figure is not exact
    remark: str = ""


class BridgeContent(Strict):
    impacts: tuple[Impact, ...] = ()


class CashFlowContent(Strict):
    """Commentary under each of the three cash-flow charts (placeholders allowed)."""

    operating: tuple[str, ...] = ()
    investing: tuple[str, ...] = ()
    financing: tuple[str, ...] = ()


Step = tuple[str, float, bool]


def _bridge_steps(ctx: BuildContext) -> tuple[tuple[Step, ...], tuple[Figure, ...]]:
    """Operating income a year ago, the gross margin and SG&A changes, operating income now.

    Each step with the figure it shows: the SG&A step shows the change negated
    (higher SG&A lowers operating income), and a residual is derived, never hidden.
    """
    t, model = ctx.messages, ctx.model
    now, then = ctx.quarter, ctx.quarter.year_ago
    start = model.value("operating_income", then)
    end = model.value("operating_income", now)
    margin = model.change("gross_margin", now, then)
    sga = model.change("sga", now, then)
    first, last, up, spent = start.value, end.value, margin.value, sga.value
    if first is None or last is None or up is None or spent is None:
        return (), ()
    margin_word = "up" if up >= 0 else "down"
    sga_word = "up" if spent >= 0 else "down"
    lowers = replace(sga, value=-spent, formula=f"-({sga.formula})")
    steps: list[Step] = [
        (t("bridge.start", quarter=ctx.short_period(then)), first, True),
        (t(f"bridge.gross_margin_{margin_word}"), up, False),
        (t(f"bridge.sga_{sga_word}"), -spent, False),
    ]
    figures = [start, margin, lowers]
    # Published totals may not tie to the unit; a residual is shown, never hidden.
    rest = last - first - up + spent
    if abs(rest) >= 0.5:
        steps.append((t("bridge.other"), rest, False))
        inputs = (end, start, margin, sga)
        formula = (
            f"operating_income {now.name} - operating_income {then.name}"
            " - gross_margin change + sga change"
        )
        figures.append(
            measures.derived("operating_income:bridge_other", now.name, rest, formula, inputs)
        )
    steps.append((t("bridge.end", quarter=ctx.short_period(now)), last, True))
    figures.append(end)
    return tuple(steps), tuple(figures)


def _impact_label(ctx: BuildContext, impact: Impact) -> str:
    """The impact's label (and remark) as plain text: a row label reaches the data pack too."""
    label = plain(ctx.commentary.text(impact.label))
    if not impact.remark:
        return label
    remark = plain(ctx.commentary.text(impact.remark))
    return ctx.messages("bridge.impact_remark", label=label, remark=remark)


def _impact_cell(ctx: BuildContext, figure: Figure, qualifier: str) -> Cell:
    """``approximately 186``: the company's own hedge stays next to the figure."""
    base = cell(figure, ctx.styles.million)
    text = (
        ctx.messages("bridge.qualified", qualifier=qualifier, amount=base.text)
        if qualifier and not figure.missing
        else base.text
    )
    # The value stays with the text, so the data pack and the CSV carry the amount.
    return replace(base, text=text)


def operating_income_bridge(
    ctx: BuildContext, spec: SlideSpec
) -> tuple[BridgeBody, tuple[Chart, ...]]:
    """Slide 6: operating income a year ago to now, through gross margin and SG&A."""
    t, model, styles = ctx.messages, ctx.model, ctx.styles
    content = parse_content(ctx, spec, BridgeContent)
    now, then = ctx.quarter, ctx.quarter.year_ago
    steps, step_figures = _bridge_steps(ctx)
    chart_spec = ChartSpec(
        kind="waterfall",
        categories=(),
        series=(),
        steps=steps,
        legend=False,
        width_in=5.0,
        height_in=3.7,
        edition=ctx.language,
    )
    chart = Chart(
        chart_spec,
        alt_text(chart_spec, t("unit.jpy_million"), t),
        gap_note(chart_spec, t) if chart_spec.empty else "",
        step_figures=step_figures,
    )
    rows = tuple(
        Row(
            t.item(key),
            (
                cell(model.value(key, then), styles.million),
                cell(model.value(key, now), styles.million),
                cell(model.change(key, now, then), signed(styles.million)),
                cell(model.yoy(key, now), styles.percent),
            ),
            style="total" if key == "operating_income" else "",
        )
        for key in BRIDGE_TABLE_ITEMS
    )
    table = Table(
        (
            (
                "",
                ctx.short_period(then),
                ctx.short_period(now),
                t("bridge.column_change"),
                t("column.yoy"),
            ),
        ),
        rows,
        ("label", "num", "num", "num", "num"),
    )
    impacts = Table(
        (("", t("bridge.column_amount")),),
        tuple(
            Row(
                _impact_label(ctx, impact),
                (_impact_cell(ctx, model.value(impact.item, now), impact.qualifier),),
            )
            for impact in content.impacts
        ),
        ("label", "num"),
    )
    return BridgeBody(
        unit=t("unit.jpy_million"),
        table=table,
        impacts=impacts,
        impacts_title=t("bridge.impacts_title", quarter=ctx.periods.name(now)),
    ), (chart,)


def _quarter_chart(ctx: BuildContext, key: str, width_in: float, height_in: float) -> Chart:
    t, model = ctx.messages, ctx.model
    quarters = ctx.quarter.trailing(5)
    figures = tuple(model.value(key, q) for q in quarters)
    spec = ChartSpec(
        kind="bars",
        categories=tuple(ctx.short_period(q) for q in quarters),
        series=(Series(t.item(key), tuple(f.value for f in figures)),),
        stacked=False,
        totals=False,
        legend=False,
        width_in=width_in,
        height_in=height_in,
        edition=ctx.language,
    )
    return Chart(
        spec,
        alt_text(spec, t("unit.jpy_million"), t),
        gap_note(spec, t),
        t.item(key),
        figures=(figures,),
    )


def cash_flows(ctx: BuildContext, spec: SlideSpec) -> tuple[CashFlowsBody, tuple[Chart, ...]]:
    """Slide 14: the three cash-flow sections over five quarters, with commentary."""
    t, model = ctx.messages, ctx.model
    content = parse_content(ctx, spec, CashFlowContent)
    charts, sections = [], []
    for name, key in CASH_FLOW_SECTIONS:
        charts.append(_quarter_chart(ctx, key, 2.9, 2.05))
        figure = model.value(key)
        value = figure.value
        direction = "used" if value is not None and value < 0 else "provided"
        # "used in" already says the cash went out: its size follows, no
        # parentheses or △ (they would read as a double negative).
        amount = ctx.numbers.magnitude(value)
        headline = t(
            f"cash_flow.{direction}", activity=t(f"cash_flow.activity.{name}"), amount=amount
        )
        sections.append(
            CashFlowSection(
                FigureText(headline, ((figure, amount),)),
                value is not None and value < 0,
                tuple(ctx.commentary.text(p) for p in getattr(content, name)),
            )
        )
    # The charts share their quarters, so their gap note is said once, under all three.
    gaps = tuple(dict.fromkeys(c.footnote for c in charts if c.footnote))
    charts = [c if c.spec.empty else replace(c, footnote="") for c in charts]
    checks = balance_checks(ctx.dataset.root, ctx.dataset.figures, [ctx.quarter.name])
    notes: tuple[str | FigureText, ...] = gaps
    if any(c.name == CASH_RULE and c.severity != "ok" for c in checks):
        notes = (*gaps, _cash_gap(ctx))
    return CashFlowsBody(t("unit.jpy_million"), tuple(sections), notes), tuple(charts)


def _cash_gap(ctx: BuildContext) -> FigureText:
    """The note that the three sections do not explain the change in cash, with both sums."""
    model, numbers, now = ctx.model, ctx.numbers, ctx.quarter
    flows = tuple(model.value(key) for _, key in CASH_FLOW_SECTIONS)
    total = sum(f.value or 0.0 for f in flows)
    sections = measures.derived(
        "cash:sections_sum", now.name, total, "cf_operating + cf_investing + cf_financing", flows
    )
    change = model.qoq_change("cash")
    gap = measures.derived(
        "cash:unexplained",
        now.name,
        total - (change.value or 0.0),
        "(cf_operating + cf_investing + cf_financing) - cash change",
        (*flows, change),
    )
    shown = tuple((f, numbers.jpy_million(f.value)) for f in (sections, change, gap))
    slots = FigureText.slot
    text = ctx.messages("cash_flow.gap", sections=slots(0), change=slots(1), gap=slots(2))
    return FigureText(text, shown)


def other_financial_data(ctx: BuildContext, spec: SlideSpec) -> tuple[UnitBody, tuple[Chart, ...]]:
    """Slide 15: CAPEX, adjusted EBITDA and D&A; a panel says so where none is disclosed."""
    charts = tuple(_quarter_chart(ctx, key, 2.9, 2.4) for key in OTHER_DATA_ITEMS)
    drawn = [c for c in charts if not c.spec.empty]
    # With nothing disclosed at all, each panel says so and no unit is shown for no figures.
    unit = ctx.messages("unit.jpy_million") if drawn else ""
    return UnitBody(unit), charts


KINDS = {
    "operating_income_bridge": SlideKind(
        "slides/operating_income_bridge.html",
        operating_income_bridge,
        "slide.operating_income_bridge",
        content=BridgeContent,
    ),
    "cash_flows": SlideKind(
        "slides/cash_flows.html", cash_flows, "slide.cash_flows", content=CashFlowContent
    ),
    "other_financial_data": SlideKind(
        "slides/other_financial_data.html", other_financial_data, "slide.other_financial_data"
    ),
}
