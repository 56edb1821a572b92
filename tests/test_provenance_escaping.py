"""Hover provenance is an attribute value: a source note can never break out of it.

Issue 15, "Tests that could not see these": provenance built with an f-string
instead of escaped markup survived the suite. A figure's note is free text from
the figures file, and it ends up in the ``title`` of the figure's commentary span
and of its table cells.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

from reportgen.build import build
from reportgen.quarters import Quarter
from tests.conftest import edit

# A note with everything that matters inside a double-quoted attribute.
NOTE = 'Restated "as reported" <b>draft</b> & <img src=x onerror=alert(1)>'
NOTE_CSV = '"Restated ""as reported"" <b>draft</b> & <img src=x onerror=alert(1)>"'
ESCAPED = "Restated &#34;as reported&#34; &lt;b&gt;draft&lt;/b&gt; &amp; &lt;img src=x"


class _Titles(HTMLParser):
    """The tag and decoded ``title`` of every element that has one; every attribute seen."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.titles: list[tuple[str, str]] = []
        self.attributes: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.attributes.update(name for name, _ in attrs)
        title = dict(attrs).get("title")
        if title is not None:
            self.titles.append((tag, title))


def test_a_note_with_quotes_and_tags_stays_inside_the_title(
    tmp_path: Path, data_copy: Path
) -> None:
    figures = data_copy / "figures" / "1Q08.csv"
    edit(figures, 'revenue,"16,328",S1,published,\n', f'revenue,"16,328",S1,published,{NOTE_CSV}\n')
    # A bullet that prints the same figure, so that commentary carries the note too.
    edit(
        data_copy / "decks" / "1Q08.yaml",
        '    title: "Consolidated Financial Results for {{ quarter_label }}"\n    bullets:\n',
        '    title: "Consolidated Financial Results for {{ quarter_label }}"\n    bullets:\n'
        "      - Revenues were JPY {{ 'revenue'|m }} million.\n",
    )
    result = build(data_copy, Quarter.parse("1Q08"), tmp_path, pdf=False)
    html = result.output.html.read_text(encoding="utf-8")

    assert "<b>draft</b>" not in html
    assert "<img src=x" not in html
    assert ESCAPED in html
    parser = _Titles()
    parser.feed(html)
    parser.close()
    assert "onerror" not in parser.attributes
    noted = {tag for tag, title in parser.titles if title.endswith(NOTE)}
    # The whole note is the end of one attribute, in the commentary span and a table cell.
    assert {"span", "td"} <= noted
