"""Read a quarter's deck file: its spec, where each text is written, how errors name slides.

Every error about a deck file starts ``decks/1Q25.yaml:14:9, slide 1 (statement,
1Q25) "Consolidated Financial Results for 1Q FY2025":``: the line and column of the
YAML node at fault, then the slide by its printed number, kind and title. ``DeckFile``
keeps the one mapping from the spec's texts back to their marks (``Marks``), and hands
each slide's builder a ``Site`` that names it, so builders never see YAML.
"""

from __future__ import annotations

import functools
import logging
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reportgen.data.load import Dataset, read_yaml_marked, shown
from reportgen.data.marks import Marks, Site
from reportgen.data.schema import QUOTE_LIMIT, DeckSpec, quote
from reportgen.errors import DataError, QuarterError
from reportgen.quarters import Quarter
from reportgen.slides.content import check_content_keys, deck_path, keys_at
from reportgen.slides.messages import Messages
from reportgen.slides.periods import PeriodNames
from reportgen.slides.registry import SLIDE_KINDS, former_kind_hint
from reportgen.suggest import did_you_mean

log = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeckFile:
    """A deck file as read: its spec, its marks, and each slide's name in errors."""

    spec: DeckSpec
    marks: Marks
    # ``slide 1 (statement, 1Q25) "Consolidated Financial Results for 1Q FY2025"``
    names: tuple[str, ...]

    def slide(self, index: int) -> Site:
        """The slide at ``index`` (0-based, in file order), as errors name it."""
        return Site(self.marks, ("slides", index), self.names[index])


# ``{{ quarter_label }}`` or ``{{- quarter -}}``: a name placeholder in a title.
_NAME = re.compile(r"\{\{-?\s*(\w+)\s*-?\}\}")


def slide_name(number: str, kind: str, quarter: Quarter, title: str = "", label: str = "") -> str:
    """``slide 1 (statement, 1Q25) "Title"``: the slide as printed, number then title.

    The title's quarter names (``{{ quarter }}``, ``{{ prior_quarter }}``,
    ``{{ year_ago_quarter }}``, and ``{{ quarter_label }}`` given its ``label``) are
    filled in as the slide prints them; any other placeholder stays as written, since
    the figures may be what the error is about.
    """
    names = {
        "quarter": quarter.name,
        "prior_quarter": quarter.previous.name,
        "year_ago_quarter": quarter.year_ago.name,
        **({"quarter_label": label} if label else {}),
    }
    title = _NAME.sub(lambda m: names.get(m.group(1), m.group(0)), " ".join(title.split()))
    numbered = f"slide {number} " if number else "slide "
    return f"{numbered}({kind}, {quarter.name})" + (f' "{title}"' if title else "")


def default_title(
    title: str, kind: str, deck_title: str, messages: Messages | None, label: str
) -> str:
    """The title a slide prints: its own, else its kind's, else the deck's.

    Without ``messages`` (or for a kind that does not exist) only the slide's own title.
    """
    if title or messages is None or kind not in SLIDE_KINDS:
        return title
    title_key = SLIDE_KINDS[kind].title_key
    return messages(title_key, quarter_label=label) if title_key else deck_title


def quarter_label(messages: Messages, dataset: Dataset, quarter: Quarter) -> str:
    """``1Q FY2025``: how the default slide titles name the deck's quarter."""
    return PeriodNames(messages, dataset.calendar).quarter_label(quarter)


def read_deck(
    dataset: Dataset, quarter: Quarter, language: str = "en", messages: Messages | None = None
) -> DeckFile:
    """Read and check ``decks/<quarter>[.<language>].yaml``.

    With ``messages`` (the edition's catalogue), slides without a title of their own
    are named in errors by the title they print.
    """
    path = deck_path(dataset, quarter, language)
    if not path.exists():
        suffix = "" if language == "en" else f".{language}"
        for other in path.parent.glob("*.yaml"):
            if other.name.casefold() == path.name.casefold():
                raise misnamed(other, path.name)
        known = sorted(p.name.removesuffix(f"{suffix}.yaml") for p in path.parent.glob("*.yaml"))
        known = [k for k in known if "." not in k]
        raise QuarterError(
            f"quarter {quarter.name}: no deck file {shown(path)} ({language} edition); "
            f"decks exist for {', '.join(known) or 'no quarter'}"
        )
    deck = _read(path, quarter, dataset, messages)
    if language != "en":
        original = _read(deck_path(dataset, quarter), quarter, dataset, messages)
        _check_same_slides(deck, original.spec)
        if deck.spec.review == "pending":
            log.warning(
                "%s: translation from %s awaits review", shown(path), deck.spec.translated_from
            )
    return deck


def misnamed(found: Path, name: str) -> DataError:
    """The error for a deck file that should be called ``name`` (``1q25.yaml``: ``1Q25.yaml``)."""
    return DataError(
        f"{shown(found)}: name it {name} (a deck file is named by its quarter as written, "
        "like 1Q08.yaml)"
    )


