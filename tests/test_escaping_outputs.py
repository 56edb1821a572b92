"""Text from data is plain text everywhere, escaped exactly once in HTML, never a formula.

A copy of the fictional company's data carries ``R&D <x> "q" SI's`` in every kind
of text a deck takes from data (deck and slide titles, bridge labels and remarks,
headings, bullets, group company names, press release titles, the company name, a
figure's note), and texts that start like spreadsheet formulas. The built PDF,
its metadata, the attached CSV, the Excel data pack and the HTML are read back.
"""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
from dataclasses import dataclass, replace
from html.parser import HTMLParser
from pathlib import Path

import pytest
from openpyxl import load_workbook
from pypdf import PdfReader

from reportgen.build import prepare
from reportgen.data.load import load_dataset
from reportgen.datapack import figures_csv, write_xlsx
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.slides.cells import Table
from reportgen.slides.deck import Deck
from tests.conftest import EXAMPLE, BuiltDeck, DeckShelf, edit

PLAIN = 'R&D <x> "q" SI\'s'
# What the text turns into once escaped for HTML: none of it may reach a reader.
ESCAPED = ("&amp;", "&lt;", "&gt;", "&#39;", "&#34;", "&quot;", "&#x27;", "&apos;")
FORMULA = '=HYPERLINK("https://example.com/","R&D")'
# Slide titles that start like formulas: the CSV's title column carries them.
FORMULA_TITLES = {"13": "+1+2 Balance", "14": "-1+2 Cash", "15": "@SUM(1,2) Other"}


def _q(text: str) -> str:
    """``text`` as a single-quoted YAML scalar."""
    return "'" + text.replace("'", "''") + "'"


@dataclass(frozen=True)
class Placed:
    """A poisoned text and where it must appear."""

    text: str
    in_pdf: bool = True
    in_table: bool = False  # a table row label: the xlsx and the CSV carry it


PLACED = {
    "impact label": Placed(f"{PLAIN} loss", in_table=True),
    "impact remark": Placed(f"{PLAIN} remark", in_table=True),
    "deck title": Placed(f"{PLAIN} results"),
    "company name": Placed(f"{PLAIN} Corp."),
    "slide title": Placed(f"{PLAIN} management"),
    "heading": Placed(f"{PLAIN} heading"),
    "cash flow point": Placed(f"{PLAIN} receivables"),
    "group company": Placed(f"{PLAIN} Systems"),
    "press release": Placed(f"{PLAIN} launch"),
    "figure note": Placed(f"{PLAIN} note", in_pdf=False),
}


def _poison(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target)
    deck = target / "decks" / "1Q25.yaml"
    text = {key: _q(p.text) for key, p in PLACED.items()}
    edit(
        deck,
        "label: Operating loss of the newly established subsidiaries",
        f"label: {text['impact label']}",
    )
    edit(deck, "remark: to be realized in later quarters", f"remark: {text['impact remark']}")
    edit(
        deck,
        "label: Temporary cost from moving data center leases to the new contract form",
        f"label: {_q(FORMULA)}",
    )
    edit(
        deck,
        "title: 1st Quarter FY2025 Consolidated Financial Results",
        f"title: {text['deck title']}",
    )
    edit(deck, "title: In-house Developed Network Management", f"title: {text['slide title']}")
    edit(deck, "- heading: Example Networks' New Business", f"- heading: {text['heading']}")
    edit(
        deck,
        "- Decrease in accounts receivable of JPY {{ 'cf_receivables_decrease'|m }} million",
        f"- {text['cash flow point']}",
    )
    edit(
        deck,
        "title: Example Networks Launches Example Mobile Link for Corporate Customers (fictional)",
        f"title: {text['press release']}",
    )
    for number, title in FORMULA_TITLES.items():
        # A title the deck file already gives the slide is replaced, not repeated.
        source = deck.read_text(encoding="utf-8")
        head = re.search(rf'number: "{number}"\n(    title: .*\n)?', source)
        assert head is not None
        titled = f'number: "{number}"\n    title: {_q(title)}\n'
        deck.write_text(source.replace(head.group(0), titled, 1), encoding="utf-8")
    edit(
        target / "company.yaml",
        "name: Example Networks Corp. (fictional)",
        f"name: {text['company name']}",
    )
    edit(
        target / "group_companies.csv",
        "Example Systems Corp. (fictional)",
        '"' + PLACED["group company"].text.replace('"', '""') + '"',
    )
    edit(
        target / "figures" / "1Q25.csv",
        'revenue,"17,444",E1,published,',
        'revenue,"17,444",E1,published,"' + PLACED["figure note"].text.replace('"', '""') + '"',
    )
    return target


