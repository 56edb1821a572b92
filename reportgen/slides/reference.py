"""Reference slides: the forecast, the medium-term target, group companies, press releases."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from datetime import date

from pydantic import Field, field_validator, model_validator

from reportgen import formatting
from reportgen.data.companies import GroupCompany, load_group_companies
from reportgen.data.schema import Day, ItemKey, SlideSpec, Strict
from reportgen.errors import CommentaryError
from reportgen.model import measures
from reportgen.model.figures import Figure, Figures
from reportgen.model.targets import targets_in_force
from reportgen.quarters import FiscalCalendar, Period, Quarter
from reportgen.slides.base import BuildContext, SlideKind
from reportgen.slides.bodies import (
    CompanyGroup,
    CompanyRow,
    ForecastBody,
    ForecastRow,
    GroupBody,
    MediumTermBody,
    PressBody,
    ReleaseGroup,
    ReleaseLine,
    TargetLine,
)
from reportgen.slides.cells import Cell, cell, note_keys
from reportgen.slides.content import content_error, parse_content
from reportgen.slides.placeholders import Language
from reportgen.slides.shown import FigureMarkup, FigureText
from reportgen.suggest import unknown_item


class ForecastItem(Strict):
    """A row of the forecast; ``annual``: a per-share payout given as the year's total
    (the dividend), whose interim column is the half-year's."""

    item: ItemKey
    annual: bool = Field(False, strict=True)


class ForecastContent(Strict):
    """The forecast's rows, and comments beside them; placeholders read the targets shown."""

    items: tuple[ItemKey | ForecastItem, ...] = Field(
        min_length=1, description="a list of item keys (or {item: key, annual: true})"
    )
    comments: dict[str, str] = Field(default_factory=dict)

    @property
    def rows(self) -> tuple[ForecastItem, ...]:
        # Already validated: a bare key becomes a row without checking it again.
        return tuple(
            ForecastItem.model_construct(item=r) if isinstance(r, str) else r for r in self.items
        )

    @model_validator(mode="after")
    def _commented_rows(self) -> ForecastContent:
        keys = [row.item for row in self.rows]
        for key in self.comments:
            if key not in keys:
                raise ValueError(f"comment for {key!r}: expected one of {', '.join(keys)}")
        return self


def _per_share(ctx: BuildContext, key: str) -> bool:
    """Whether the item is an amount per share (EPS, DPS): shown in JPY, not JPY billion."""
    catalogue = ctx.dataset.catalogue
    return key in catalogue and catalogue[key].unit == "per_share"


def _change_text(
    value: float | None, unit: str, t: Callable[..., str], numbers: formatting.Numbers
) -> str:
    """A YoY change; one too small for the large unit is given in the unit, never ``0.0``."""
    if value is None:
        return numbers.missing
    if unit == "jpy":
        return numbers.jpy(value, signed=True)
    if value != 0 and numbers.jpy_billion(abs(value)) == numbers.jpy_billion(0):
        return t(
            "forecast.small_change",
            amount=numbers.currency_amount(value, signed=True),
            million=numbers.jpy_million(value, signed=True),
        )
    return numbers.jpy_billion(value, signed=True)


# What each forecast-comment filter prints, with an example (see ``FILTER_HELP`` in
# commentary.py): docs/placeholders.md renders them, and its test fails on a filter
# without an entry here.
FORECAST_FILTER_HELP: dict[str, tuple[str, str]] = {
    "target_large": (
        "the year's target in the large unit (JPY billion; company.yaml `reporting:`), "
        "without sign (or a period's: `target_large('1H25')`)",
        "{{ 'revenue'|target_large }}",
    ),
    "target_per_share": (
        "a per-share target in the reporting currency (JPY)",
        "{{ 'dps'|target_per_share }}",
    ),
    "target_bn": (
        "the former name of `target_large`, kept for deck files written with it",
        "{{ 'revenue'|target_bn }}",
    ),
    "target_jpy": (
        "the former name of `target_per_share`, kept for deck files written with it",
        "{{ 'dps'|target_jpy }}",
    ),
    "change_dir": (
        "the target's change from last year's actual, in the large unit (the currency per share) "
        "and words",
        "{{ 'revenue'|change_dir }}",
    ),
}


