"""Commentary is data: its text is escaped, its placeholders still give figures."""

from __future__ import annotations

from pathlib import Path

import pytest

from reportgen import formatting
from reportgen.build import prepare
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.render import TEMPLATES
from reportgen.slides.commentary import Commentary
from reportgen.slides.messages import Messages


@pytest.mark.parametrize(
    ("source", "escaped"),
    [
        ("<script>alert('x')</script>", "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;"),
        ('<img src=x onerror="y">', "&lt;img src=x onerror=&#34;y&#34;&gt;"),
        ("R&D", "R&amp;D"),
    ],
    ids=["script", "attribute", "ampersand"],
)
def test_text_around_placeholders_is_escaped(
    iij_model: QuarterModel, source: str, escaped: str
) -> None:
    t = Messages.load(TEMPLATES, "en")
    html = Commentary(iij_model, "deck.yaml", t).text(f"{source} {{{{ 'revenue'|m }}}}")
    figure = formatting.jpy_million(iij_model.value("revenue").value)
    assert html.startswith(f"{escaped} <span class=")
    assert f">{figure}</span>" in html


def test_forecast_comments_are_escaped_too(data_copy: Path) -> None:
    deck_file = data_copy / "decks" / "1Q08.yaml"
    text = deck_file.read_text(encoding="utf-8")
    old = "revenue: Recurring revenues continue to increase;"
    assert old in text
    deck_file.write_text(text.replace(old, f"revenue: <script>x()</script> {old[9:]}"), "utf-8")
    _, deck, _ = prepare(data_copy, Quarter.parse("1Q08"))
    (slide,) = (s for s in deck.slides if s.kind == "forecast")
    comments = [str(row.comment) for row in slide.body.rows]
    assert any("&lt;script&gt;x()&lt;/script&gt;" in c for c in comments)
    assert not any("<script>" in c for c in comments)