@pytest.fixture(scope="module")
def poisoned(shelf: DeckShelf) -> BuiltDeck:
    """The poisoned deck, built once for the run (conftest's shelf)."""
    return shelf.get(shelf.data_copy("poisoned", _poison), "1Q25")


@pytest.fixture(scope="module")
def attached(poisoned: BuiltDeck) -> list[dict[str, str]]:
    assert poisoned.result.output.pdf is not None
    files = PdfReader(poisoned.result.output.pdf).attachments
    (name,) = [n for n in files if n.endswith(".csv")]
    return list(csv.DictReader(io.StringIO(files[name][0].decode("utf-8"))))


def test_attached_snapshot_holds_plain_text(poisoned: BuiltDeck) -> None:
    """The deck snapshot (for reportgen diff) carries the hostile texts as plain text."""
    assert poisoned.result.output.pdf is not None
    files = PdfReader(poisoned.result.output.pdf).attachments
    (name,) = [n for n in files if n.endswith(".json")]
    data = json.loads(files[name][0].decode("utf-8"))
    texts = [t for s in data["slides"] for t in (s["title"], *s["texts"])]
    texts += [f[k] for s in data["slides"] for f in s["figures"] for k in ("row", "shown")]
    _no_escapes(texts, "attached snapshot")
    assert any(
        PLACED["impact label"].text in f["row"] for s in data["slides"] for f in s["figures"]
    )


def _no_escapes(texts: list[str], where: str) -> None:
    found = [t for t in texts if any(e in t for e in ESCAPED)]
    assert found == [], f"escaped text in the {where}: {found[:3]}"


@pytest.mark.parametrize("key", [k for k, p in PLACED.items() if p.in_pdf], ids=str)
def test_pdf_prints_data_text_as_typed(poisoned: BuiltDeck, key: str) -> None:
    assert any(PLACED[key].text in page for page in poisoned.pages)


def test_pdf_has_no_escaped_text(poisoned: BuiltDeck) -> None:
    _no_escapes(poisoned.pages, "PDF")
    assert poisoned.result.output.pdf is not None
    info = PdfReader(poisoned.result.output.pdf).metadata
    assert info is not None
    assert info.title == PLACED["deck title"].text
    assert info.author == PLACED["company name"].text


def test_xlsx_holds_plain_text(poisoned: BuiltDeck) -> None:
    assert poisoned.result.output.xlsx is not None
    book = load_workbook(poisoned.result.output.xlsx)
    texts = [c.value for s in book for r in s.iter_rows() for c in r if isinstance(c.value, str)]
    _no_escapes(texts, "data pack")
    labels = {str(r[0].value) for s in book for r in s.iter_rows()}
    assert PLACED["impact label"].text in labels
    assert any(PLACED["impact remark"].text in label for label in labels)
    assert book.properties.creator == PLACED["company name"].text
    assert book.properties.title is not None
    assert PLACED["deck title"].text in book.properties.title


def test_attached_csv_holds_plain_text(attached: list[dict[str, str]]) -> None:
    _no_escapes([v for row in attached for v in row.values()], "attached CSV")
    rows = {r["row"] for r in attached}
    assert PLACED["impact label"].text in rows
    assert any(PLACED["impact remark"].text in row for row in rows)
    assert any(PLACED["figure note"].text in r["note"] for r in attached)