class _Comments:
    """Renders forecast comments; figures come from the targets and actuals shown."""

    def __init__(
        self,
        targets: Figures,
        ctx: BuildContext,
        year: str,
        actual_year: str,
        where: Callable[[str], str],
    ) -> None:
        self._where = where
        numbers, t = ctx.numbers, ctx.messages
        catalogue = ctx.dataset.catalogue
        # The figures the comment being rendered prints, for the slide's list of figures.
        self._printed: list[tuple[Figure, str]] = []

        def printed(figure: Figure, text: str) -> str:
            self._printed.append((figure, text))
            return text

        def figure(key: str, period: str | None) -> Figure:
            if key not in catalogue:
                raise CommentaryError(unknown_item(key, catalogue))
            return targets.get(key, period or year)

        # Magnitudes: the comment's words ("loss", "benefit") carry the sense.
        def target_bn(key: str, period: str | None = None) -> str:
            target = figure(key, period)
            value = target.value
            return printed(target, numbers.jpy_billion(None if value is None else abs(value)))

        def target_jpy(key: str, period: str | None = None) -> str:
            target = figure(key, period)
            return printed(target, numbers.jpy(target.value))

        def change_dir(key: str) -> str:
            difference = measures.difference(
                figure(key, None), ctx.model.value(key, actual_year), f"{key}:change"
            )
            change = difference.value
            if change is None:
                return numbers.missing
            way = numbers.direction(change, "up", "down", "flat")
            amount = (
                numbers.jpy(abs(change))
                if catalogue[key].unit == "per_share"
                else (numbers.jpy_billion(abs(change)))
            )
            return t(f"forecast.change_{way}", amount=printed(difference, amount))

        # The commentary's language: the comment's own text is escaped, not only its values.
        # Named for the unit, not JPY: a company reports in its own currency. The first
        # names (JPY's billion and yen) stay, so deck files written with them still build.
        filters = {
            "target_large": target_bn,
            "target_per_share": target_jpy,
            "target_bn": target_bn,
            "target_jpy": target_jpy,
            "change_dir": change_dir,
        }
        self._language = Language(filters, {}, items=catalogue)

    @property
    def language(self) -> Language:
        """The filters its comments may use."""
        return self._language

    def text(self, source: str) -> FigureMarkup:
        self._printed.clear()
        rendered = self._language.render(source, self._where(source))
        return FigureMarkup.holding(rendered, tuple(self._printed))


def forecast(ctx: BuildContext, spec: SlideSpec) -> tuple[ForecastBody, tuple]:
    """Ref. 1: this year's targets against last year's actual, with the interim target."""
    t, model = ctx.messages, ctx.model
    content = parse_content(ctx, spec, ForecastContent)
    # A 4Q deck closes its year, so its forecast is for the year that follows.
    following = 1 if ctx.quarter.number == 4 else 0
    year = Period("FY", 0, ctx.quarter.fiscal_year + following)
    interim = Period("H", 1, year.fiscal_year)
    # The first-half target is shown while that half is still ahead or being
    # reported (decks up to its 2Q); from the 3Q deck on it is history, not a target.
    show_interim = ctx.quarter <= interim.quarters[-1]
    actual_year = Period("FY", 0, year.fiscal_year - 1)
    targets = targets_in_force(ctx.dataset.targets, ctx.release_date, ctx.dataset.catalogue)
    comments = _Comments(targets, ctx, year.name, actual_year.name, ctx.commentary.where_of)
    numbers, styles, periods = ctx.numbers, ctx.styles, ctx.periods
    rows = []
    for row in content.rows:
        key = row.item
        unit = "jpy" if _per_share(ctx, key) else "bn"
        fmt = styles.billion if unit == "bn" else styles.yen
        plan = targets.get(key, year.name)
        actual = model.value(key, actual_year)
        full_year = cell(plan, fmt)
        last_year = cell(actual, fmt)
        if row.annual:
            # Dividends are annual totals; the interim column is the half-year dividend.
            full_year = replace(full_year, text=t("forecast.annual", amount=full_year.text))
            last_year = replace(last_year, text=t("forecast.annual", amount=last_year.text))
        change = measures.difference(plan, actual, f"{key}:yoy_change")
        change_text = _change_text(change.value, unit, t, numbers)
        growth = measures.change(plan, actual, f"{key}:yoy")
        rows.append(
            ForecastRow(
                t.item(key),
                (
                    *((cell(targets.get(key, interim.name), fmt),) if show_interim else ()),
                    full_year,
                    last_year,
                    Cell(
                        change_text,
                        change.provenance,
                        change.status,
                        documents=change.documents,
                        figure=change,
                    ),
                    cell(growth, styles.percent),
                ),
                comments.text(content.comments.get(key, "")),
            )
        )
    interim_column = (t("forecast.interim_target", year=periods.name(year)), interim)
    columns = (
        *((interim_column,) if show_interim else ()),
        (t("forecast.target", year=periods.name(year)), year),
        (t("forecast.actual", year=periods.name(actual_year)), actual_year),
    )
    header = tuple(
        (name, t("period.bracketed_span", span=periods.span(period))) for name, period in columns
    )
    return ForecastBody(
        unit=t("unit.jpy_billion_except_per_share"),
        header=header,
        rows=tuple(rows),
        target_column=1 if show_interim else 0,
        note_keys=note_keys(c for r in rows for c in r.cells),
        change_header=(t("forecast.yoy"), t("forecast.yoy")),
    ), ()


