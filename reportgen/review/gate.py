"""The release gate: every item still open before a deck may be distributed.

A final build (``reportgen build --final``, ``make release``) runs it on the deck
built leniently (so that every placeholder on a missing figure is found, not only
the first) and writes the distribution files only when it finds nothing. Each open
item is one line: the file, the slide as printed, what is open and how to close it.
Detection is the build's own: the checks that warn, the lenient build's marked
figures, ``typed_numbers``, the editions' review fields.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from typing import Literal

from reportgen import formatting
from reportgen.data.commentary_check import typed_numbers
from reportgen.data.load import shown
from reportgen.data.schema import Company, DeckSpec
from reportgen.data.validate import Check
from reportgen.model.quarter import QuarterModel
from reportgen.review.acknowledgements import load_acknowledgements
from reportgen.review.approvals import Approval, load_approvals, slide_label, where
from reportgen.review.content import ContentHash
from reportgen.review.translations import company_source_hash, deck_source_hash
from reportgen.slides.content import deck_path
from reportgen.slides.deck import Deck, load_deck_spec
from reportgen.slides.deckfile import read_deck

Kind = Literal["check", "translation", "placeholder", "typed number", "slide review", "approval"]


@dataclass(frozen=True, slots=True)
class OpenItem:
    """One thing that blocks a release, as the gate prints it."""

    kind: Kind
    line: str


def open_items(
    deck: Deck, warnings: Sequence[Check], content: ContentHash, company: Company
) -> list[OpenItem]:
    """Every item of ``deck`` that must be closed before its release, in a stable order.

    ``company`` is ``company.yaml`` as loaded: the English text translations follow
    (the deck's own dataset carries its edition's text instead).
    """
    return [
        *_unacknowledged(deck, warnings),
        *_translations(deck, company),
        *_placeholders(deck),
        *_typed_numbers(deck),
        *_slide_reviews(deck),
        *_approvals(deck, content),
    ]


def _deck_where(deck: Deck) -> str:
    return shown(deck_path(deck.dataset, deck.quarter, deck.messages.language))


def _unacknowledged(deck: Deck, warnings: Sequence[Check]) -> Iterator[OpenItem]:
    acks = load_acknowledgements(deck.dataset.root)
    for check in warnings:
        if acks.covering(check) is not None:
            continue
        difference = formatting.number(check.difference, 2)
        yield OpenItem(
            "check",
            f"{check.message}: a warning not acknowledged; add to {acks.where} under "
            f"acknowledgements: {{check: {check.name}, period: {check.period}, "
            f"difference: {difference}, reason: <why the deck may show it>}}",
        )


def _translations(deck: Deck, company: Company) -> Iterator[OpenItem]:
    language = deck.messages.language
    if language == "en":
        return
    english = load_deck_spec(deck.dataset, deck.quarter)
    yield from _translation(
        _deck_where(deck),
        deck.spec.translated_from,
        deck.spec.review,
        deck.spec.source_hash,
        deck_source_hash(english),
        f"the {language} deck",
    )
    text = company.editions.get(language)
    if text is not None:
        yield from _translation(
            shown(deck.dataset.root / "company.yaml"),
            text.translated_from,
            text.review,
            text.source_hash,
            company_source_hash(company),
            f"editions: {language}:",
        )


def _translation(
    where: str, source: str, review: str, recorded: str, current: str, what: str
) -> Iterator[OpenItem]:
    if review == "done" and recorded == current:
        return
    if review != "done":
        state = f"review: {review}" if review else "no review: field"
        yield OpenItem(
            "translation",
            f"{where}: {what} translated from {source or 'en'} has {state}; review it "
            f"against the English, then set review: done and source_hash: {current}",
        )
        return
    why = "no source_hash" if not recorded else f"source_hash {recorded} is not {current}"
    yield OpenItem(
        "translation",
        f"{where}: {what} was reviewed, but the English text changed since ({why}); review "
        f"the changes, then set source_hash: {current}",
    )


def _placeholders(deck: Deck) -> Iterator[OpenItem]:
    # Each line already names the deck file, slide, placeholder, item and period, and
    # says how to close it (add the figure, or test it first with has()).
    for line in deck.marked:
        yield OpenItem("placeholder", line)


def _typed_numbers(deck: Deck) -> Iterator[OpenItem]:
    model = QuarterModel(deck.dataset.figures, deck.quarter, deck.dataset.calendar)
    typed_found = typed_numbers(deck.spec, model)
    if not typed_found:
        return
    # Where each typed number is written (file:line:column, the slide as printed).
    written = read_deck(deck.dataset, deck.quarter, deck.messages.language, deck.messages)
    for typed in typed_found:
        where = written.slide(typed.index).of(typed.text)
        yield OpenItem("typed number", f"{where}: {typed.message}")


def _slide_reviews(deck: Deck) -> Iterator[OpenItem]:
    spec: DeckSpec = deck.spec
    for built, slide in zip(deck.slides, spec.slides, strict=True):
        if slide.review == "pending":
            yield OpenItem(
                "slide review",
                f"{_deck_where(deck)}, slide {slide_label(slide.number, slide.kind)} "
                f'"{built.title}": review: pending; review the slide, then set review: done',
            )


def _approvals(deck: Deck, content: ContentHash) -> Iterator[OpenItem]:
    root, quarter, edition = deck.dataset.root, deck.quarter, deck.messages.language
    mine = [a for a in load_approvals(root, quarter) if a.edition == edition]
    file = where(root, quarter)
    approve = f"make approve QUARTER={quarter.name} BY=<name>" + (
        "" if edition == "en" else f" EDITION={edition}"
    )
    labels = [slide_label(s.number, s.kind) for s in deck.slides]
    latest: dict[str, Approval] = {}
    for approval in mine:  # oldest first: a later sign-off of a slide replaces an earlier one
        for label in labels:
            if approval.covers(label):
                latest[label] = approval
    missing = [label for label in labels if label not in latest]
    if len(missing) == len(labels):
        yield OpenItem(
            "approval",
            f"{file}: no approval of the {quarter.name} deck ({edition}); once reviewed: {approve}",
        )
    else:
        for label in missing:
            yield OpenItem(
                "approval",
                f"{file}, slide {label}: not approved ({edition}); once reviewed: "
                f"{approve} SLIDES={label}",
            )
    stale: dict[int, list[str]] = {}
    for label, approval in latest.items():
        if approval.content_hash != content.digest:
            stale.setdefault(id(approval), []).append(label)
    for approval in mine:
        slides = stale.get(id(approval))
        if not slides:
            continue
        parts = content.changed_parts(approval.parts)
        files = content.changed_files(approval.files) if {"data", "deck"} & set(parts) else []
        changed = ", ".join(parts) or "content"
        detail = f" ({', '.join(files)})" if files else ""
        which = "every slide" if len(slides) == len(labels) else "slides " + ", ".join(slides)
        again = approve if len(slides) == len(labels) else f"{approve} SLIDES={','.join(slides)}"
        yield OpenItem(
            "approval",
            f"{file}: approval of {which} by {approval.by} at {approval.at} ({edition}) is "
            f"stale: {changed} changed since{detail}; review the changes, then {again}",
        )
