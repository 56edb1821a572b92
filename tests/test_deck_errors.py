"""Every error about a deck file names where it is written and which slide it is on.

One test per class of mistake a new user makes in ``decks/<quarter>.yaml``, through the
CLI: the one error line starts ``<deck file>:<line>:<column>`` (the YAML node holding
the text at fault), names the slide by its printed number, kind and title, and suggests
the closest name where one was misspelt; exit 2, no traceback, nothing written.
"""

from __future__ import annotations

import io
import shutil
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.data.load import load_dataset
from reportgen.quarters import Quarter
from tests.conftest import EXAMPLE, BuiltDeck, edit, written_at

QUARTER = "1Q25"
REVENUES = 'slide 2 (breakdown, 1Q25) "Revenues"'


@pytest.fixture(scope="module")
def summary(example_1q25: BuiltDeck) -> str:
    """Slide 1 as error lines name it: number, kind, quarter, and its title as printed
    (the deck file writes it with ``{{ quarter_label }}``)."""
    (slide,) = [s for s in example_1q25.slides if s.number == "1"]
    return f'slide 1 (statement, {QUARTER}) "{slide.title}"'


@pytest.fixture
def company(tmp_path: Path) -> Path:
    """A copy of the fictional company, to make mistakes in."""
    data = tmp_path / "company"
    shutil.copytree(EXAMPLE, data)
    return data


def deck_of(company: Path, edition: str = "en") -> Path:
    return company / "decks" / (f"{QUARTER}.yaml" if edition == "en" else f"{QUARTER}.ja.yaml")


def column_of(path: Path, needle: str) -> str:
    """``line:column`` where ``needle`` itself starts (a value in a flow mapping)."""
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            return f"{number}:{line.index(needle) + 1}"
    raise AssertionError(f"{needle!r} is not in {path}")


def build_error(company: Path, tmp_path: Path, *options: str) -> str:
    """The one error line of a build of the deck (exit 2, no traceback, no deck)."""
    err = io.StringIO()
    out = tmp_path / "out"
    argv = ["build", "--no-pdf", "--quarter", QUARTER, "--data", str(company), "--out", str(out)]
    code = main([*argv, *options], stdout=io.StringIO(), stderr=err)
    assert code == 2, err.getvalue()
    assert "Traceback" not in err.getvalue()
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("error: ")]
    assert not (out / QUARTER).exists()
    return line.removeprefix("error: ")


@pytest.mark.parametrize("kind", ["breakdwon", "Breakdown"], ids=["misspelt", "capitalised"])
def test_unknown_slide_kind(company: Path, tmp_path: Path, kind: str) -> None:
    deck = deck_of(company)
    edit(deck, "kind: breakdown", f"kind: {kind}")
    line = build_error(company, tmp_path)
    # The slide is named by its number and the title its deck file gives.
    where = written_at(deck, f"kind: {kind}")
    assert line.startswith(f'{deck}:{where}, slide 2 ({kind}, 1Q25) "Revenues": ')
    assert f"unknown kind '{kind}' (did you mean 'breakdown'?)" in line


@pytest.mark.parametrize(("former", "now"), [("revenues", "breakdown"), ("sga", "breakdown")])
def test_a_kind_of_an_earlier_release_says_what_it_became(
    company: Path, tmp_path: Path, former: str, now: str
) -> None:
    """A deck file written before the generic kinds (slide 2 was ``kind: revenues``) is
    told which kind replaced its slide's and what that kind reads, not only "unknown"."""
    deck = deck_of(company)
    edit(deck, "kind: breakdown", f"kind: {former}")
    line = build_error(company, tmp_path)
    assert (
        f"unknown kind '{former}'; '{former}' is now kind: {now}, with a title: and content:"
        in line
    )
    assert "Slide kinds" in line


def test_unknown_content_key(company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "      impacts:", "      impact:")
    line = build_error(company, tmp_path)
    row = written_at(deck, "impact:").split(":")[0]
    assert line.startswith(
        f'{deck}:{row}:7, slide 6 (bridge, 1Q25) "Operating Income YoY '
        "Comparison\": content.impact: unknown key (did you mean 'impacts'?)"
    )


