"""A figure typed by hand in a deck file is found however it is typed, and every build warns."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from reportgen import formatting
from reportgen.cli import main
from reportgen.data.commentary_check import typed_numbers
from reportgen.data.load import load_dataset
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.slides.deck import load_deck_spec
from tests.conftest import EXAMPLE, edit, written_at

PLACEHOLDER = "{{ 'revenue_recurring'|m }}"
FULL_WIDTH = str.maketrans("0123456789,", "０１２３４５６７８９，")  # noqa: RUF001


def variants(shown: str) -> dict[str, str]:
    """Ways to type the figure ``shown`` (``13,050``) instead of its placeholder."""
    bare = shown.replace(",", "")
    head, tail = bare[:-2], bare[-2:]
    return {
        "typed": shown,
        "no-separator": bare,
        "number-literal": f"{{{{ {bare} }}}}",
        "string-literal": f"{{{{ '{shown}' }}}}",
        "sum-of-literals": f"{{{{ {head}00 + {tail} }}}}",
        "joined-strings": f"{{{{ '{head}' ~ '{tail}' }}}}",
        "full-width": shown.translate(FULL_WIDTH),
        "full-width-in-placeholder": f"{{{{ '{shown.translate(FULL_WIDTH)}' }}}}",
        # As formatting prints a per-share amount: glued to the currency, not a name.
        "glued-to-currency": f"{formatting.NumberStyle().yen_prefix}{shown}",
        "glued-to-another-currency": f"EUR{shown}",
    }


def shown_recurring(iij_model: QuarterModel) -> str:
    return formatting.number(iij_model.value("revenue_recurring").value)


@pytest.mark.parametrize("language", ["en", "ja"])
@pytest.mark.parametrize(
    "way",
    [
        "typed",
        "no-separator",
        "number-literal",
        "string-literal",
        "sum-of-literals",
        "joined-strings",
        "full-width",
        "full-width-in-placeholder",
        "glued-to-currency",
        "glued-to-another-currency",
    ],
)
def test_a_typed_figure_is_found_however_it_is_typed(
    data_copy: Path, iij_model: QuarterModel, language: str, way: str
) -> None:
    typed = variants(shown_recurring(iij_model))[way]
    suffix = "" if language == "en" else ".ja"
    edit(data_copy / "decks" / f"1Q08{suffix}.yaml", PLACEHOLDER, typed)
    dataset = load_dataset(data_copy)
    quarter = Quarter.parse("1Q08")
    found = typed_numbers(load_deck_spec(dataset, quarter, language), iij_model)
    assert [(t.slide, t.figure) for t in found] == [("2", "revenue_recurring 1Q08")]


@pytest.mark.parametrize("typed", ["{pct}", "{pct_spaced}", "{pct_full_width}"])
def test_a_typed_percentage_is_found(data_copy: Path, iij_model: QuarterModel, typed: str) -> None:
    pct = formatting.percent(iij_model.yoy("revenue_recurring").value)
    text = typed.format(
        pct=pct,
        pct_spaced=pct.replace("%", " %"),
        pct_full_width=pct.translate(FULL_WIDTH).replace("%", "\uff05").replace(".", "\uff0e"),
    )
    edit(data_copy / "decks" / "1Q08.yaml", "{{ 'revenue_recurring'|yoy }}", text)
    spec = load_deck_spec(load_dataset(data_copy), Quarter.parse("1Q08"))
    found = typed_numbers(spec, iij_model)
    assert [(t.slide, t.figure) for t in found] == [("1", "revenue_recurring:yoy")]


def test_period_names_dates_and_years_are_not_figures(
    data_copy: Path, iij_model: QuarterModel
) -> None:
    # Ref. 2 says "from 2005 to 2007" and Ref. 4 lists releases dated "March 31, 2008":
    # 2,005 and 31 are figures of the data too, but these are a year and a day.
    dataset = load_dataset(data_copy)
    for language in ("en", "ja"):
        spec = load_deck_spec(dataset, Quarter.parse("1Q08"), language)
        assert typed_numbers(spec, iij_model) == []


def test_the_example_decks_release_dates_are_not_figures() -> None:
    # Ref. 4 lists press releases dated 2025-01-20: 20 is a figure of the data too.
    dataset = load_dataset(EXAMPLE)
    for name in ("1Q25", "2Q25", "3Q25", "4Q25"):
        quarter = Quarter.parse(name)
        spec = load_deck_spec(dataset, quarter, "en")
        model = QuarterModel(dataset.figures.at(spec.release_date), quarter, dataset.calendar)
        assert typed_numbers(spec, model) == [], name


def test_the_build_warns_naming_the_slide_as_printed(
    data_copy: Path, iij_model: QuarterModel, tmp_path: Path
) -> None:
    shown = shown_recurring(iij_model)
    deck = data_copy / "decks" / "1Q08.yaml"
    edit(deck, PLACEHOLDER, shown)
    # A number typed in a slide's content (the cash-flow slide's points) counts too.
    paid = formatting.number(iij_model.value("cf_dividends_paid").value)
    edit(deck, "{{ 'cf_dividends_paid'|m }}", paid)
    out, err = io.StringIO(), io.StringIO()
    argv = ["build", "--no-pdf", "--quarter", "1Q08", "--data", str(data_copy)]
    code = main([*argv, "--out", str(tmp_path / "out")], stdout=out, stderr=err)
    assert code == 0
    warnings = [line for line in err.getvalue().splitlines() if "typed number" in line]
    # Each names the line and column of the text, then the slide as printed, with its title.
    recurring, dividends = written_at(deck, shown), written_at(deck, paid)
    assert warnings == [
        f'WARNING: {deck}:{recurring}, slide 2 (breakdown, 1Q08) "Revenues": typed number '
        f"{shown!r} equals revenue_recurring 1Q08; use a placeholder so it cannot drift from "
        "the data",
        f'WARNING: {deck}:{dividends}, slide 14 (cash_flows, 1Q08) "Consolidated Cash Flows": '
        f"typed number {paid!r} equals cf_dividends_paid 1Q08; use a "
        "placeholder so it cannot drift from the data",
    ]
