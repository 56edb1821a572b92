"""Every number a PDF page prints is a figure that page's enumeration lists (issue 17).

Each deck is built once; each page's text is read back from the PDF and every
number token in it must be the text of a figure ``figures_of(slide)`` lists for
that slide, so ``reportgen sources``, the attached CSV and the data pack miss none.
What is not a figure is set aside by rules taken from the data, never by a list of
numbers: the page's footer and slide number, the edition's period names and spans,
dates, the company's own text (``company.yaml``), chart axis ticks (read from the
drawn SVG), and numbers typed in the deck file's text that the typed-number check
(``commentary_check``) lets through because they are not figures of the model.
"""

from __future__ import annotations

import dataclasses
import re
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
import yaml

from reportgen.data.commentary_check import (
    _DATE_RE,
    _YEAR_RE,
    TYPED_NUMBER_RE,
    numbers_typed,
    slide_texts,
    strings_in,
    typed_numbers,
)
from reportgen.data.schema import fold_full_width
from reportgen.formatting import numbers_for
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Period, Quarter
from reportgen.slides import bodies
from reportgen.slides.deck import Deck
from reportgen.slides.periods import PeriodNames
from reportgen.slides.registry import SLIDE_KINDS
from reportgen.slides.shown import figures_of
from tests.conftest import EXAMPLE, IIJ, RETAILER, BuiltDeck

# (company folder, quarter, edition): IIJ's 1Q08 and the fictional company's 1Q25 in
# both editions, the fictional company's latest quarter (no Japanese deck yet), and the
# fictional retailer's 1Q25 and 4Q25 in both editions; all read from the shelf.
DECKS = {
    "iij-1Q08-en": (IIJ, "1Q08", "en"),
    "iij-1Q08-ja": (IIJ, "1Q08", "ja"),
    "example-1Q25-en": (EXAMPLE, "1Q25", "en"),
    "example-1Q25-ja": (EXAMPLE, "1Q25", "ja"),
    "example-4Q25-en": (EXAMPLE, "4Q25", "en"),
    "retailer-1Q25-en": (RETAILER, "1Q25", "en"),
    "retailer-1Q25-ja": (RETAILER, "1Q25", "ja"),
    "retailer-4Q25-en": (RETAILER, "4Q25", "en"),
    "retailer-4Q25-ja": (RETAILER, "4Q25", "ja"),
}
# Decks other modules build already (conftest's session fixtures): not built twice.
SHARED = {"iij-1Q08-en": "iij_1q08", "example-1Q25-en": "example_1q25"}

_SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def built(request: pytest.FixtureRequest):
    cache: dict[str, BuiltDeck] = {}

    def get(name: str) -> BuiltDeck:
        if name not in cache:
            if name in SHARED:
                cache[name] = request.getfixturevalue(SHARED[name])
            else:
                # Other modules read the same decks (tests/test_retailer.py, the fictional
                # company's year): built once per run, whichever worker asks first.
                cache[name] = request.getfixturevalue("shelf").get(*DECKS[name])
        return cache[name]

    return get


def _core(token: str) -> str:
    """The digits of a number token as printed: ``(1,528)``, ``△1,528``, ``+1,528`` → ``1,528``."""
    return token.replace(" ", "").replace("\u00a0", "").rstrip("%,")


def number_tokens(text: str) -> Iterator[re.Match[str]]:
    """Number tokens as the typed-number check finds them, full-width digits folded."""
    yield from TYPED_NUMBER_RE.finditer(fold_full_width(text))


def _flexible(text: str) -> str:
    """A pattern matching ``text`` however the PDF's text breaks or spaces it."""
    chars = [c for c in fold_full_width(text) if not c.isspace()]
    return r"\s*".join(re.escape(c) for c in chars)


def _drop(text: str, strings: Iterator[str] | list[str]) -> str:
    """``text`` without any of ``strings`` (longest first, so a name is not cut by a part)."""
    # Only a string with a digit can hide a number (and "en", a company.yaml value, must
    # not cut "Revenues" in the context a failure quotes).
    with_digits = {s for s in strings if re.search(r"\d", fold_full_width(s))}
    for string in sorted(with_digits, key=len, reverse=True):
        text = re.sub(_flexible(string), " ", text)
    return text