def test_unknown_key_of_a_slide(summary: str, company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    title = '    title: "Consolidated Financial Results for {{ quarter_label }}"\n'
    edit(deck, f"{title}    bullets:", f"{title}    bulets:")
    line = build_error(company, tmp_path)
    row = written_at(deck, "bulets:").split(":")[0]
    assert line.startswith(f"{deck}:{row}:5, {summary}: ")
    assert "bulets: unknown key (did you mean 'bullets'?)" in line


@pytest.mark.parametrize(
    ("wrong", "date"),
    [("12/08/2025", "release_date: '12/08/2025'"), ("2025-8-12", "release_date: '2025-8-12'")],
    ids=["day-first", "no-padding"],
)
def test_release_date_in_another_format(
    company: Path, tmp_path: Path, wrong: str, date: str
) -> None:
    deck = deck_of(company)
    edit(deck, "release_date: 2025-08-12", f"release_date: {wrong}")
    line = build_error(company, tmp_path)
    assert line.startswith(f"{deck}:{written_at(deck, 'release_date:')}: {date} is not a date")
    assert "expected YYYY-MM-DD" in line


@pytest.mark.parametrize("years_back", [1, 0], ids=["copied-from-a-year-ago", "the-day-it-ends"])
def test_a_deck_released_before_its_quarter_ends_is_refused(
    company: Path, tmp_path: Path, years_back: int
) -> None:
    """A deck file copied from an earlier quarter keeps its date: figures would be shown
    as of a day before the quarter ended."""
    deck = deck_of(company)
    ends = Quarter.parse(QUARTER).end_date(load_dataset(company).calendar)
    released = ends.replace(year=ends.year - years_back)
    edit(deck, "release_date: 2025-08-12", f"release_date: {released.isoformat()}")
    line = build_error(company, tmp_path)
    assert line.startswith(
        f"{deck}:{written_at(deck, 'release_date:')}: release_date {released.isoformat()} "
        f"is not after {QUARTER} ends ({ends.isoformat()})"
    )


def test_press_release_date_names_its_slide(company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "{date: 2025-01-20,", "{date: 2025-01-32,")
    line = build_error(company, tmp_path)
    assert line.startswith(
        f"{deck}:{column_of(deck, '2025-01-32')}, slide Ref. 4 (press_releases, 1Q25) "
        "\"Press Releases\": content.releases.0.date: '2025-01-32' is not a date"
    )
    assert "expected YYYY-MM-DD" in line


def test_unknown_item_in_a_bullet(summary: str, company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "{{ 'revenue'|yoy_dir }} YoY", "{{ 'revenues'|yoy_dir }} YoY")
    line = build_error(company, tmp_path)
    assert line.startswith(f"{deck}:{written_at(deck, 'revenues')}, {summary}: ")
    # The failing placeholder whole, then the closest item.
    assert "placeholder error in {{ 'revenues'|yoy_dir }}: " in line
    assert "unknown item 'revenues' (did you mean 'revenue'?)" in line


def test_unknown_filter_in_a_note(company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "fictional company; {{ year_ago_quarter }}", "{{ 'revenue'|yoy_dri }}")
    line = build_error(company, tmp_path)
    assert line.startswith(f"{deck}:{written_at(deck, 'yoy_dri')}, {REVENUES}: ")
    assert "placeholder error in {{ 'revenue'|yoy_dri }}: no filter 'yoy_dri'" in line
    assert "(did you mean 'yoy_dir'?)" in line


def test_unknown_name_in_a_title(company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "title: Forecast for FY2025", "title: Forecast as of {{ quater }}")
    line = build_error(company, tmp_path)
    assert line.startswith(
        f"{deck}:{written_at(deck, 'quater')}, slide Ref. 1 (forecast, 1Q25) "
        '"Forecast as of {{ quater }}": '
    )
    assert "unknown name 'quater' (did you mean 'quarter'?)" in line


def test_an_item_without_quotes(summary: str, company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "{{ 'revenue'|yoy_dir }} YoY", "{{ revenue|yoy_dir }} YoY")
    line = build_error(company, tmp_path)
    assert line.startswith(f"{deck}:{written_at(deck, 'revenue|')}, {summary}: ")
    assert "unknown name 'revenue' (an item is quoted: 'revenue')" in line


def test_unknown_item_in_a_content_text(company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    point = "- text: Contracts grew steadily"
    edit(deck, point, "- text: Contracts grew {{ 'revenue_conectivity'|yoy_dir }}")
    line = build_error(company, tmp_path)
    assert line.startswith(
        f"{deck}:{written_at(deck, 'revenue_conectivity')}, slide 11 (panels, 1Q25) "
        "\"New Business Development\": placeholder error in {{ 'revenue_conectivity'|yoy_dir }}: "
    )
    assert "(did you mean 'revenue_connectivity'?)" in line


def test_unknown_company_of_a_panel(company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "company: example_labs", "company: example_lab")
    line = build_error(company, tmp_path)
    assert line.startswith(
        f"{deck}:{written_at(deck, 'example_lab')}, slide 11 (panels, 1Q25) "
        "\"New Business Development\": panel company 'example_lab' is not in group_companies.csv "
        "(did you mean 'example_labs'?)"
    )


def test_unknown_item_in_a_forecast_comment(company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "{{ 'deferred_tax'|target_bn('4Q25') }}", "{{ 'deffered_tax'|target_bn('4Q25') }}")
    line = build_error(company, tmp_path)
    # A folded text (``>-``) starts at its indicator.
    assert line.startswith(
        f"{deck}:{written_at(deck, 'net_income: >-')}, slide Ref. 1 (forecast, 1Q25) "
        '"Forecast for FY2025": '
    )
    assert "unknown item 'deffered_tax' (did you mean 'deferred_tax'?)" in line


def test_missing_figure_in_a_text(summary: str, company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(deck, "{{ 'revenue'|yoy_dir }} YoY", "{{ 'revenue'|m('1Q30') }} YoY")
    line = build_error(company, tmp_path)
    assert line.startswith(f"{deck}:{written_at(deck, '1Q30')}, {summary}: ")
    assert "revenue 1Q30 is not available in this data set" in line


def test_syntax_error_quotes_the_whole_placeholder(
    summary: str, company: Path, tmp_path: Path
) -> None:
    deck = deck_of(company)
    edit(deck, "{{ 'revenue'|yoy_dir }} YoY", "{{ 'revenue'|yoy_dir(year_ago_quarter }} YoY")
    line = build_error(company, tmp_path)
    assert line.startswith(f"{deck}:{written_at(deck, 'year_ago_quarter }}')}, {summary}: ")
    assert "placeholder error in {{ 'revenue'|yoy_dir(year_ago_quarter }}: " in line
    assert "Total revenues were" not in line  # the tag, not the start of the text


def test_typed_word_contradicting_its_figure(summary: str, company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    edit(
        deck, "Total revenues were {{ 'revenue'|yoy_dir }}", "Revenues fell by {{ 'revenue'|yoy }}"
    )
    line = build_error(company, tmp_path)
    assert line.startswith(f"{deck}:{written_at(deck, 'Revenues fell by')}, {summary}: ")
    assert "the words 'fell by' next to" in line


def test_japanese_deck_names_its_own_file(company: Path, tmp_path: Path) -> None:
    deck = deck_of(company, "ja")
    edit(deck, "{{ 'revenue'|yoy_dir }}", "{{ 'revenue'|yoy_dri }}")
    line = build_error(company, tmp_path, "--edition", "ja")
    assert line.startswith(f"{deck}:{written_at(deck, 'yoy_dri')}, slide 1 (statement, 1Q25) ")
    assert "(did you mean 'yoy_dir'?)" in line


def test_typed_numbers_warn_with_location_in_build_and_check(
    summary: str, company: Path, tmp_path: Path
) -> None:
    deck = deck_of(company)
    edit(deck, "Total revenues were {{ 'revenue'|yoy_dir }}", "Total revenues were up 7.5%")
    where = f"{deck}:{written_at(deck, 'up 7.5%')}, {summary}: typed number '7.5%' equals "
    err = io.StringIO()
    argv = ["build", "--no-pdf", "--quarter", QUARTER, "--data", str(company)]
    code = main([*argv, "--out", str(tmp_path / "o")], stdout=io.StringIO(), stderr=err)
    assert code == 0
    assert f"WARNING: {where}revenue:yoy" in err.getvalue()
    out = io.StringIO()
    code = main(["check", "--quarter", QUARTER, "--data", str(company)], stdout=out)
    assert f"warning: {where}revenue:yoy" in out.getvalue()


def test_a_condition_quotes_its_own_tag(summary: str, company: Path, tmp_path: Path) -> None:
    deck = deck_of(company)
    branches = "{% if not has('revenue') %}none{% elif has('revenuez') %}some{% endif %}"
    edit(deck, "{{ 'revenue'|yoy_dir }} YoY", branches)
    line = build_error(company, tmp_path)
    assert line.startswith(f"{deck}:{written_at(deck, 'revenuez')}, {summary}: ")
    # The {% elif %} that failed, not the {% if %} before it.
    assert "placeholder error in {% elif 'revenuez'|has %}: unknown item 'revenuez'" in line
    assert "(did you mean 'revenue'?)" in line


@pytest.mark.parametrize("target", ["--quarter", "--all"])
def test_a_deck_file_named_in_lower_case_says_how_to_name_it(
    company: Path, tmp_path: Path, target: str
) -> None:
    deck = deck_of(company)
    misnamed = deck.with_name(deck.name.lower())
    deck.rename(misnamed)
    deck_of(company, "ja").unlink()
    err = io.StringIO()
    argv = ["build", "--no-pdf", "--data", str(company), "--out", str(tmp_path / "out")]
    argv += ["--quarter", QUARTER.lower()] if target == "--quarter" else ["--all"]
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    assert "Traceback" not in err.getvalue()
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("error: ")]
    assert line == (
        f"error: {misnamed}: name it {deck.name} "
        "(a deck file is named by its quarter as written, like 1Q08.yaml)"
    )
