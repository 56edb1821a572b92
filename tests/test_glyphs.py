"""A character no shipped font has is refused, not printed as an empty box (glyphs.py)."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen import weasyprint_import
from reportgen.glyphs import Unprintable, coverage, unprintable
from tests.test_overflow import QUARTER, add_bullets, build, error_line


def test_an_emoji_in_a_bullet_is_refused_naming_the_slide(
    example_copy: Path, tmp_path: Path
) -> None:
    add_bullets(example_copy, "A record quarter \U0001f680 for the team.")
    code, err = build(example_copy, tmp_path / "out")
    assert code == 2, err
    line = error_line(err)
    assert f"slide 1 (statement, {QUARTER})" in line
    assert "U+1F680 '\U0001f680' (rocket) is in none of the deck's fonts" in line
    assert not list((tmp_path / "out").rglob("*.pdf"))


def test_the_shipped_fonts_cover_both_editions_scripts() -> None:
    covered = coverage()
    for text in (
        "Revenues (1,528) 15.9% ◆▶■\u2013",
        "売上高は前年同期比△16.9%減少。〜\uff08\uff09",
    ):
        assert {ord(c) for c in text} <= covered, text


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Revenues rose\u2060 by 7.5%", []),
        ("Revenues rose \U0001f4c8 by 7.5%", [Unprintable(0, "\U0001f4c8")]),
        ("\u0627\u0644\u0625\u064a\u0631\u0627\u062f\u0627\u062a", [Unprintable(0, "\u0627")]),
    ],
    ids=["covered", "emoji", "arabic"],
)
def test_unprintable_characters_are_found_in_the_laid_out_text(
    text: str, expected: list[Unprintable]
) -> None:
    weasyprint_import.load()
    from weasyprint import HTML

    css = "@font-face { font-family: Lato; src: url(fonts/Lato-Regular.ttf) } p { font: 10pt Lato }"
    document = HTML(string=f"<style>{css}</style><p>{text}</p>").render()
    assert unprintable(document) == expected