def period_names(deck: Deck) -> Iterator[str]:
    """Every name and span the edition gives a period near the deck's quarter."""
    names = PeriodNames(deck.messages, deck.dataset.calendar)
    year = deck.quarter.fiscal_year
    for fiscal_year in range(year - 4, year + 5):
        yield names.fiscal_year(fiscal_year)
        periods = [Period("Q", n, fiscal_year) for n in range(1, 5)]
        periods += [Period("H", n, fiscal_year) for n in (1, 2)]
        periods += [Period("9M", 0, fiscal_year), Period("FY", 0, fiscal_year)]
        for period in periods:
            yield from (period.name, names.name(period), names.short(period), names.span(period))
            yield deck.messages("period.bracketed_span", span=names.span(period))
        for number in range(1, 5):
            quarter = Quarter(fiscal_year, number)
            yield deck.messages(
                "deck.quarter_label",
                number=number,
                fiscal_year=fiscal_year,
                name=names.name(quarter),
            )


def dates(deck: Deck) -> Iterator[str]:
    """Dates the deck prints: its release date and the quarter ends near it."""
    numbers, release = numbers_for(deck.messages.language), deck.spec.release_date
    yield numbers.long_date(release)
    yield deck.messages("deck.cover_date", year=release.year, month=release.month, day=release.day)
    for back in range(9):
        quarter = deck.quarter
        for _ in range(back):
            quarter = quarter.previous
        yield numbers.long_date(quarter.end_date(deck.dataset.calendar))


def catalogue_text(deck: Deck) -> Iterator[str]:
    """The edition's catalogue entries and the company's item labels that print digits as
    words (「1株当たり配当金」, 「1Gbps超の契約数」): they hold no figures; period names come
    above. An entry is taken with the company's money units filled in, as the deck prints
    it (the period summary's unit line names per-share items in words)."""
    labels = [item.labels[deck.messages.language] for item in deck.dataset.catalogue.items.values()]
    for text in [*(deck.messages(key) for key in deck.messages.entries), *labels]:
        if "{" not in text and re.search(r"\d", fold_full_width(text)):
            yield text


def company_text(deck: Deck) -> Iterator[str]:
    """Every string of ``company.yaml`` in this edition: names, contact, disclaimer."""
    company = deck.dataset.company.in_language(deck.messages.language)
    yield from strings_in(company.model_dump())


def axis_ticks(html: str, folder: Path) -> list[set[str]]:
    """Per slide, the tick labels of its charts' axes, read from the SVG files drawn.

    matplotlib writes each tick in a group ``xtick_N`` / ``ytick_N``: a scale, not a
    figure (the values the bars and lines are labelled with are figures).
    """
    ticks = []
    for section in html.split("<section")[1:]:
        found: set[str] = set()
        for src in re.findall(r'src="(charts/[^"]+\.svg)"', section):
            root = ET.parse(folder / src).getroot()
            for group in root.iter(f"{_SVG}g"):
                if re.fullmatch(r"[xy]tick_\d+", group.get("id", "")):
                    for text in group.iter(f"{_SVG}text"):
                        found.update(
                            _core(m.group()) for m in number_tokens("".join(text.itertext()))
                        )
        ticks.append(found)
    return ticks


def body_text(body: object) -> Iterator[str]:
    """The text of a body that is not a figure by its kind: a press release's date and
    title (typed in the deck file), the cover's date."""
    if isinstance(body, bodies.PressBody):
        for group in body.groups:
            yield group.label
            for line in group.items:
                yield from (line.date, line.year, line.title)
    elif isinstance(body, bodies.CoverBody):
        yield body.date


def _allowed_typed(deck: Deck, model: QuarterModel) -> dict[str, set[str]]:
    """Per slide (as the check names it), the numbers typed in the deck file's text that
    the typed-number check lets through: not figures of the model."""
    flagged: dict[str, set[str]] = {}
    for typed in typed_numbers(deck.spec, model):
        flagged.setdefault(typed.slide, set()).add(typed.number)
    allowed = {}
    for spec in deck.spec.slides:
        label = spec.number or f"({spec.kind})"
        numbers = {_core(n) for text in slide_texts(spec) for n in numbers_typed(text)}
        allowed[label] = numbers - {_core(n) for n in flagged.get(label, set())}
    return allowed


