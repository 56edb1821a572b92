"""Statement slides: a table of any items, a margin chart, the cumulative period view.

No item of one company is named here: the deck file's ``content:`` lists them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import Field, model_validator

from reportgen.charts.spec import ChartSpec, Series
from reportgen.data.schema import ItemKey, SlideSpec, Strict
from reportgen.errors import DataError
from reportgen.model import measures
from reportgen.model.figures import Figure, Figures
from reportgen.model.targets import targets_in_force
from reportgen.quarters import Period, Quarter
from reportgen.slides.base import BuildContext, Chart, SlideKind
from reportgen.slides.bodies import PeriodSummaryBody, StatementBody, TableBody
from reportgen.slides.cells import Cell, Row, Style, Table, blank, cell, signed
from reportgen.slides.charts import alt_text, gap_note
from reportgen.slides.content import parse_content, slide_where
from reportgen.slides.messages import as_shown
from reportgen.slides.plain import plain

# How a statement compares the deck's quarter: with the same quarter a year
# earlier or the quarter before (a % change), or with the last fiscal year's end
# (a balance sheet: the change as an amount).
Compare = Literal["year_ago", "prior_quarter", "year_start"]
Scale = Literal["million", "billion"]


def _no_stray(rows: tuple[str, ...], among: tuple[str, ...], what: str) -> None:
    stray = [key for key in rows if key not in among]
    if stray:
        raise ValueError(f"{what} {stray[0]!r} is not one of the items: {', '.join(among)}")


class StatementContent(Strict):
    """A table of any items: the quarter against another period."""

    items: tuple[ItemKey, ...] = Field(min_length=1, description="a list of item keys")
    compare: Compare
    # Each amount gets a column of its ratio to its ratio base ("% of Revenues").
    ratios: bool = Field(False, strict=True)
    totals: tuple[ItemKey, ...] = ()  # rows set in bold
    scale: Scale = "million"
    bullet_columns: Literal[1, 2] = 1

    @model_validator(mode="after")
    def _totals_shown(self) -> StatementContent:
        _no_stray(self.totals, self.items, "total")
        return self


def _own_base(ctx: BuildContext, key: str) -> bool:
    """Whether the item is its own ratio base (revenue): its ratio column stays blank."""
    catalogue = ctx.dataset.catalogue
    return key in catalogue and catalogue[key].ratio_base == key


def _amount_style(ctx: BuildContext, scale: str) -> Style:
    return ctx.styles.billion if scale == "billion" else ctx.styles.million


def _unit(ctx: BuildContext, scale: str) -> str:
    return ctx.messages("unit.jpy_billion" if scale == "billion" else "unit.jpy_million")


def _ratio_cell(ctx: BuildContext, key: str, period: Shown) -> Cell:
    if _own_base(ctx, key):
        return blank()
    return cell(ctx.model.ratio(key, period), ctx.styles.percent)


def statement(ctx: BuildContext, spec: SlideSpec) -> tuple[StatementBody, tuple]:
    """A table of the content's items for the deck's quarter against another period.

    ``year_ago`` and ``prior_quarter`` end in the % change (published where the
    company gave it); ``year_start`` compares balances with the last fiscal year's
    end (for a 1Q deck, the previous quarter end; a 4Q deck closes a year, so it
    compares with the end of the year before, never with its own third quarter)
    and ends in the change as an amount.
    """
    content = parse_content(ctx, spec, StatementContent)
    t, model, now = ctx.messages, ctx.model, ctx.quarter
    amount = _amount_style(ctx, content.scale)
    if content.compare == "year_start":
        then = Quarter(now.fiscal_year - 1, 4)
        names = (ctx.end_date_label(now), ctx.end_date_label(then))
        last = t("column.changes")
    else:
        then = now.year_ago if content.compare == "year_ago" else now.previous
        names = (ctx.period_label(now), ctx.period_label(then))
        last = t("column.yoy" if content.compare == "year_ago" else "column.qoq")

    def change(key: str) -> Cell:
        if content.compare == "year_start":
            return cell(model.change(key, now, then), signed(amount))
        growth = model.yoy(key, now) if content.compare == "year_ago" else model.qoq(key, now)
        return cell(growth, ctx.styles.percent)

    def amounts(key: str, period: Shown) -> tuple[Cell, ...]:
        value = cell(model.value(key, period), amount)
        return (_ratio_cell(ctx, key, period), value) if content.ratios else (value,)

    rows = tuple(
        Row(
            t.item(key),
            (*amounts(key, now), *amounts(key, then), change(key)),
            style="total" if key in content.totals else "",
        )
        for key in content.items
    )
    # With ratios, each amount column follows its "% of Revenues" column.
    ratio = (t("column.pct_of_revenues"),) if content.ratios else ()
    ratio_class = ("ratio",) if content.ratios else ()
    header = ("", *ratio, names[0], *ratio, names[1], last)
    classes = ("label", *ratio_class, "num", *ratio_class, "num", "num")
    table = Table((header,), rows, classes)
    return StatementBody(table, _unit(ctx, content.scale), content.bullet_columns), ()


# A summary compares a quarter or a half or year (the period view).
Shown = Period | Quarter


def _summary_header(ctx: BuildContext, now: Shown, then: Shown) -> tuple[str, ...]:
    pct = ctx.messages("column.pct_of_revenues")
    return ("", pct, ctx.period_label(now), pct, ctx.period_label(then), ctx.messages("column.yoy"))


def _summary_cells(ctx: BuildContext, key: str, now: Shown, then: Shown) -> tuple[Cell, ...]:
    """% of revenues and amount for ``now`` and ``then``, then the change."""
    model, styles = ctx.model, ctx.styles
    return (
        _ratio_cell(ctx, key, now),
        cell(model.value(key, now), styles.billion),
        _ratio_cell(ctx, key, then),
        cell(model.value(key, then), styles.billion),
        cell(model.yoy(key, now), styles.percent),
    )


def summary_period(ctx: BuildContext, spec: SlideSpec) -> Period:
    """The cumulative period the deck reports: the first half (2Q), nine months (3Q), year (4Q)."""
    quarter = ctx.quarter
    if quarter.number == 1:
        raise DataError(
            f"{slide_where(ctx, spec)}: a period summary fits a 2Q deck (first half), "
            "a 3Q deck (nine months) or a 4Q deck (full year) only"
        )
    return quarter.year_to_date


# Catalogue keys per cumulative period: slide title, and the target's column names.
_PERIOD_VIEWS = {
    "H": ("half", "column.target", "column.achievement", "note.targets_as_of"),
    "9M": ("nine_months", "column.year_target", "column.progress", "note.progress_as_of"),
    "FY": ("year", "column.target", "column.achievement", "note.targets_as_of"),
}


class SummaryRow(Strict):
    """A row of the period view, with the parts shown under it where the record gives them.

    (IIJ's 2Q releases give first-half recurring and one-time revenues under the total.)
    """

    item: ItemKey
    parts: tuple[ItemKey, ...] = ()


class PeriodSummaryContent(Strict):
    items: tuple[ItemKey | SummaryRow, ...] = Field(
        min_length=1, description="a list of item keys (or {item: key, parts: [keys]})"
    )
    totals: tuple[ItemKey, ...] = ()  # rows set in bold
    # A per-share item declared for a half or a year (the dividend), shown last.
    dividend: ItemKey | None = None

    @property
    def rows(self) -> tuple[SummaryRow, ...]:
        # Already validated: a bare key becomes a row without checking it again.
        return tuple(
            SummaryRow.model_construct(item=r) if isinstance(r, str) else r for r in self.items
        )

    @model_validator(mode="after")
    def _totals_shown(self) -> PeriodSummaryContent:
        _no_stray(self.totals, tuple(r.item for r in self.rows), "total")
        return self


def _dividend_row(
    ctx: BuildContext, key: str, period: Period, prior: Period, targets: Figures
) -> Row | None:
    """The dividend per share declared for a half (interim) or a year, where the data has it.

    Nine months end no dividend period, so their view has no such row.
    """
    model, styles = ctx.model, ctx.styles
    actual = model.value(key, period)
    if period.kind == "9M" or actual.missing:
        return None
    target_cells = _target_cells(actual, targets.get(key, period.name), styles.yen, ctx)
    return Row(
        ctx.messages.item(key),
        (
            blank(),
            cell(actual, styles.yen),
            blank(),
            cell(model.value(key, prior), styles.yen),
            cell(model.yoy(key, period), styles.percent),
            *target_cells,
        ),
    )


def _target_cells(
    actual: Figure, plan: Figure, style: Style, ctx: BuildContext, *, required: bool = False
) -> tuple[Cell, Cell]:
    """The target and actual / target; blank where an optional row has no target."""
    if plan.missing and not required:
        return blank(), blank()
    achievement = measures.ratio(actual, plan, f"{actual.key}:achievement")
    return cell(plan, style), cell(achievement, ctx.styles.percent)


def period_summary(ctx: BuildContext, spec: SlideSpec) -> tuple[PeriodSummaryBody, tuple]:
    """The cumulative view: actual vs a year earlier and vs the target in force at release.

    A first half (2Q) or a year (4Q) is measured against its own target; nine
    months (3Q) show their progress towards the full-year target, as IIJ's
    nine-month releases do. The target is the latest announced on or before the
    deck's release date.
    """
    t, model, styles = ctx.messages, ctx.model, ctx.styles
    period = summary_period(ctx, spec)
    content = parse_content(ctx, spec, PeriodSummaryContent)
    prior = Period(period.kind, period.number, period.fiscal_year - 1)
    goal = period if period.kind != "9M" else Period("FY", 0, period.fiscal_year)
    title_key, target_key, versus_key, note_key = _PERIOD_VIEWS[period.kind]
    targets = targets_in_force(ctx.dataset.targets, ctx.release_date, ctx.dataset.catalogue)
    header = ((*_summary_header(ctx, period, prior), t(target_key), t(versus_key)),)
    rows = []
    for row in content.rows:
        for shown in (row.item, *row.parts):
            actual = model.value(shown, period)
            if shown != row.item and actual.missing:
                continue  # a breakdown the record does not give is left out, not shown blank
            plan = targets.get(shown, goal.name)
            # A total's target always shows (n/d if none); a breakdown's only if set.
            required = shown == row.item
            target_cells = _target_cells(actual, plan, styles.billion, ctx, required=required)
            style = "sub" if not required else "total" if shown in content.totals else ""
            rows.append(
                Row(
                    t.item(shown),
                    (*_summary_cells(ctx, shown, period, prior), *target_cells),
                    style=style,
                )
            )
    dividend = (
        None
        if content.dividend is None
        else _dividend_row(ctx, content.dividend, period, prior, targets)
    )
    if dividend is not None:
        rows.append(dividend)
    classes = ("label", "ratio", "num", "ratio", "num", "num", "num", "num")
    return PeriodSummaryBody(
        table=Table(header, tuple(rows), classes),
        unit=t("unit.jpy_billion" if dividend is None else "unit.jpy_billion_except_per_share"),
        title=t(f"slide.period_summary_{title_key}", period=ctx.periods.name(period)),
        target_note=t(
            note_key,
            date=ctx.numbers.long_date(ctx.release_date),
            year=ctx.periods.name(goal),
        ),
    ), ()


class Bar(Strict):
    """An item drawn as bars, with its palette colour (default: its place in the list)."""

    item: ItemKey
    color: int | None = Field(default=None, ge=0, strict=True)


class RatioLine(Strict):
    """An item's ratio to its ratio base, drawn as a line on the right axis."""

    item: ItemKey
    label: str = ""  # default: the item's label


class MarginContent(Strict):
    """Bars of items over the last quarters, their ratios as lines, a table under them."""

    items: tuple[ItemKey | Bar, ...] = Field(
        min_length=1, description="a list of item keys (or {item: key, color: n})"
    )
    lines: tuple[ItemKey | RatioLine, ...] = ()
    # Items shown by quarter in a table under the chart (JPY million).
    table: tuple[ItemKey, ...] = ()
    quarters: int = Field(default=5, ge=2, le=8, strict=True)


def margin(ctx: BuildContext, spec: SlideSpec) -> tuple[TableBody, tuple[Chart, ...]]:
    """Bars of the content's items over the last quarters, with their margins as lines."""
    t, model = ctx.messages, ctx.model
    content = parse_content(ctx, spec, MarginContent)
    quarters = ctx.quarter.trailing(content.quarters)
    names = tuple(ctx.short_period(q) for q in quarters)
    # The keys are validated: a bare one becomes a row without checking it again.
    bars = tuple(Bar.model_construct(item=b) if isinstance(b, str) else b for b in content.items)
    lines = tuple(
        RatioLine.model_construct(item=r) if isinstance(r, str) else r for r in content.lines
    )
    figures = (
        *(tuple(model.value(b.item, q) for q in quarters) for b in bars),
        *(tuple(model.ratio(r.item, q) for q in quarters) for r in lines),
    )
    series = [
        Series(
            t.item(b.item),
            tuple(f.value for f in values),
            color=index if b.color is None else b.color,
        )
        for index, (b, values) in enumerate(zip(bars, figures, strict=False))
    ]
    series += [
        Series(
            plain(ctx.commentary.text(r.label)) if r.label else t.item(r.item),
            tuple(f.value for f in values),
            kind="line",
            axis="right",
            unit="pct",
        )
        for r, values in zip(lines, figures[len(bars) :], strict=True)
    ]
    chart_spec = ChartSpec(
        kind="bars",
        categories=names,
        series=tuple(series),
        stacked=False,
        width_in=5.6,
        height_in=3.0,
        edition=ctx.language,
    )
    chart = Chart(
        chart_spec,
        alt_text(chart_spec, t("unit.jpy_million"), t),
        gap_note(chart_spec, t),
        figures=figures,
    )
    rows = tuple(
        Row(
            t.item(key),
            tuple(cell(as_shown(model.value(key, q), t), ctx.styles.million) for q in quarters),
        )
        for key in content.table
    )
    table = Table((("", *names),), rows, ("label", *("num",) * len(names)))
    return TableBody(table, t("unit.jpy_million")), (chart,)


KINDS = {
    "period_summary": SlideKind(
        "slides/period_summary.html", period_summary, content=PeriodSummaryContent
    ),
    "statement": SlideKind("slides/statement.html", statement, content=StatementContent),
    "margin": SlideKind("slides/margin.html", margin, content=MarginContent),
}