class _Page(HTMLParser):
    """The HTML as a browser reads it: text and attribute values with entities decoded."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.texts: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        self.texts.extend(v for _, v in attrs if v)

    def handle_data(self, data: str) -> None:
        self.texts.append(data)


def test_html_escapes_data_text_exactly_once(poisoned: BuiltDeck) -> None:
    page = _Page()
    page.feed(poisoned.html)
    # Decoded once, the text is what was typed: escaped twice, it would still show "&amp;".
    _no_escapes(page.texts, "HTML, once decoded")
    seen = " ".join(" ".join(t.split()) for t in page.texts)
    missing = [key for key, p in PLACED.items() if p.text not in seen]
    assert missing == []
    # Not escaped at all, "<x>" would have become an element.
    assert "x" not in page.tags


def test_formula_like_text_is_text_in_the_data_pack(poisoned: BuiltDeck) -> None:
    assert poisoned.result.output.xlsx is not None
    book = load_workbook(poisoned.result.output.xlsx)
    (row,) = (r for s in book for r in s.iter_rows() if r[0].value == FORMULA)
    assert row[0].data_type == "s"
    assert row[0].quotePrefix
    # Amounts stay numbers (the first impact has no qualifier, so its amount is one).
    (first,) = (r for s in book for r in s.iter_rows() if r[0].value == PLACED["impact label"].text)
    assert first[1].data_type == "n"
    assert isinstance(first[1].value, float | int)
    assert not any(c.data_type == "f" for s in book for r in s.iter_rows() for c in r)


def test_formula_like_text_is_quoted_in_the_attached_csv(
    attached: list[dict[str, str]],
) -> None:
    (row,) = (r for r in attached if FORMULA in r["row"])
    assert row["row"] == f"'{FORMULA}"
    dataset = load_dataset(EXAMPLE)
    model = QuarterModel(dataset.figures, Quarter.parse("1Q25"), dataset.calendar)
    (first,) = (r for r in attached if r["row"] == PLACED["impact label"].text)
    assert float(first["value"]) == model.value("new_subsidiaries_operating_loss").value
    titles = {r["slide"]: r["title"] for r in attached}
    assert {n: titles[n] for n in FORMULA_TITLES} == {n: f"'{t}" for n, t in FORMULA_TITLES.items()}
    # Values are numbers, unquoted, negative ones included.
    values = [r["value"] for r in attached if r["value"]]
    assert any(v.startswith("-") for v in values)
    assert [float(v) for v in values]


# -- every text a spreadsheet would run, through the real writers ---------------------

STARTS = ["=1+2", "+1+2", "-1+2", "@SUM(1,2)", "\t=1+2", "\r=1+2", "\n=1+2"]
STARTS += ["\uff1d1+2", "\uff0b1", "\uff0d1", "\uff20SUM(1,2)"]  # full-width = + - @


@pytest.fixture(scope="module")
def example_deck() -> Deck:
    return prepare(EXAMPLE, Quarter.parse("1Q25"))[1]


def _with_label(deck: Deck, label: str) -> Deck:
    """The deck with the bridge's first impact labelled ``label``."""
    slides = []
    for slide in deck.slides:
        if slide.kind == "bridge":
            impacts = slide.body.impacts
            assert isinstance(impacts, Table)
            rows = (replace(impacts.rows[0], label=label), *impacts.rows[1:])
            slide = replace(slide, body=replace(slide.body, impacts=replace(impacts, rows=rows)))
        slides.append(slide)
    return replace(deck, slides=tuple(slides))


@pytest.mark.parametrize("label", STARTS, ids=repr)
def test_every_formula_start_is_text(example_deck: Deck, tmp_path: Path, label: str) -> None:
    deck = _with_label(example_deck, label)
    target = tmp_path / "pack.xlsx"
    write_xlsx(deck, target)
    cells = [c for s in load_workbook(target) for r in s.iter_rows() for c in r]
    # A carriage return written raw reads back as a line feed (XML's end-of-line
    # handling); openpyxl over lxml writes it as &#13; and it reads back as itself.
    # The slide's sheet and the Figures sheet both list the row.
    found = [c for c in cells if c.value in (label, label.replace("\r", "\n"))]
    assert len(found) == 2
    assert all((c.data_type, c.quotePrefix) == ("s", True) for c in found)
    rows = list(csv.DictReader(io.StringIO(figures_csv(deck))))
    assert f"'{label}" in {r["row"] for r in rows}


@pytest.mark.parametrize("label", ["+128", "-4.9%", "-1,528", "Total (128)", "R&D"], ids=repr)
def test_numbers_as_printed_and_plain_words_are_left_alone(
    example_deck: Deck, tmp_path: Path, label: str
) -> None:
    deck = _with_label(example_deck, label)
    target = tmp_path / "pack.xlsx"
    write_xlsx(deck, target)
    cells = [c for s in load_workbook(target) for r in s.iter_rows() for c in r]
    found = [c for c in cells if c.value == label]
    assert len(found) >= 2  # the slide's sheet and the Figures sheet (and a shown text)
    assert all((c.data_type, c.quotePrefix) == ("s", False) for c in found)
    rows = list(csv.DictReader(io.StringIO(figures_csv(deck))))
    assert label in {r["row"] for r in rows}


def test_control_characters_do_not_break_the_data_pack(example_deck: Deck, tmp_path: Path) -> None:
    # XML cannot hold them: openpyxl raised mid-build and no data pack was written.
    deck = _with_label(example_deck, "R\x01D\x0b loss")
    target = tmp_path / "pack.xlsx"
    write_xlsx(deck, target)
    labels = {c.value for s in load_workbook(target) for r in s.iter_rows() for c in r}
    assert "R\ufffdD\ufffd loss" in labels
    rows = list(csv.DictReader(io.StringIO(figures_csv(deck))))
    assert "R\x01D\x0b loss" in {r["row"] for r in rows}