@dataclass(frozen=True)
class Unsourced:
    page: int
    slide: str
    token: str
    context: str

    def __str__(self) -> str:
        return (
            f"page {self.page} (slide {self.slide}): {self.token!r} in \u2026{self.context}\u2026"
        )


def unsourced(built: BuiltDeck) -> list[Unsourced]:
    """Every number token printed on a page that is not a figure the page lists."""
    deck = built.result.deck
    assert len(built.pages) == len(deck.slides), "one PDF page per slide"
    model = QuarterModel(deck.dataset.figures, deck.quarter, deck.dataset.calendar)
    allowed_typed = _allowed_typed(deck, model)
    assert built.result.output.html is not None
    ticks = axis_ticks(built.html, built.result.output.html.parent)
    common = [
        *period_names(deck),
        *dates(deck),
        *company_text(deck),
        *catalogue_text(deck),
        deck.spec.title,
    ]
    found = []
    for index, (page, slide) in enumerate(zip(built.pages, deck.slides, strict=True)):
        number = index + 1
        text = fold_full_width(page)
        # The footer's page number ends the page (a draft's mark may follow it); the
        # heading starts with the slide's.
        draft = re.escape(deck.messages("deck.draft"))
        text = re.sub(rf"\s*{number}\s*(?:{draft})?\s*$", " ", text)
        if slide.number:
            text = re.sub(
                rf"{re.escape(slide.number)}(?=\s*{_flexible(slide.title[:3])})", " ", text, count=1
            )
        text = _drop(text, [*common, *body_text(slide.body)])
        text = _DATE_RE.sub(" ", text)
        shown = {_core(m.group()) for s in figures_of(slide) for m in number_tokens(s.text)}
        label = slide.number or f"({slide.kind})"
        legitimate = shown | allowed_typed.get(label, set()) | ticks[index]
        printed = [_core(m.group()) for m in number_tokens(text)]
        # A page whose figures the text extraction lost would pass with nothing to check.
        assert not shown or shown & set(printed), f"page {number}: no figure of {label} read"
        for match in number_tokens(text):
            token = _core(match.group())
            if token in legitimate or _YEAR_RE.fullmatch(token):
                continue
            start, end = match.span()
            context = " ".join(text[max(0, start - 40) : end + 20].split())
            found.append(Unsourced(number, slide.number or slide.kind, token, context))
    return found


@pytest.mark.parametrize("name", list(DECKS))
def test_every_number_printed_is_an_enumerated_figure(name: str, built) -> None:
    missing = unsourced(built(name))
    assert not missing, f"{name}: {len(missing)} numbers printed but not enumerated:\n" + "\n".join(
        map(str, missing)
    )


def _kinds_in_deck_files() -> set[str]:
    kinds = set()
    for folder in (IIJ, EXAMPLE, RETAILER):
        for path in sorted((folder / "decks").glob("*.yaml")):
            spec = yaml.safe_load(path.read_text(encoding="utf-8"))
            kinds.update(slide["kind"] for slide in spec["slides"])
    return kinds


# The slide bodies of ``bodies`` (``...Body``), not the blocks inside them (``Callout``).
BODY_TYPES = tuple(
    obj
    for name, obj in vars(bodies).items()
    if isinstance(obj, type)
    and dataclasses.is_dataclass(obj)
    and obj.__module__ == bodies.__name__
    and name.endswith("Body")
)


def test_every_kind_has_a_typed_body(built) -> None:
    """Every kind the IIJ and fictional deck files use builds a typed body of ``bodies``,
    the same type in every deck and edition (what ``figures_of`` and renderers read)."""
    types: dict[str, set[type]] = {}
    for name in DECKS:
        for slide in built(name).result.deck.slides:
            assert isinstance(slide.body, BODY_TYPES), (name, slide.kind, type(slide.body))
            types.setdefault(slide.kind, set()).add(type(slide.body))
    used = _kinds_in_deck_files()
    assert used <= set(SLIDE_KINDS)
    assert used <= set(types), f"kinds no deck here builds: {sorted(used - set(types))}"
    for kind, found in types.items():
        assert len(found) == 1, (kind, found)
