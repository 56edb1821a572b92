"""Financial statement slides: results summary, operating and net income, balance sheet."""

from __future__ import annotations

from reportgen.charts.spec import ChartSpec, Series
from reportgen.data.schema import SlideSpec
from reportgen.errors import DataError
from reportgen.model import measures
from reportgen.model.figures import Figure, Figures
from reportgen.model.targets import targets_in_force
from reportgen.quarters import Period, Quarter
from reportgen.slides.base import BuildContext, Chart, SlideKind
from reportgen.slides.bodies import PeriodSummaryBody, TableBody
from reportgen.slides.cells import Cell, Row, Style, Table, blank, cell, signed
from reportgen.slides.charts import alt_text, gap_note
from reportgen.slides.content import slide_where
from reportgen.slides.messages import as_shown

SUMMARY_ITEMS = (
    "revenue",
    "cost",
    "gross_margin",
    "sga",
    "operating_income",
    "income_before_tax",
    "net_income",
)

BALANCE_SHEET_ITEMS = (
    "cash",
    "accounts_receivable",
    "inventories",
    "prepaid_expenses",
    "afs_securities",
    "property_equipment",
    "goodwill_intangibles",
    "other_assets",
    "short_term_borrowings",
    "accumulated_deficit",
    "aoci",
    "total_equity",
    "total_assets",
)

TAX_TABLE_ITEMS = ("income_tax", "minority_interests", "equity_method_income")


# A summary compares a quarter (slide 1) or a half or year (the period view).
Shown = Period | Quarter
# Rows drawn as totals in both summaries.
SUMMARY_TOTALS = ("revenue", "operating_income", "net_income")


def _summary_header(ctx: BuildContext, now: Shown, then: Shown) -> tuple[str, ...]:
    pct = ctx.messages("column.pct_of_revenues")
    return ("", pct, ctx.period_label(now), pct, ctx.period_label(then), ctx.messages("column.yoy"))


def _summary_cells(ctx: BuildContext, key: str, now: Shown, then: Shown) -> tuple[Cell, ...]:
    """% of revenues and amount for ``now`` and ``then``, then the change: both summaries."""
    model, styles = ctx.model, ctx.styles

    def ratio(period: Shown) -> Cell:
        return blank() if key == "revenue" else cell(model.ratio(key, period), styles.percent)

    return (
        ratio(now),
        cell(model.value(key, now), styles.billion),
        ratio(then),
        cell(model.value(key, then), styles.billion),
        cell(model.yoy(key, now), styles.percent),
    )


def results_summary(ctx: BuildContext, spec: SlideSpec) -> tuple[TableBody, tuple]:
    """Slide 1: the quarter against the same quarter a year earlier, in JPY billion."""
    t = ctx.messages
    now, then = ctx.quarter, ctx.quarter.year_ago
    rows = tuple(
        Row(
            t.item(key),
            _summary_cells(ctx, key, now, then),
            style="total" if key in SUMMARY_TOTALS else "",
        )
        for key in SUMMARY_ITEMS
    )
    header = (_summary_header(ctx, now, then),)
    table = Table(header, rows, ("label", "ratio", "num", "ratio", "num", "num"))
    return TableBody(table, t("unit.jpy_billion")), ()


def summary_period(ctx: BuildContext, spec: SlideSpec) -> Period:
    """The cumulative period the deck reports: the first half (2Q), nine months (3Q), year (4Q)."""
    quarter = ctx.quarter
    if quarter.number == 1:
        raise DataError(
            f"{slide_where(ctx, spec)}: a period summary fits a 2Q deck (first half), "
            "a 3Q deck (nine months) or a 4Q deck (full year) only"
        )
    return quarter.year_to_date


# Revenue by type under the total, in a period view that can show them (IIJ's 2Q
# releases give first-half recurring and one-time revenues; reference D9).
PERIOD_BREAKDOWN = ("revenue_recurring", "revenue_systems_construction")
# Catalogue keys per cumulative period: slide title, and the target's column names.
_PERIOD_VIEWS = {
    "H": ("half", "column.target", "column.achievement", "note.targets_as_of"),
    "9M": ("nine_months", "column.year_target", "column.progress", "note.progress_as_of"),
    "FY": ("year", "column.target", "column.achievement", "note.targets_as_of"),
}


def _row_style(key: str, shown: str) -> str:
    if shown != key:
        return "sub"
    return "total" if key in SUMMARY_TOTALS else ""


