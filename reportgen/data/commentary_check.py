"""Find figures typed by hand in commentary that the model could have given.

A number is typed wherever the deck file holds it rather than the model: in the
text around placeholders, and as a literal inside one (``{{ 16328 }}``,
``{{ '16,' ~ '328' }}``). Full-width digits and separators, as a Japanese
keyboard types them, are folded to ASCII first, and numbers compare by value, so
``16328`` is ``16,328``. A year (``2005``, no separator) is not a figure.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from jinja2 import TemplateSyntaxError, nodes
from jinja2.sandbox import ImmutableSandboxedEnvironment

from reportgen import formatting
from reportgen.data.schema import Bullet, DeckSpec, SlideSpec, fold_full_width
from reportgen.model.quarter import QuarterModel

# A run of digits: a figure typed by hand. Only ASCII letters glue to it ("1Q08",
# "FY2008" are names); a Japanese word before it does not (「売上高16,328百万円」), nor
# the currency an amount is written with ("JPY3,875", "EUR1.25", as formatting prints
# per-share amounts; every code formatting names, all three letters wide).
_CURRENCIES = "|".join(sorted(formatting.JA_CURRENCY))
TYPED_NUMBER_RE = re.compile(
    rf"(?:(?<={_CURRENCIES})|(?<![A-Za-z0-9_.,]))"
    r"\d[\d,]*(?:\.\d+)?(?:[ \u00a0]?%)?"
)
# "from 2005 to 2007": a year, typed without a thousands separator.
_YEAR_RE = re.compile(r"(19|20)\d\d")
# "March 31, 2026", 「3月31日」, 2025-01-20 (a press release's date in the deck file),
# 2008/7/3: a date's numbers are not figures.
_DATE_RE = re.compile(
    r"(?:January|February|March|April|May|June|July|August|September|October|November"
    r"|December) \d{1,2}\b|\d+\s*[年月日]|\b\d{4}([-/])\d{1,2}\1\d{1,2}\b"
)
# A constant folded from a placeholder longer than this is not a figure.
_MAX_FOLDED = 40


@dataclass(frozen=True, slots=True)
class TypedNumber:
    """A number typed in a bullet that equals a figure the model computes."""

    slide: str  # as printed: "1", "Ref. 1"; the kind for an unnumbered slide
    text: str
    number: str
    figure: str
    # The slide's position in the deck file (0-based): where the caller finds the text.
    index: int = 0

    @property
    def message(self) -> str:
        """What is wrong; the caller puts where it is written (``DeckFile``) in front."""
        return (
            f"typed number {self.number!r} equals {self.figure}; "
            f"use a placeholder so it cannot drift from the data"
        )


def _label(slide: SlideSpec) -> str:
    return slide.number or f"({slide.kind})"


def strings_in(value: object) -> Iterator[str]:
    """Every string in nested mappings and lists (a slide's ``content``, company.yaml)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from strings_in(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from strings_in(item)


def slide_texts(slide: SlideSpec) -> Iterator[str]:
    """Every text the deck file types for one slide: title, bullets, notes, content."""
    if slide.title:
        yield slide.title
    for bullet in slide.bullets:
        item = Bullet(text=bullet) if isinstance(bullet, str) else bullet
        yield from (item.text, *item.sub)
    yield from slide.notes
    yield from strings_in(slide.content)


def _texts(spec: DeckSpec) -> Iterator[tuple[int, str, str]]:
    for index, slide in enumerate(spec.slides):
        label = _label(slide)
        for text in slide_texts(slide):
            yield index, label, text


def numbers_typed(text: str) -> Iterator[str]:
    """The numbers typed in one commentary text (``22.5%``, ``1,513``), dates aside:
    the candidates ``typed_numbers`` compares with the model's figures."""
    for piece in typed_texts(text):
        for match in TYPED_NUMBER_RE.finditer(_DATE_RE.sub(" ", piece)):
            # "22.5 %" is 22.5%; a trailing comma ends a clause, not the number.
            yield re.sub(r"[ \u00a0]", "", match.group()).rstrip(",")


def _number_key(text: str) -> tuple[Decimal, bool] | None:
    """``16,328`` and ``16328`` are the same figure; ``22.5%`` is a percentage."""
    if _YEAR_RE.fullmatch(text):
        return None
    try:
        return Decimal(text.rstrip("%").replace(",", "")), text.endswith("%")
    except InvalidOperation:
        return None


def _known_figures(model: QuarterModel) -> dict[tuple[Decimal, bool], str]:
    """A figure of the quarter as it would print → the figure's name."""
    known: dict[tuple[Decimal, bool], str] = {}

    def add(text: str, name: str) -> None:
        key = _number_key(text)
        if key is not None:
            known.setdefault(key, name)

    quarters = (model.quarter, model.quarter.previous, model.quarter.year_ago)
    for key in model.figures.catalogue:
        for quarter in quarters:
            value = model.value(key, quarter).value
            if value is not None and abs(value) >= 10:
                add(formatting.number(abs(value)), f"{key} {quarter.name}")
        for measure in ("yoy", "qoq", "ratio"):
            fig = getattr(model, measure)(key)
            if fig.value is not None:
                add(formatting.percent(abs(fig.value)), f"{key}:{measure}")
    return known


# A preview rebuild re-reads the same texts: each is parsed once per process.
@functools.lru_cache(maxsize=4096)
def typed_texts(source: str) -> tuple[str, ...]:
    """The pieces of one commentary text that were typed: literal text and constants.

    A constant passed to a filter (``m('4Q08')``) names a period or an item, not a
    figure; every other constant in a placeholder is printed or computed with.
    """
    try:
        tree = ImmutableSandboxedEnvironment().parse(source)
    except TemplateSyntaxError:
        # The build reports the syntax error, naming the slide; here the whole text counts.
        return (fold_full_width(source),)
    arguments: set[int] = set()
    for call in (*tree.find_all(nodes.Filter), *tree.find_all(nodes.Call)):
        arguments.update(id(arg) for arg in call.args)
        arguments.update(id(kw.value) for kw in call.kwargs)
    pieces = [node.data for node in tree.find_all(nodes.TemplateData)]
    for const in tree.find_all(nodes.Const):
        if id(const) not in arguments and _printable(const.value):
            pieces.append(str(const.value))
    for output in tree.find_all(nodes.Output):
        for expr in output.nodes:
            folded = _fold(expr)
            if folded is not None:
                pieces.append(folded)
    return tuple(fold_full_width(piece) for piece in pieces)


def _printable(value: object) -> bool:
    return isinstance(value, str | int | float) and not isinstance(value, bool)


def _fold(expr: nodes.Node) -> str | None:
    """The text a constant expression prints (``'16,' ~ '328'``, ``16000 + 328``).

    Folded here rather than by Jinja's ``as_const``, which would evaluate anything
    (``'x' * 10**9``) while only reading a deck file.
    """
    if isinstance(expr, nodes.Const):
        return str(expr.value) if _printable(expr.value) else None
    if isinstance(expr, nodes.Concat):
        parts = [_fold(node) for node in expr.nodes]
        if any(p is None for p in parts):
            return None
        text = "".join(p for p in parts if p is not None)
        return text if len(text) <= _MAX_FOLDED else None
    if isinstance(expr, nodes.Add | nodes.Sub | nodes.Mul):
        left, right = expr.left, expr.right
        if not (isinstance(left, nodes.Const) and isinstance(right, nodes.Const)):
            return None
        a, b = left.value, right.value
        if not all(isinstance(v, int | float) and not isinstance(v, bool) for v in (a, b)):
            return None
        if isinstance(expr, nodes.Add):
            value = a + b
        elif isinstance(expr, nodes.Sub):
            value = a - b
        else:
            value = a * b
        return str(value) if abs(value) < 1e15 else None
    return None


def typed_numbers(spec: DeckSpec, model: QuarterModel) -> list[TypedNumber]:
    """Numbers typed in the deck's commentary that equal a figure of the model."""
    known = _known_figures(model)
    found = []
    for index, slide, text in _texts(spec):
        seen = set()
        for number in numbers_typed(text):
            key = _number_key(number)
            if key in known and number not in seen:
                seen.add(number)
                found.append(TypedNumber(slide, text, number, known[key], index))
    return found