class TargetRef(Strict):
    """A target the medium-term slide shows, read from ``targets.csv``."""

    item: ItemKey
    period: str
    qualifier: str = ""  # "over": the company's own wording around the figure

    @field_validator("period")
    @classmethod
    def _period(cls, name: str) -> str:
        return Period.parse(name).name


class Stage(Strict):
    points: tuple[str, ...] = Field(min_length=1)


class MediumTermContent(Strict):
    stages: tuple[Stage, ...] = Field(min_length=1)
    targets: tuple[TargetRef, ...] = Field(min_length=1)
    market: tuple[str, ...] = ()


def medium_term_target(ctx: BuildContext, spec: SlideSpec) -> tuple[MediumTermBody, tuple]:
    """Ref. 2: the growth stages, the medium-term targets, and the market around them."""
    t = ctx.messages
    content = parse_content(ctx, spec, MediumTermContent)
    targets = targets_in_force(ctx.dataset.targets, ctx.release_date, ctx.dataset.catalogue)
    shown = []
    for index, ref in enumerate(content.targets):
        fig = targets.get(ref.item, ref.period)
        if fig.missing:
            raise content_error(
                ctx,
                spec,
                f"no target for {ref.item} {ref.period} announced on or before "
                f"{ctx.release_date} in targets.csv",
                "content",
                "targets",
                index,
            )
        number = ctx.numbers.jpy_billion(fig.value, places=0)
        amount = t("medium.amount", amount=FigureText.slot(0))
        if ref.qualifier:
            amount = t("medium.qualified", qualifier=ref.qualifier, amount=amount)
        shown.append(TargetLine(t.item(ref.item), FigureText(amount, ((fig, number),))))
    years = sorted({Period.parse(ref.period).fiscal_year for ref in content.targets})
    year_names = [ctx.periods.fiscal_year(y) for y in years]
    text = ctx.commentary.text
    return MediumTermBody(
        stages=tuple(tuple(text(p) for p in stage.points) for stage in content.stages),
        targets=tuple(shown),
        target_heading=t("medium.heading", years=" / ".join(year_names)),
        market=tuple(text(p) for p in content.market),
        market_heading=t("medium.market_heading"),
    ), ()


def ownership_text(company: GroupCompany, numbers: formatting.Numbers) -> str:
    return numbers.percent(company.ownership_pct, company.ownership_places)


def _new_note(ctx: BuildContext, companies: tuple[GroupCompany, ...]) -> str:
    """``New: ... established from FY07``: the year of the earliest new-business company."""
    founded = [c.established for c in companies if c.new_business and c.established]
    if not any(c.new_business for c in companies):
        return ""
    if not founded:
        return ctx.messages("group.new_note_undated")
    year, month = min(founded)
    since = fiscal_quarter(date(year, month, 1), ctx.dataset.calendar).fiscal_year
    return ctx.messages("group.new_note", year=ctx.periods.name(Period("FY", 0, since)))


