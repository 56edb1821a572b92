"""The ``breakdown`` slide: a total's parts stacked over the last quarters, with lines.

Every choice that is one company's sits in the deck file's ``content:`` (``BreakdownContent``):
the total, its parts (legend label, palette colour), the lines over the bars, how many
quarters, the chart's size, a callout of figures, a box of factors. No item key of any
company is written here; the bullets come from the deck file with their figures as
placeholders.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

from pydantic import Field, field_validator

from reportgen.data.schema import SlideSpec, Strict
from reportgen.errors import DataError
from reportgen.formatting import money_units
from reportgen.model.figures import Figure
from reportgen.slides.base import BuildContext, Chart, SlideKind
from reportgen.slides.bodies import BreakdownBody, Callout, Factors
from reportgen.slides.breakdown_charts import QUARTERS_SHOWN, Line, Part, breakdown_chart
from reportgen.slides.cells import Cell, Row, Table, cell
from reportgen.slides.commentary import RenderedBullet
from reportgen.slides.content import content_error, parse_content, slide_where
from reportgen.slides.shown import FigureText
from reportgen.suggest import unknown_item

AMOUNT = "{amount}"


class PartSpec(Strict):
    """A part of the total: its item, legend label (default: the item's) and palette index."""

    item: str
    label: str = ""
    color: int | None = Field(default=None, ge=0, strict=True)


class LineSpec(Strict):
    """A line over the bars, on the right axis.

    An item with a ratio base is drawn as its ratio to it (``% of revenues``); any other
    (a percentage, a count such as bandwidth) as its value.
    """

    item: str
    label: str = ""
    # Where some quarter lacks it: ``gap``: drawn with a gap (the chart's note says
    # which); ``row``: shown as a row of figures under the chart instead, ``n/a`` where
    # missing, so a slide whose title names the series always shows it.
    if_incomplete: Literal["gap", "row"] = "gap"
    # A value drawn as is (not a ratio) with one decimal (bandwidth in Gbps), or none.
    decimals: Literal[0, 1] = 0


class CalloutLine(Strict):
    """A sentence around one figure: ``{amount}`` is where the item's value prints.

    The unit words of the company's reporting (``{currency}``, ``{scale}``, ``{money}``:
    ``JPY``, ``million``, ``JPY million`` / 円, 百万, 百万円) may stand around it, so the
    sentence follows company.yaml instead of typing a currency.
    """

    item: str
    text: str

    @field_validator("text")
    @classmethod
    def _has_amount(cls, text: str) -> str:
        if text.count(AMOUNT) != 1:
            raise ValueError(f"expected the sentence to hold {AMOUNT} once, where the figure goes")
        return text


class CalloutContent(Strict):
    """A box of figures under the chart; left off if any of its figures is not in the data."""

    title: str = Field(min_length=1)
    lines: tuple[CalloutLine, ...] = Field(min_length=1)


class ChartSize(Strict):
    """The chart's size in inches; ``height_with_row`` where a line moved to a row under it."""

    width: float = Field(default=5.2, gt=0, strict=True)
    height: float = Field(default=3.6, gt=0, strict=True)
    height_with_row: float | None = Field(default=None, gt=0, strict=True)


class BreakdownContent(Strict):
    """What a ``breakdown`` slide draws (``content:`` in the deck file)."""

    total: str = ""
    parts: tuple[PartSpec | str, ...] = ()
    lines: tuple[LineSpec | str, ...] = ()
    quarters: int = Field(default=QUARTERS_SHOWN, ge=1, le=12, strict=True)
    chart: ChartSize = ChartSize()
    # ``wide``: a narrower chart column, for a slide with much text beside it.
    text_column: Literal["normal", "wide"] = "normal"
    # ``small``: a long title set smaller, so two lines fit above the rule.
    title_size: Literal["normal", "small"] = "normal"
    callout: CalloutContent | None = None
    factors_title: str = ""
    factors: tuple[str, ...] | None = None


def breakdown(ctx: BuildContext, spec: SlideSpec) -> tuple[BreakdownBody, tuple[Chart, ...]]:
    """A total stacked by its parts over the last quarters, with lines, callout and factors."""
    content = parse_content(ctx, spec, BreakdownContent)
    check_items(ctx, spec, content)
    parts = resolve_parts(ctx, spec, content)
    quarters = ctx.quarter.trailing(content.quarters)
    drawn: list[Line] = []
    rows: list[Row] = []
    for written in content.lines:
        line_spec = LineSpec(item=written) if isinstance(written, str) else written
        line = _line(ctx, line_spec)
        figures = [
            ctx.model.ratio(line.key, q) if line.ratio else ctx.model.value(line.key, q)
            for q in quarters
        ]
        if line_spec.if_incomplete == "row" and any(f.missing for f in figures):
            rows.append(_row(ctx, line, figures))
        else:
            drawn.append(line)
    size = content.chart
    height = size.height_with_row if rows and size.height_with_row else size.height
    chart = breakdown_chart(
        ctx,
        total=content.total,
        parts=parts,
        lines=drawn,
        quarters_shown=content.quarters,
        width_in=size.width,
        height_in=height,
    )
    table = None
    if rows:
        header = (("", *(ctx.short_period(q) for q in quarters)),)
        table = Table(header, tuple(rows), ("label", *("num",) * len(quarters)))
    classes = tuple(
        name
        for name, on in (
            ("text-wide", content.text_column == "wide"),
            ("title-small", content.title_size == "small"),
        )
        if on
    )
    body = BreakdownBody(
        ctx.messages("unit.jpy_million"),
        _callout(ctx, content.callout),
        _factors(ctx, content),
        table,
        ctx.messages("revenue.row.note") if rows else "",
        classes,
    )
    return body, (chart,)


def item_keys(ctx: BuildContext) -> tuple[str, ...]:
    """The items of the company's catalogue (items.yaml): what ``content:`` may name."""
    return tuple(ctx.dataset.catalogue)


def item_of_line(ctx: BuildContext, spec: LineSpec) -> tuple[bool, str]:
    """Whether a line draws its item's ratio to its base, and the chart unit it is labelled in
    (``charts/labels.py``: ``pct``; ``gbps``, a number with one decimal; ``number``)."""
    item = ctx.dataset.catalogue.get(spec.item)
    assert item is not None, "check_items let an unknown item through"
    if item.ratio_base is not None:
        return True, "pct"
    if item.unit == "percent":
        return False, "pct"
    return False, "gbps" if spec.decimals == 1 else "number"


def resolve_parts(
    ctx: BuildContext, spec: SlideSpec, content: BreakdownContent
) -> tuple[Part, ...]:
    """The parts stacked, in order, each with its colour (default: its place) and label.

    Without ``parts`` the chart stacks the total's children in the segment tree
    (``parent:`` in items.yaml), in the catalogue's order.
    """
    written = content.parts or ctx.dataset.catalogue.children(content.total)
    if not written:
        raise content_error(
            ctx,
            spec,
            f"content.parts: missing, and no item of items.yaml has {content.total!r} as its "
            "parent; expected the items that make up the total, "
            "e.g. parts: [revenue_a, revenue_b, {item: revenue_c, color: 3}]",
            "content",
        )
    parts = []
    for index, part in enumerate(written):
        part = PartSpec(item=part) if isinstance(part, str) else part
        # The deck file's colour, else the catalogue's for the item, else its place.
        item = ctx.dataset.catalogue.get(part.item)
        default = item.color if item is not None and item.color is not None else index
        color = default if part.color is None else part.color
        parts.append(Part(part.item, color, part.label or ctx.messages.item(part.item)))
    return tuple(parts)


def check_items(ctx: BuildContext, spec: SlideSpec, content: BreakdownContent) -> None:
    """Every item ``content`` names is one the company's figures may hold."""
    if not content.total:
        raise content_error(
            ctx,
            spec,
            "content.total: missing; expected the item the chart stacks, e.g. total: revenue",
            "content",
        )
    named: list[tuple[str, tuple[str | int, ...]]] = [(content.total, ("total",))]
    for group, entries in (("parts", content.parts), ("lines", content.lines)):
        for index, entry in enumerate(entries):
            if isinstance(entry, str):
                named.append((entry, (group, index)))
            else:
                named.append((entry.item, (group, index, "item")))
    if content.callout is not None:
        for index, line in enumerate(content.callout.lines):
            named.append((line.item, ("callout", "lines", index, "item")))
    known = item_keys(ctx)
    for key, path in named:
        if key not in known:
            where = slide_where(ctx, spec, "content", *path)
            dotted = ".".join(str(p) for p in path)
            raise DataError(f"{where}: content.{dotted}: {unknown_item(key, known)}")


def _line(ctx: BuildContext, spec: LineSpec) -> Line:
    ratio, unit = item_of_line(ctx, spec)
    return Line(spec.item, spec.label or ctx.messages.item(spec.item), unit, ratio)


def _row(ctx: BuildContext, line: Line, figures: list[Figure]) -> Row:
    """A line some quarter lacks, as figures under the chart: ``n/a`` where missing."""
    t = ctx.messages
    fmt: Callable[[float], str] = (
        ctx.numbers.percent
        if line.unit == "pct"
        else lambda v: ctx.numbers.number(v, 1 if line.unit == "gbps" else 0)
    )
    return Row(
        line.label,
        tuple(
            Cell(t("revenue.row.not_available"), fig.provenance, fig.status, figure=fig)
            if fig.missing
            else cell(fig, fmt)
            for fig in figures
        ),
    )


def _callout(ctx: BuildContext, callout: CalloutContent | None) -> Callout | None:
    """The callout's sentences; none at all if any of its figures is not in the data."""
    if callout is None:
        return None
    lines = []
    for line in callout.lines:
        figure = ctx.model.value(line.item)
        if figure.missing:
            return None
        amount = ctx.numbers.jpy_million(figure.value)
        text = line.text.replace(AMOUNT, FigureText.slot(0))
        for name, unit in money_units(ctx.messages.money, ctx.language).items():
            text = text.replace(f"{{{name}}}", unit)
        lines.append(FigureText(text, ((figure, amount),)))
    return Callout(callout.title, tuple(lines))


def _factors(ctx: BuildContext, content: BreakdownContent) -> Factors | None:
    """The factors box, if the deck file gives ``content.factors``."""
    if content.factors is None:
        return None
    bullets: tuple[RenderedBullet, ...] = ctx.commentary.bullets(content.factors)
    return Factors(ctx.commentary.text(content.factors_title), bullets)


KINDS = {"breakdown": SlideKind("slides/breakdown.html", breakdown, content=BreakdownContent)}
