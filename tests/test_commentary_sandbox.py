"""Commentary is text plus the model's figures: no markup, no Python, no crash, bounded.

Issue 15, items 1, 9 (commentary) and 10: every text a deck file renders goes
through ``reportgen/slides/placeholders.py``; these tests try it the way a
hostile or careless deck file would, in bullets, notes and forecast comments.
"""

from __future__ import annotations

import io
import json
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from reportgen.build import prepare
from reportgen.cli import main
from reportgen.errors import CommentaryError
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.render import TEMPLATES
from reportgen.slides.commentary import Commentary
from reportgen.slides.messages import Messages
from reportgen.slides.periods import PeriodNames
from reportgen.slides.placeholders import MAX_SOURCE_CHARS
from reportgen.slides.shown import FigureMarkup
from tests.conftest import edit, written_at

Q = Quarter.parse("1Q08")
# A bullet of slide 2 (breakdown, "Revenues") in data/iij/decks/1Q08.yaml, and a forecast comment.
BULLET = "Recurring revenues rose to {{ 'revenue_recurring'|ratio }} of total revenues"
COMMENT = "revenue: Recurring revenues continue to increase;"
FIGURE_SPAN = re.compile(r"^fig st-[a-z_]+$")


class _Tags(HTMLParser):
    """Every start tag of a fragment, with its attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def assert_only_figure_spans(html: str) -> None:
    """The only markup is our figure spans: <span class="fig st-…" title="…" data-docs="…">.

    ``data-docs`` is the figure's documents as JSON (for the preview's popover): data,
    never markup.
    """
    parser = _Tags()
    parser.feed(html)
    parser.close()
    for tag, attrs in parser.tags:
        assert tag == "span", html
        assert set(attrs) == {"class", "title", "data-docs"}, html
        assert FIGURE_SPAN.match(attrs["class"] or ""), html
        assert isinstance(json.loads(attrs["data-docs"] or ""), list), html
    assert html.count("<") == 2 * len(parser.tags), html


@pytest.fixture(scope="module")
def commentary(iij_model: QuarterModel) -> Commentary:
    t = Messages.load(TEMPLATES, "en")
    return Commentary(iij_model, "deck.yaml", t, periods=PeriodNames(t, iij_model.calendar))


# -- item 1: no tag, no style, no Markup from deck text ------------------------------------

MARKUP_ATTEMPTS = {
    "safe": "{{ '<img src=x onerror=alert(1)>'|safe }}",
    "autoescape": "{% autoescape false %}<div style='position:fixed'>FAKE</div>{% endautoescape %}",
    "markup-global": "{{ Markup('<b>x</b>') }}",
    "format": "{{ '<%s>'|format('b') }}",
    "xmlattr": "<p{{ {'style': 'color:red'}|xmlattr }}>",
    "urlize": "{{ 'http://x.example/<b>'|urlize }}",
    "tojson": "{{ '<b>'|tojson }}",
    "macro": "{% macro f() %}<b>x</b>{% endmacro %}{{ f() }}",
    "set": "{% set x = '<b>'|safe %}{{ x }}",
    "caller": "{% macro f() %}{{ caller() }}{% endmacro %}{% call f() %}<b>{% endcall %}",
    "indent": "{{ '<b>'|safe|indent }}",
    "wordwrap": "{{ '<b>'|wordwrap(3) }}",
    "striptags": "{{ '&lt;b&gt;'|striptags }}",
    "filter-block": "{% filter upper %}<b>{% endfilter %}",
    "attr": "{{ ''.__html__ }}",
    "figure-attr": "{{ ('revenue'|m).__html__() }}",
    "include": "{% include 'deck.html' %}",
    "concat-figure": "{{ 'revenue'|m ~ '<b>' }}",
}


@pytest.mark.parametrize("source", MARKUP_ATTEMPTS.values(), ids=MARKUP_ATTEMPTS.keys())
def test_constructs_that_could_emit_markup_are_refused(commentary: Commentary, source: str) -> None:
    with pytest.raises(CommentaryError, match=r"^deck\.yaml: placeholder error in ") as caught:
        commentary.text(f"Revenues {{{{ 'revenue'|m }}}}. {source}")
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    ("source", "text"),
    [
        ("{% raw %}<b>x</b>{% endraw %}", "&lt;b&gt;x&lt;/b&gt;"),
        ("{{ '<style>p{}</style>' }}", "&lt;style&gt;p{}&lt;/style&gt;"),
        ('<div style="position:fixed">FAKE 99,999</div>', "&lt;div style="),
        ("{{ quarter|period }} & <i>", "&amp; &lt;i&gt;"),
    ],
    ids=["raw", "constant", "literal-div", "period"],
)
def test_text_that_looks_like_markup_is_printed_as_text(
    commentary: Commentary, source: str, text: str
) -> None:
    html = commentary.text(source)
    assert text in html
    assert_only_figure_spans(html)


# Pieces a deck file could combine: markup, Jinja syntax, our placeholders and others'.
_PIECES = [
    "<b>", "</b>", "<img src=x onerror=alert(1)>", "<div style='top:0'>", "&", "'", '"',
    "{{ ", " }}", "{% ", " %}", "{# ", " #}", "{{ 'revenue'|m }}", "{{ 'sga'|yoy_dir }}",
    "{{ year_ago_quarter|period }}", "|safe", "|e", "|format('<b>')", "|xmlattr", "|tojson",
    "autoescape false", "endautoescape", "raw", "endraw", "set x = '<b>'", "x", "macro f()",
    "endmacro", "f()", "caller()", "'<i>'", "quarter", "(", ")", "[0]", ".__html__()",
    " * 3", " ~ ", "Markup", "\n", "FAKE REVENUE 99,999",
    # Whole constructs too, so that a search finds the known holes fast.
    "{{ '<b>'|safe }}", "{% autoescape false %}", "{% endautoescape %}", "{{ x|safe }}",
    "{% set x = '<i>'|safe %}", "{{ 'revenue'|m|safe }}",
]  # fmt: skip


@settings(max_examples=300, deadline=None)
@given(st.lists(st.sampled_from(_PIECES), max_size=12).map("".join))
def test_no_combination_yields_markup(commentary: Commentary, source: str) -> None:
    """Whatever a text combines, it is refused or rendered with our figure spans only."""
    try:
        html = commentary.text(source)
    except CommentaryError as exc:
        message = str(exc)
    else:
        message = ""
        # Markup carrying the figures it prints, nothing that could be markup of its own.
        assert type(html) is FigureMarkup
        assert_only_figure_spans(html)
    assert "\n" not in message


# -- item 10: a crash inside a placeholder is one line naming file, slide, placeholder ----

CRASHES = {
    "division": "{{ 1/0 }}",
    "number-as-item": "{{ 3|m }}",
    "number-as-period": "{{ 'revenue'|m(5) }}",
    "unknown-period": "{{ 'revenue'|m('9Q99') }}",
    "keyword": "{{ 'revenue'|m(when=quarter) }}",
    "too-many-arguments": "{{ 'revenue'|yoy_dir(quarter, 1, 2) }}",
    "period-of-a-figure": "{{ 'revenue'|m|period }}",
    "period-of-garbage": "{{ 'not a quarter'|period }}",
    "period-of-number": "{{ 5|period_short }}",
    "unknown-name": "{{ next_quarter|period }}",
    "recursion": "{% macro f() %}{{ f() }}{% endmacro %}{{ f() }}",
    "huge-range": "{{ range(10**9)|list }}",
    "replace": "{{ 'x'|replace(1) }}",
    "join": "{{ [1, 2]|join(1) }}",
    "truncate": "{{ 'x'|truncate('a') }}",
    "attr": "{{ 'x'|attr(1) }}",
    "syntax": "{{ 'revenue'|m ",
    "nested-deeply": "{{ " + "(" * 2000 + "1" + ")" * 2000 + " }}",
}


@pytest.mark.parametrize("source", CRASHES.values(), ids=CRASHES.keys())
def test_crashes_are_one_line_naming_file_and_placeholder(
    commentary: Commentary, source: str
) -> None:
    with pytest.raises(CommentaryError) as caught:
        commentary.text(f"Revenues were {source} in the quarter.")
    message = str(caught.value)
    assert message.startswith("deck.yaml: placeholder error in ")
    assert "\n" not in message
    assert len(message) < 400
    # The first failing tag is quoted (cut short when it is very long).
    first_tag = re.search(r"\{[{%].*?(?:[}%]\}|$)", source)
    assert first_tag is not None
    assert " ".join(first_tag.group().split())[:50] in message


def _deck_file(data: Path) -> Path:
    return data / "decks" / "1Q08.yaml"


@pytest.mark.parametrize(
    "placeholder",
    ["{{ 3|m }}", "{{ 'revenue'|m(5) }}", "{{ 'x' * 300000000 }}", "{{ '<b>'|safe }}"],
    ids=["wrong-type", "wrong-period", "repetition", "safe"],
)
def test_cli_names_deck_file_slide_and_placeholder(
    tmp_path: Path, data_copy: Path, placeholder: str
) -> None:
    edit(_deck_file(data_copy), BULLET, f"{BULLET} {placeholder}")
    err = io.StringIO()
    argv = ["build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(tmp_path)]
    code = main(argv, stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "Traceback" not in err.getvalue()
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("error:")]
    deck = _deck_file(data_copy)
    assert f'{deck}:{written_at(deck, placeholder)}, slide 2 (breakdown, 1Q08) "Revenues": ' in line
    assert f'"Revenues": placeholder error in {placeholder}: ' in line
    assert not (tmp_path / "1Q08").exists()


def test_forecast_comments_share_the_same_rules(data_copy: Path) -> None:
    hostile = "<b>x</b> {{ '<img src=x onerror=alert(1)>'|safe }}"
    edit(_deck_file(data_copy), COMMENT, f"revenue: {hostile} {COMMENT[9:]}")
    with pytest.raises(CommentaryError) as caught:
        prepare(data_copy, Q)
    message = str(caught.value)
    assert ", slide Ref. 1 (forecast, 1Q08) " in message
    assert "placeholder error in {{ '<img src=x onerror=alert(1)>'|safe }}: no filter 'safe'" in (
        message
    )


def test_forecast_comment_crash_names_the_placeholder(data_copy: Path) -> None:
    edit(_deck_file(data_copy), COMMENT, f"revenue: JPY {{{{ 5|target_bn }}}} {COMMENT[9:]}")
    with pytest.raises(CommentaryError, match=r"slide Ref\. 1 \(forecast, 1Q08\) .*5\|target_bn"):
        prepare(data_copy, Q)


# -- item 9: bounded length -----------------------------------------------------------------


def test_a_long_text_is_refused_before_it_is_rendered(commentary: Commentary) -> None:
    source = "Revenues grew. " * (MAX_SOURCE_CHARS // 10)
    with pytest.raises(CommentaryError, match=r"text of [\d,]+ characters; expected at most"):
        commentary.text(source)


def test_placeholders_cannot_blow_up_the_output(commentary: Commentary) -> None:
    # The longest way a text within the source bound can grow: one figure after another.
    placeholder = "{{'sga'|ratio_yoy_pt_dir}}"
    source = placeholder * (MAX_SOURCE_CHARS // len(placeholder))
    with pytest.raises(CommentaryError, match=r"longer than [\d,]+ characters with its figures"):
        commentary.text(source)


# -- conditions: {% if has(...) %} and |is_loss, nothing else ------------------------------


@pytest.mark.parametrize(
    ("source", "reason"),
    [
        ("{% if has('revenue') %}x", "not closed; expected {% endif %}"),
        ("x{% endif %}", "without an {% if %} before it"),
        ("{% if has('revenue') %}a{% else %}b{% else %}c{% endif %}", "after {% else %}"),
        ("{% if has('revenue') %}a{% else x %}b{% endif %}", "takes nothing after it"),
        ("{% if %}a{% endif %}", "needs a condition"),
        ("{% if range(3) %}a{% endif %}", "a function call"),
        ("{% if 'revenue'|m %}a{% endif %}", "is not a test"),
        ("{% if ''.__class__ %}a{% endif %}", "attribute access"),
        ("{% for x in y %}a{% endfor %}", "{% for %} is not allowed"),
    ],
    ids=["unclosed", "stray-endif", "two-else", "else-arg", "empty", "call", "not-a-test", "attr",
         "for"],
)  # fmt: skip
def test_conditions_are_our_tests_only(commentary: Commentary, source: str, reason: str) -> None:
    with pytest.raises(CommentaryError, match=r"^deck\.yaml: placeholder error in ") as caught:
        commentary.text(source)
    assert reason in str(caught.value)
    assert "\n" not in str(caught.value)


def test_conditions_choose_a_branch(commentary: Commentary, iij_model: QuarterModel) -> None:
    loss = (iij_model.value("net_income").value or 0) < 0
    source = (
        "{% if not has('revenue') %}none{% elif 'net_income'|is_loss %}loss"
        "{% else %}{{ 'net_income'|m }}{% endif %}"
        "{% if has('revenue') and has('sga') %}; both{% endif %}"
    )
    html = commentary.text(source)
    assert_only_figure_spans(html)
    shown = Markup(html).striptags()
    assert shown.endswith("; both")
    assert ("loss" in shown) is loss