def group_companies(ctx: BuildContext, spec: SlideSpec) -> tuple[GroupBody, tuple]:
    """Ref. 3: subsidiaries and equity-method investees, with ownership and business."""
    t = ctx.messages
    companies = load_group_companies(ctx.dataset.root, ctx.dataset.sources, ctx.language)
    groups = []
    for group in ("subsidiary", "equity_method"):
        rows = tuple(
            CompanyRow(
                c.name,
                c.new_business,
                Cell(
                    ownership_text(c, ctx.numbers),
                    c.provenance,
                    documents=c.documents,
                    figure=c.ownership,
                ),
                c.business,
            )
            for c in companies
            if c.group == group
        )
        if rows:
            groups.append(CompanyGroup(t(f"group.{group}"), rows))
    return GroupBody(
        groups=tuple(groups),
        header=(t("group.group"), t("group.company"), t("group.ownership"), t("group.business")),
        new_tag=t("group.new_tag"),
        new_note=_new_note(ctx, companies),
        has_gaps=any(c.ownership_pct is None for c in companies),
    ), ()


MAX_RELEASES = 16


class Release(Strict):
    date: Day
    title: str = Field(min_length=1)


class PressContent(Strict):
    # More rows than this cannot be read on one slide; the deck file must say
    # which releases matter (or split them over a second press-release slide).
    releases: tuple[Release, ...] = Field(min_length=1, max_length=MAX_RELEASES)


def fiscal_quarter(day: date, calendar: FiscalCalendar) -> Quarter:
    """The fiscal quarter a date falls in (IIJ: April to June is 1Q)."""
    months = (day.month - calendar.start_month) % 12
    fiscal_year = day.year if day.month >= calendar.start_month else day.year - 1
    return Quarter(fiscal_year, months // 3 + 1)


def press_releases(ctx: BuildContext, spec: SlideSpec) -> tuple[PressBody, tuple]:
    """Ref. 4: press releases by date, grouped by the fiscal quarter they fall in."""
    t = ctx.messages
    content = parse_content(ctx, spec, PressContent)
    late = [i for i, r in enumerate(content.releases) if r.date > ctx.release_date]
    if late:
        when = content.releases[late[0]].date
        raise content_error(
            ctx,
            spec,
            f"press release of {when} is after the deck's release date",
            "content",
            "releases",
            late[0],
            "date",
        )
    groups: dict[Quarter, list[ReleaseLine]] = {}
    for release in sorted(content.releases, key=lambda r: r.date):
        quarter = fiscal_quarter(release.date, ctx.dataset.calendar)
        items = groups.setdefault(quarter, [])
        # As the company prints them: the year on a quarter's first date only.
        same_year = items and items[-1].year == str(release.date.year)
        day = t("press.day", month=release.date.month, day=release.date.day)
        items.append(
            ReleaseLine(
                day if same_year else t("press.year_day", year=release.date.year, day=day),
                str(release.date.year),
                release.title,
            )
        )
    return PressBody(
        header=(t("press.quarter"), t("press.date"), t("press.title")),
        groups=tuple(
            ReleaseGroup(
                t(
                    "press.quarter_label",
                    year=Period("FY", 0, q.fiscal_year).name,
                    quarter=f"{q.number}Q",
                    name=ctx.periods.name(q),
                ),
                tuple(items),
            )
            for q, items in groups.items()
        ),
    ), ()


KINDS = {
    "forecast": SlideKind(
        "slides/forecast.html", forecast, "slide.forecast", content=ForecastContent
    ),
    "medium_term_target": SlideKind(
        "slides/medium_term_target.html",
        medium_term_target,
        "slide.medium_term_target",
        content=MediumTermContent,
    ),
    "group_companies": SlideKind(
        "slides/group_companies.html", group_companies, "slide.group_companies"
    ),
    "press_releases": SlideKind(
        "slides/press_releases.html", press_releases, "slide.press_releases", content=PressContent
    ),
}
