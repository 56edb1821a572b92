"""Text never spills out of its part of a slide, even when the page count stays right.

A slide's box has a fixed size and visible overflow, so a title of two lines, a bullet
column that runs over the footer or a word wider than its column would print over
something else on a deck of the right length. Each is an exit-2 line naming the slide
(``reportgen/overflow.py``); a long word breaks inside its column instead.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reportgen import weasyprint_import
from reportgen.cli import main
from reportgen.overflow import Spill, spills
from tests.conftest import edit, pdf_pages

QUARTER = "1Q25"
TITLE = '    title: "Consolidated Financial Results for {{ quarter_label }}"\n'
DOCUMENT_ID = "3f5a9c2e1b7d4e6f8a0c2d4e6f8a1b3c5d7e9f0a2c4e6b8d0f1a3c5e7b9d2f4a6c8e0b1d3f5a7c9e2b4d"


def build(data: Path, out: Path) -> tuple[int, str]:
    err = io.StringIO()
    argv = ["build", "--quarter", QUARTER, "--data", str(data), "--out", str(out)]
    return main(argv, stdout=io.StringIO(), stderr=err), err.getvalue()


def add_bullets(data: Path, *bullets: str) -> None:
    """``bullets`` first on slide 1, before the ones its deck file has."""
    deck = data / "decks" / f"{QUARTER}.yaml"
    text = deck.read_text(encoding="utf-8")
    at = text.index("bullets:\n", text.index(TITLE)) + len("bullets:\n")
    added = "".join(f'      - "{bullet}"\n' for bullet in bullets)
    deck.write_text(text[:at] + added + text[at:], encoding="utf-8")


def error_line(err: str) -> str:
    assert "Traceback" not in err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    return line


def test_a_title_longer_than_its_header_is_refused(example_copy: Path, tmp_path: Path) -> None:
    longer = TITLE.replace('}}"', '}}: Revenues, Costs, Gross Margin, Operating and Net Income"')
    edit(example_copy / "decks" / f"{QUARTER}.yaml", TITLE, longer)
    code, err = build(example_copy, tmp_path / "out")
    assert code == 2, err
    line = error_line(err)
    assert f"slide 1 (statement, {QUARTER})" in line
    assert "the title does not fit in the slide's header; shorten it" in line
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_bullets_that_run_over_the_footer_are_refused(example_copy: Path, tmp_path: Path) -> None:
    """Nine more bullets: the column runs over the footer, yet the deck has one page a slide."""
    sentence = "Further commentary line {} on the quarter, written to fill the column of bullets."
    add_bullets(example_copy, *(sentence.format(n) for n in range(9)))
    code, err = build(example_copy, tmp_path / "out")
    assert code == 2, err
    line = error_line(err)
    assert f"slide 1 (statement, {QUARTER})" in line
    assert "text runs outside the slide's body, over its footer or edge" in line
    assert "does not fit on one page" not in line


def test_a_word_longer_than_its_column_breaks_inside_it(example_copy: Path, tmp_path: Path) -> None:
    add_bullets(example_copy, f"Document ID {DOCUMENT_ID}")
    code, err = build(example_copy, tmp_path / "out")
    assert code == 0, err
    (pdf,) = (tmp_path / "out" / QUARTER).glob("*.pdf")
    # Broken over lines, all of it printed on the slide.
    assert DOCUMENT_ID in pdf_pages(pdf)[1].replace(" ", "").replace("-", "")


def _laid_out(body: str) -> object:
    weasyprint_import.load()
    from weasyprint import HTML

    css = (
        "@page { size: 4in 2in; margin: 0 } * { box-sizing: border-box } body { margin: 0 }"
        ".slide { position: relative; width: 4in; height: 2in; padding: 0.5in 0.2in 0.3in }"
        ".slide-header { position: absolute; top: 0.1in; left: 0.2in; right: 0.2in;"
        " height: 0.3in }"
        ".slide-footer { position: absolute; bottom: 0.05in; left: 0.2in; right: 0.2in;"
        " height: 0.6in }"
        ".col { width: 1in }"
    )
    html = (
        f"<style>{css}</style><section class='slide'>"
        "<header class='slide-header'>Title</header>"
        f"<div class='slide-body'>{body}</div>"
        "<footer class='slide-footer'>Footer</footer></section>"
    )
    return HTML(string=html).render()


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        ("<p class='col'>fits in its column</p>", []),
        ("<p class='col'>" + "W" * 12 + "</p>", [Spill(0, "line", "W" * 12)]),
        ("<p class='col' style='overflow-wrap: break-word'>" + "W" * 12 + "</p>", []),
        ("<p>" + "line<br>" * 6 + "</p>", [Spill(0, "body", "line")]),
    ],
    ids=["fits", "word-wider-than-column", "word-broken", "over-the-footer"],
)
def test_spills_are_found_in_the_laid_out_boxes(body: str, expected: list[Spill]) -> None:
    assert spills(_laid_out(body)) == expected