def load_deck_spec(dataset: Dataset, quarter: Quarter, language: str = "en") -> DeckSpec:
    """The deck file's spec alone (see ``read_deck``)."""
    return read_deck(dataset, quarter, language).spec


def _read(path: Path, quarter: Quarter, dataset: Dataset, messages: Messages | None) -> DeckFile:
    if not path.exists():
        raise QuarterError(f"quarter {quarter.name}: no deck file {shown(path)}")
    data, marks = read_yaml_marked(path, dataset.root)
    label = quarter_label(messages, dataset, quarter) if messages else ""
    try:
        spec = DeckSpec.model_validate(data)
    except ValidationError as exc:
        titled = functools.partial(default_title, messages=messages, label=label)
        lines = [
            _schema_error(marks, data, quarter, error, titled, label) for error in exc.errors()
        ]
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise DataError(lines[0] + more, details=lines) from None
    for index, slide in enumerate(spec.slides):
        if slide.kind not in SLIDE_KINDS:
            where = marks.at("slides", index, "kind")
            name = slide_name(slide.number, slide.kind, quarter, slide.title, label)
            raise DataError(
                f"{where}, {name}: unknown kind {slide.kind!r}"
                + (
                    former_kind_hint(slide.kind)
                    or f"{did_you_mean(slide.kind, SLIDE_KINDS)}; "
                    f"expected one of {', '.join(SLIDE_KINDS)}"
                )
            )
    names = tuple(
        slide_name(
            slide.number,
            slide.kind,
            quarter,
            default_title(slide.title, slide.kind, spec.title, messages, label),
            label,
        )
        for slide in spec.slides
    )
    deck = DeckFile(spec, marks, names)
    for index, slide in enumerate(spec.slides):
        check_content_keys(deck.slide(index), slide, SLIDE_KINDS[slide.kind].content)
    # A deck file copied from an earlier quarter keeps that quarter's date: its figures
    # would be shown as of a day before the quarter even ended.
    ends = quarter.end_date(dataset.calendar)
    if spec.release_date <= ends:
        raise DataError(
            f"{marks.at('release_date')}: release_date {spec.release_date.isoformat()} is not "
            f"after {quarter.name} ends ({ends.isoformat()}); a deck is released after its "
            "quarter (was the file copied from an earlier one?)"
        )
    return deck


def _schema_error(
    marks: Marks,
    data: object,
    quarter: Quarter,
    error: Any,
    titled: Callable[..., str],
    label: str,
) -> str:
    """One schema error as ``file:line:column[, slide ...]: key: what``."""
    loc: tuple[str | int, ...] = tuple(error["loc"])
    unknown = error["type"] == "extra_forbidden"
    where = marks.at(*loc, key=unknown)
    inside = loc
    slides = data.get("slides") if isinstance(data, dict) else None
    if (
        len(loc) >= 2
        and loc[0] == "slides"
        and isinstance(loc[1], int)
        and isinstance(slides, list)
    ):
        raw = slides[loc[1]]
        if isinstance(raw, dict):
            number, kind, title = (str(raw.get(k) or "") for k in ("number", "kind", "title"))
            deck_title = str(data.get("title") or "") if isinstance(data, dict) else ""
            title = titled(title, kind, deck_title)
            where += f", {slide_name(number, kind or '?', quarter, title, label)}"
            inside = loc[2:]
    key = ".".join(str(part)[:QUOTE_LIMIT] for part in inside) or "(top level)"
    if inside == ("kind",) and isinstance(error.get("input"), str):
        # ``kind: Revenues``: not a kind's spelling, and a kind is what was meant.
        kind = error["input"]
        return (
            f"{where}: unknown kind {quote(kind)}{did_you_mean(kind, SLIDE_KINDS)}; "
            f"expected one of {', '.join(SLIDE_KINDS)}"
        )
    if unknown:
        allowed = keys_at(DeckSpec, loc[:-1])
        expected = f"; expected one of {', '.join(allowed)}" if allowed else ""
        return f"{where}: {key}: unknown key{did_you_mean(str(loc[-1]), allowed)}{expected}"
    return f"{where}: {key}: {error['msg'].removeprefix('Value error, ')}"


def _check_same_slides(edition: DeckFile, original: DeckSpec) -> None:
    """Every edition lists the same slides, in order, released the same day: same pages."""
    spec, marks = edition.spec, edition.marks
    mine = [(s.kind, s.number) for s in spec.slides]
    theirs = [(s.kind, s.number) for s in original.slides]
    if spec.release_date != original.release_date:
        raise DataError(
            f"{marks.at('release_date')}: release_date {spec.release_date} differs from the "
            f"English deck's {original.release_date}; expected the same"
        )
    for index, (a, b) in enumerate(zip(mine, theirs, strict=False)):
        if a != b:
            raise DataError(
                f"{edition.slide(index).at('kind')}: {a[0]} {a[1] or ''} where the English "
                f"deck has {b[0]} {b[1] or ''}; expected the same slides in the same order"
            )
    if len(mine) != len(theirs):
        raise DataError(
            f"{marks.at('slides')}: {len(mine)} slides, the English deck has {len(theirs)}; "
            "expected the same slides in the same order"
        )
