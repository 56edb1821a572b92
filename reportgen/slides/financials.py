"""Financial statement slides: results summary, operating and net income, balance sheet."""

from __future__ import annotations

from reportgen.charts.spec import ChartSpec, Series
from reportgen.data.schema import SlideSpec
from reportgen.errors import DataError
from reportgen.model import measures
from reportgen.model.targets import targets_in_force
from reportgen.quarters import Period, Quarter
from reportgen.slides.base import BuildContext, Chart, SlideKind
from reportgen.slides.cells import Cell, Row, Table, blank, cell, signed
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


def results_summary(ctx: BuildContext, spec: SlideSpec) -> tuple[dict[str, object], tuple]:
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
    return {"table": table, "unit": t("unit.jpy_billion")}, ()


def summary_period(ctx: BuildContext, spec: SlideSpec) -> Period:
    """The cumulative period a 4Q deck (the year) or a 2Q deck (the first half) reports."""
    quarter = ctx.quarter
    if quarter.number == 4:
        return quarter.fiscal_year_period
    if quarter.number == 2:
        return quarter.half
    raise DataError(
        f"{slide_where(ctx, spec)}: a period summary fits a 2Q deck (first half) "
        "or a 4Q deck (full year) only"
    )


def period_summary(ctx: BuildContext, spec: SlideSpec) -> tuple[dict[str, object], tuple]:
    """The full-year (4Q) or first-half (2Q) view: actual vs a year earlier and vs the target.

    The target is the latest announced on or before the deck's release date.
    """
    t, model, styles = ctx.messages, ctx.model, ctx.styles
    period = summary_period(ctx, spec)
    prior = Period(period.kind, period.number, period.fiscal_year - 1)
    targets = targets_in_force(ctx.dataset.targets, ctx.release_date)
    header = ((*_summary_header(ctx, period, prior), t("column.target"), t("column.achievement")),)
    rows = []
    for key in SUMMARY_ITEMS:
        actual = model.value(key, period)
        plan = targets.get(key, period.name)
        rows.append(
            Row(
                t.item(key),
                (
                    *_summary_cells(ctx, key, period, prior),
                    cell(plan, styles.billion),
                    cell(measures.ratio(actual, plan, f"{key}:achievement"), styles.percent),
                ),
                style="total" if key in SUMMARY_TOTALS else "",
            )
        )
    classes = ("label", "ratio", "num", "ratio", "num", "num", "num", "num")
    kind = "year" if period.kind == "FY" else "half"
    return {
        "table": Table(header, tuple(rows), classes),
        "unit": t("unit.jpy_billion"),
        "title": t(f"slide.period_summary_{kind}", period=ctx.periods.name(period)),
        "target_note": t("note.targets_as_of", date=ctx.numbers.long_date(ctx.release_date)),
    }, ()


def operating_net_income(ctx: BuildContext, spec: SlideSpec) -> tuple[dict[str, object], tuple]:
    """Slide 5: operating and net income over five quarters, with the margin line."""
    t, model = ctx.messages, ctx.model
    quarters = ctx.quarter.trailing(5)
    names = tuple(ctx.short_period(q) for q in quarters)
    chart_spec = ChartSpec(
        kind="bars",
        categories=names,
        series=(
            Series(
                t.item("operating_income"),
                tuple(model.value("operating_income", q).value for q in quarters),
                color=0,
            ),
            Series(
                t.item("net_income"),
                tuple(model.value("net_income", q).value for q in quarters),
                color=2,
            ),
            Series(
                t("chart.operating_margin"),
                tuple(model.ratio("operating_income", q).value for q in quarters),
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
        chart_spec, alt_text(chart_spec, t("unit.jpy_million"), t), gap_note(chart_spec, t)
    )
    rows = tuple(
        Row(
            t.item(key),
            tuple(cell(as_shown(model.value(key, q), t), ctx.styles.million) for q in quarters),
        )
        for key in TAX_TABLE_ITEMS
    )
    table = Table((("", *names),), rows, ("label", *("num",) * len(names)))
    return {"table": table, "unit": t("unit.jpy_million")}, (chart,)


def balance_sheet(ctx: BuildContext, spec: SlideSpec) -> tuple[dict[str, object], tuple]:
    """Slide 13: balances at the quarter end and the prior quarter end, and the change."""
    t, model, styles = ctx.messages, ctx.model, ctx.styles
    now, before = ctx.quarter, ctx.quarter.previous
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
    return {"table": table, "unit": t("unit.jpy_million")}, ()


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
