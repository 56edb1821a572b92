"""Statement slides: a bridge between two periods, cash flows, small charts by quarter.

No item of one company is named here: the deck file's ``content:`` lists them.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Literal

from pydantic import Field, field_validator

from reportgen.charts.spec import ChartSpec, Series
from reportgen.data.schema import ItemKey, SlideSpec, Strict
from reportgen.data.validate import balance_checks
from reportgen.model import measures
from reportgen.model.figures import Figure
from reportgen.quarters import Quarter
from reportgen.slides.base import BuildContext, Chart, SlideKind
from reportgen.slides.bodies import BridgeBody, CashFlowsBody, CashFlowSection, UnitBody
from reportgen.slides.cells import Cell, Row, Table, cell, signed
from reportgen.slides.charts import alt_text, gap_note
from reportgen.slides.content import parse_content
from reportgen.slides.plain import plain
from reportgen.slides.shown import FigureText

# The validation rule whose gap the cash-flow slide reports (reportgen/data/validate.py).
CASH_RULE = "cash movement vs cash flows"
SECTIONS = ("operating", "investing", "financing")


class Impact(Strict):
    """An item that weighed on the bridged item, with the wording the company used."""

    item: ItemKey
    label: str
    qualifier: str = ""  # "approximately", "about": the figure is not exact
    remark: str = ""


class BridgeStep(Strict):
    """A step of the bridge: the change in an item between the two periods."""

    item: ItemKey
    # A cost: its rise lowers the bridged item, so the step shows its change negated.
    subtract: bool = Field(False, strict=True)
    # The step's label when the item rose / fell (default "Increase in <item>").
    up: str = ""
    down: str = ""


class BridgeContent(Strict):
    """From an item in one period to the same item now, over the changes in others."""

    item: ItemKey = Field(description="the key of the item bridged")
    from_: Literal["year_ago", "prior_quarter"] = Field("year_ago", alias="from")
    steps: tuple[BridgeStep, ...] = Field(
        min_length=1, description="a list of steps ({item: key, subtract, up, down})"
    )
    # Items beside the chart, then and now (default: the steps' items, then the item).
    table: tuple[ItemKey, ...] = ()
    impacts: tuple[Impact, ...] = ()


class CashFlowContent(Strict):
    """The three cash-flow items, the cash they explain, and commentary under each chart."""

    items: dict[Literal["operating", "investing", "financing"], ItemKey] = Field(
        description="an item key for each of operating, investing and financing"
    )
    cash: ItemKey = Field(description="the key of the cash item the sections explain")
    operating: tuple[str, ...] = ()
    investing: tuple[str, ...] = ()
    financing: tuple[str, ...] = ()

    @field_validator("items")
    @classmethod
    def _every_section(cls, items: dict[str, str]) -> dict[str, str]:
        missing = [name for name in SECTIONS if name not in items]
        if missing:
            raise ValueError(
                f"no item for {missing[0]}; expected one each for {', '.join(SECTIONS)}"
            )
        return items


class QuarterChartsContent(Strict):
    """One small bar chart per item over the last quarters."""

    items: tuple[ItemKey, ...] = Field(
        min_length=1, max_length=4, description="a list of up to 4 item keys"
    )
    quarters: int = Field(default=5, ge=2, le=8, strict=True)


Step = tuple[str, float, bool]


def _base(ctx: BuildContext, content: BridgeContent) -> Quarter:
    return ctx.quarter.year_ago if content.from_ == "year_ago" else ctx.quarter.previous


def _step_label(ctx: BuildContext, step: BridgeStep, rose: bool) -> str:
    own = step.up if rose else step.down
    if own:
        return plain(ctx.commentary.text(own))
    return ctx.messages(
        "bridge.increase" if rose else "bridge.decrease", item=ctx.messages.item(step.item)
    )


def _bridge_steps(
    ctx: BuildContext, content: BridgeContent
) -> tuple[tuple[Step, ...], tuple[Figure, ...]]:
    """The item then, the change in each step's item, the item now.

    Each step with the figure it shows: a subtracted step shows the change negated
    (higher SG&A lowers operating income), and a residual is derived, never hidden.
    """
    t, model, key = ctx.messages, ctx.model, content.item
    now, then = ctx.quarter, _base(ctx, content)
    start = model.value(key, then)
    end = model.value(key, now)
    changes = tuple(model.change(step.item, now, then) for step in content.steps)
    first, last = start.value, end.value
    if first is None or last is None or any(c.value is None for c in changes):
        return (), ()
    label = t.item(key)
    steps: list[Step] = [
        (t("bridge.start", quarter=ctx.short_period(then), item=label), first, True)
    ]
    figures = [start]
    rest = last - first
    for step, change in zip(content.steps, changes, strict=True):
        value = change.value or 0.0
        rest -= -value if step.subtract else value
        shown = (
            replace(change, value=-value, formula=f"-({change.formula})")
            if step.subtract
            else change
        )
        steps.append((_step_label(ctx, step, value >= 0), shown.value or 0.0, False))
        figures.append(shown)
    # Published totals may not tie to the unit; a residual is shown, never hidden.
    if abs(rest) >= 0.5:
        steps.append((t("bridge.other"), rest, False))
        terms = "".join(
            f" + {s.item} change" if s.subtract else f" - {s.item} change" for s in content.steps
        )
        formula = f"{key} {now.name} - {key} {then.name}{terms}"
        figures.append(
            measures.derived(f"{key}:bridge_other", now.name, rest, formula, (end, start, *changes))
        )
    steps.append((t("bridge.end", quarter=ctx.short_period(now), item=label), last, True))
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


def bridge(ctx: BuildContext, spec: SlideSpec) -> tuple[BridgeBody, tuple[Chart, ...]]:
    """An item a year (or a quarter) ago to now, over the steps of the content."""
    t, model, styles = ctx.messages, ctx.model, ctx.styles
    content = parse_content(ctx, spec, BridgeContent)
    now, then = ctx.quarter, _base(ctx, content)
    steps, step_figures = _bridge_steps(ctx, content)
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
    year_ago = content.from_ == "year_ago"
    keys = content.table or (*(step.item for step in content.steps), content.item)
    rows = tuple(
        Row(
            t.item(key),
            (
                cell(model.value(key, then), styles.million),
                cell(model.value(key, now), styles.million),
                cell(model.change(key, now, then), signed(styles.million)),
                cell(model.yoy(key, now) if year_ago else model.qoq(key, now), styles.percent),
            ),
            style="total" if key == content.item else "",
        )
        for key in keys
    )
    table = Table(
        (
            (
                "",
                ctx.short_period(then),
                ctx.short_period(now),
                t("bridge.column_change"),
                t("column.yoy" if year_ago else "column.qoq"),
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
        impacts_title=t(
            "bridge.impacts_title", quarter=ctx.periods.name(now), item=t.item(content.item)
        ),
    ), (chart,)


def _quarter_chart(
    ctx: BuildContext, key: str, width_in: float, height_in: float, count: int = 5
) -> Chart:
    t, model = ctx.messages, ctx.model
    quarters = ctx.quarter.trailing(count)
    figures = tuple(model.value(key, q) for q in quarters)
    # A rate the company reports (same-store sales growth) is labelled as a percentage,
    # its axis too; amounts and counts are whole numbers.
    percent = ctx.dataset.catalogue[key].unit == "percent"
    unit = "pct" if percent else "jpy_m"
    spec = ChartSpec(
        kind="bars",
        categories=tuple(ctx.short_period(q) for q in quarters),
        series=(Series(t.item(key), tuple(f.value for f in figures), unit=unit),),
        stacked=False,
        totals=False,
        legend=False,
        width_in=width_in,
        height_in=height_in,
        left_unit=unit,
        edition=ctx.language,
    )
    return Chart(
        spec,
        alt_text(spec, "%" if percent else t("unit.jpy_million"), t),
        gap_note(spec, t),
        t.item(key),
        figures=(figures,),
    )


def cash_flows(ctx: BuildContext, spec: SlideSpec) -> tuple[CashFlowsBody, tuple[Chart, ...]]:
    """The three cash-flow sections over five quarters, with commentary."""
    t, model = ctx.messages, ctx.model
    content = parse_content(ctx, spec, CashFlowContent)
    charts, sections = [], []
    for name in SECTIONS:
        key = content.items[name]
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
        notes = (*gaps, _cash_gap(ctx, content))
    return CashFlowsBody(t("unit.jpy_million"), tuple(sections), notes), tuple(charts)


def _cash_gap(ctx: BuildContext, content: CashFlowContent) -> FigureText:
    """The note that the three sections do not explain the change in cash, with both sums."""
    model, numbers, now = ctx.model, ctx.numbers, ctx.quarter
    keys = tuple(content.items[name] for name in SECTIONS)
    flows = tuple(model.value(key) for key in keys)
    total = sum(f.value or 0.0 for f in flows)
    cash = content.cash
    summed = " + ".join(keys)
    sections = measures.derived(f"{cash}:sections_sum", now.name, total, summed, flows)
    change = model.qoq_change(cash)
    gap = measures.derived(
        f"{cash}:unexplained",
        now.name,
        total - (change.value or 0.0),
        f"({summed}) - {cash} change",
        (*flows, change),
    )
    shown = tuple((f, numbers.jpy_million(f.value)) for f in (sections, change, gap))
    slots = FigureText.slot
    text = ctx.messages("cash_flow.gap", sections=slots(0), change=slots(1), gap=slots(2))
    return FigureText(text, shown)


def quarter_charts(ctx: BuildContext, spec: SlideSpec) -> tuple[UnitBody, tuple[Chart, ...]]:
    """One small chart per item; a panel says so where none is disclosed."""
    content = parse_content(ctx, spec, QuarterChartsContent)
    charts = tuple(_quarter_chart(ctx, key, 2.9, 2.4, content.quarters) for key in content.items)
    drawn = [c for c in charts if not c.spec.empty]
    # With nothing disclosed at all, each panel says so and no unit is shown for no figures;
    # the money unit only where every chart is money (store counts are not EUR thousand).
    money = all(ctx.dataset.catalogue[key].unit == "money" for key in content.items)
    unit = ctx.messages("unit.jpy_million") if drawn and money else ""
    return UnitBody(unit), charts


KINDS = {
    "bridge": SlideKind("slides/bridge.html", bridge, content=BridgeContent),
    "cash_flows": SlideKind(
        "slides/cash_flows.html", cash_flows, "slide.cash_flows", content=CashFlowContent
    ),
    "quarter_charts": SlideKind(
        "slides/quarter_charts.html", quarter_charts, content=QuarterChartsContent
    ),
}
