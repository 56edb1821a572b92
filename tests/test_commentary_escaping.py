"""Commentary is data: its text is escaped, its placeholders still give figures."""

from __future__ import annotations

import pytest

from reportgen import formatting
from reportgen.model.quarter import QuarterModel
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