def _dividend_row(ctx: BuildContext, period: Period, prior: Period, targets: Figures) -> Row | None:
    """The dividend per share declared for a half (interim) or a year, where the data has it.

    Nine months end no dividend period, so their view has no such row.
    """
    model, styles = ctx.model, ctx.styles
    actual = model.value("dps", period)
    if period.kind == "9M" or actual.missing:
        return None
    target_cells = _target_cells(actual, targets.get("dps", period.name), styles.yen, ctx)
    return Row(
        ctx.messages.item("dps"),
        (
            blank(),
            cell(actual, styles.yen),
            blank(),
            cell(model.value("dps", prior), styles.yen),
            cell(model.yoy("dps", period), styles.percent),
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
    prior = Period(period.kind, period.number, period.fiscal_year - 1)
    goal = period if period.kind != "9M" else Period("FY", 0, period.fiscal_year)
    title_key, target_key, versus_key, note_key = _PERIOD_VIEWS[period.kind]
    targets = targets_in_force(ctx.dataset.targets, ctx.release_date, ctx.dataset.catalogue)
    header = ((*_summary_header(ctx, period, prior), t(target_key), t(versus_key)),)
    rows = []
    for key in SUMMARY_ITEMS:
        keys = (key, *PERIOD_BREAKDOWN) if key == "revenue" else (key,)
        for shown in keys:
            actual = model.value(shown, period)
            if shown != key and actual.missing:
                continue  # a breakdown the record does not give is left out, not shown blank
            plan = targets.get(shown, goal.name)
            # A total's target always shows (n/d if none); a breakdown's only if set.
            target_cells = _target_cells(actual, plan, styles.billion, ctx, required=shown == key)
            rows.append(
                Row(
                    t.item(shown),
                    (*_summary_cells(ctx, shown, period, prior), *target_cells),
                    style=_row_style(key, shown),
                )
            )
    dividend = _dividend_row(ctx, period, prior, targets)
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


def operating_net_income(ctx: BuildContext, spec: SlideSpec) -> tuple[TableBody, tuple[Chart, ...]]:
    """Slide 5: operating and net income over five quarters, with the margin line."""
    t, model = ctx.messages, ctx.model
    quarters = ctx.quarter.trailing(5)
    names = tuple(ctx.short_period(q) for q in quarters)
    figures = (
        tuple(model.value("operating_income", q) for q in quarters),
        tuple(model.value("net_income", q) for q in quarters),
        tuple(model.ratio("operating_income", q) for q in quarters),
    )
    chart_spec = ChartSpec(
        kind="bars",
        categories=names,
        series=(
            Series(t.item("operating_income"), tuple(f.value for f in figures[0]), color=0),
            Series(t.item("net_income"), tuple(f.value for f in figures[1]), color=2),
            Series(
                t("chart.operating_margin"),
                tuple(f.value for f in figures[2]),
                kind="line",
                axis="right",
                unit="pct",
            ),
        ),
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
        for key in TAX_TABLE_ITEMS
    )
    table = Table((("", *names),), rows, ("label", *("num",) * len(names)))
    return TableBody(table, t("unit.jpy_million")), (chart,)


def balance_sheet(ctx: BuildContext, spec: SlideSpec) -> tuple[TableBody, tuple]:
    """Slide 13: balances at the quarter end and at the previous fiscal year end, and the change.

    Quarterly statements compare with the last fiscal year end (for a 1Q deck, the
    previous quarter end); a 4Q deck closes a year, so it compares with the end of
    the year before, never with its own third quarter.
    """
    t, model, styles = ctx.messages, ctx.model, ctx.styles
    now = ctx.quarter
    before = Quarter(now.fiscal_year - 1, 4)
    header = (("", ctx.end_date_label(now), ctx.end_date_label(before), t("column.changes")),)
    rows = tuple(
        Row(
            t.item(key),
            (
                cell(model.value(key, now), styles.million),
                cell(model.value(key, before), styles.million),
                cell(model.change(key, now, before), signed(styles.million)),
            ),
            style="total" if key in ("total_assets", "total_equity") else "",
        )
        for key in BALANCE_SHEET_ITEMS
    )
    table = Table(header, rows, ("label", "num", "num", "num"))
    return TableBody(table, t("unit.jpy_million")), ()


KINDS = {
    "period_summary": SlideKind("slides/period_summary.html", period_summary),
    "results_summary": SlideKind(
        "slides/results_summary.html", results_summary, "slide.results_summary"
    ),
    "operating_net_income": SlideKind(
        "slides/operating_net_income.html", operating_net_income, "slide.operating_net_income"
    ),
    "balance_sheet": SlideKind("slides/balance_sheet.html", balance_sheet, "slide.balance_sheet"),
}
