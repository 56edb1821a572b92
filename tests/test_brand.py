"""A company's currency, scale and brand (company.yaml ``reporting:`` and ``brand:``).

A scratch company (the example company's data, in EUR thousand, in other colours and
with a logo) is built once per test run in both editions; its outputs must carry its
units, colours and logo, never the defaults.
"""

from __future__ import annotations

import io
import re
import shutil
import zipfile
from dataclasses import replace
from pathlib import Path

import pytest
from openpyxl import load_workbook

from reportgen import brand
from reportgen.build import BuildResult
from reportgen.charts.spec import ChartSpec, Series
from reportgen.cli import main
from tests.conftest import EXAMPLE, DeckShelf, pdf_pages

NAVY = "#0b6e4f"
PALETTE = ("#0b6e4f", "#2ea37a", "#8fd1b5", "#5a6b7c", "#c0392b")
FOOTER = "ACME Holdings (fictional) | Investor Relations"
LOGO_TEXT = "ACMELOGO"
LOGO = (
    '<svg xmlns="http://www.w3.org/2000/svg" width="120" height="40" viewBox="0 0 120 40">'
    '<rect width="120" height="40" fill="#0b6e4f"/>'
    f'<text x="8" y="27" font-family="Lato" font-size="18" fill="#ffffff">{LOGO_TEXT}</text>'
    "</svg>\n"
)
COMPANY = f"""
reporting:
  currency: EUR
  scale: thousand
  large_scale: million
  standard: IFRS
brand:
  colors: {{navy: "{NAVY}", accent: "#c0392b"}}
  palette: [{", ".join(f'"{c}"' for c in PALETTE)}]
  fonts: {{en: [Lato, Helvetica]}}
  logo: logo.svg
  footer: "{FOOTER}"
"""


def scratch_company(target: Path) -> Path:
    shutil.copytree(EXAMPLE, target)
    with (target / "company.yaml").open("a", encoding="utf-8") as company:
        company.write(COMPANY)
    (target / "logo.svg").write_text(LOGO, encoding="utf-8")
    # A deck file names the unit with the commentary's unit names, for any company.
    for name, old, new in (
        (
            "1Q25.yaml",
            "JPY {{ 'revenue_recurring'|m }} million",
            "{{ currency }} {{ 'revenue_recurring'|m }} {{ scale }}",
        ),
        (
            "1Q25.ja.yaml",
            "{{ 'revenue_recurring'|m }}百万円",
            "{{ 'revenue_recurring'|m }}{{ money }}",
        ),
    ):
        deck = target / "decks" / name
        text = deck.read_text(encoding="utf-8")
        assert old in text
        deck.write_text(text.replace(old, new), encoding="utf-8")
    return target


@pytest.fixture(scope="module")
def acme(shelf: DeckShelf) -> Path:
    """The scratch company, made once for the run (conftest's shelf)."""
    return shelf.data_copy("acme", scratch_company)


@pytest.fixture(scope="module")
def built(acme: Path, shelf: DeckShelf) -> dict[str, BuildResult]:
    """Both editions built once for the run; the English one with its PowerPoint."""
    return {
        edition: shelf.get(acme, "1Q25", edition, pptx=edition == "en").result
        for edition in ("en", "ja")
    }


def pages(result: BuildResult) -> list[str]:
    assert result.output.pdf is not None
    return pdf_pages(result.output.pdf)


def units(text: str) -> set[str]:
    return set(re.findall(r"(?:Unit: \w+ \w+|単位\N{FULLWIDTH COLON}\w+)", text))


def test_english_amounts_are_in_the_reporting_currency_and_scale(
    built: dict[str, BuildResult],
) -> None:
    text = " ".join(pages(built["en"]))
    assert units(text) == {"Unit: EUR thousand", "Unit: EUR million"}
    # Commentary filters put the unit in the words: "up EUR 137 thousand".
    assert re.search(r"up EUR [0-9,]+ thousand", text)
    assert "Unrealized revenue: about EUR" in text
    assert "Recurring revenues in 1Q25: EUR 15,066 thousand" in text
    # A per-share amount has the currency's minor units.
    assert re.search(r"EUR[0-9,]+\.[0-9]{2}\b", text)


def test_japanese_units_are_derived_from_the_same_keys(built: dict[str, BuildResult]) -> None:
    text = " ".join(pages(built["ja"]))
    unit = "単位\N{FULLWIDTH COLON}"
    assert units(text) == {f"{unit}千ユーロ", f"{unit}百万ユーロ"}
    assert re.search(r"[0-9,]+千ユーロ増", text)
    assert "ストック型売上高\N{FULLWIDTH COLON}15,066千ユーロ" in text
    # (The deck file's own words may name a unit: only what the code prints is checked.)
    assert f"{unit}百万円" not in text


def test_the_css_carries_the_company_colours(built: dict[str, BuildResult]) -> None:
    css = (built["en"].output.html.parent / "deck.css").read_text(encoding="utf-8")
    assert f"--navy: {NAVY};" in css
    assert f"--palette-1: {PALETTE[1]};" in css
    assert f"--navy: {brand.NAVY};" not in css
    assert "--accent: #c0392b;" in css
    # Colours not named keep their defaults.
    assert f"--neg: {brand.COLORS['neg']};" in css


def test_charts_are_drawn_in_the_company_palette(built: dict[str, BuildResult]) -> None:
    charts = list((built["en"].output.html.parent / "charts").glob("*.svg"))
    assert charts
    drawn = " ".join(path.read_text(encoding="utf-8").lower() for path in charts)
    assert PALETTE[0] in drawn
    assert PALETTE[1] in drawn
    for default in brand.PALETTE[1:3]:
        assert default not in drawn


def test_two_brands_never_share_a_cached_chart() -> None:
    spec = ChartSpec("bars", ("1Q25",), (Series("Revenue", (1.0,)),))
    look = brand.Brand(palette=PALETTE).chart_look()
    assert look != brand.DEFAULT_LOOK
    assert spec.digest("salt") != replace(spec, look=look).digest("salt")
    # The default look leaves the key as it was, so existing drawings keep their names.
    assert brand.Brand().chart_look() is brand.DEFAULT_LOOK


def test_logo_is_on_the_cover_and_in_the_footer(built: dict[str, BuildResult]) -> None:
    for result in built.values():
        html_dir = result.output.html.parent
        assert (html_dir / brand.LOGO_FILE).read_text(encoding="utf-8") == LOGO
        cover = result.output.html.read_text(encoding="utf-8").split("<section")[1]
        assert f'class="cover-logo" src="{brand.LOGO_FILE}"' in cover
        shown = pages(result)
        assert LOGO_TEXT in shown[0]
        assert LOGO_TEXT in shown[-1]
        assert FOOTER in shown[-1]


def test_data_pack_and_powerpoint_follow_the_company(built: dict[str, BuildResult]) -> None:
    result = built["en"]
    assert result.output.xlsx is not None
    assert result.output.pptx is not None
    book = load_workbook(result.output.xlsx)
    data = book["Data"]
    header = [cell.value for cell in data[1]]
    unit_column = {row[header.index("unit")] for row in data.iter_rows(min_row=2, values_only=True)}
    assert "EUR thousand" in unit_column
    assert "JPY million" not in unit_column
    assert data["A1"].fill.fgColor.rgb.endswith(brand.hex_rgb(NAVY))
    with zipfile.ZipFile(result.output.pptx) as pptx:
        theme = pptx.read("ppt/theme/theme1.xml").decode()
        slide = pptx.read("ppt/slides/slide2.xml").decode()
    assert f'<a:accent1><a:srgbClr val="{brand.hex_rgb(NAVY)}"/>' in theme
    assert brand.hex_rgb(NAVY) in slide
    assert FOOTER in slide


def _build(data: Path, out: Path) -> tuple[int, str]:
    err = io.StringIO()
    code = main(
        ["-q", "build", "--quarter", "1Q25", "--data", str(data), "--out", str(out)],
        io.StringIO(),
        err,
    )
    return code, err.getvalue()


@pytest.mark.parametrize(
    ("old", "new", "expected"),
    [
        ("currency: EUR", "currency: eur", "currency"),
        ("large_scale: million", "large_scale: thousand", "must be larger than scale"),
        ('accent: "#c0392b"', 'acent: "#c0392b"', "did you mean 'accent'?"),
        ('accent: "#c0392b"', 'accent: "red"', "accent"),
        ("fonts: {en: [Lato, Helvetica]}", "fonts: {en: [Helvetica]}", "shipped in fonts/"),
        ("logo: logo.svg", "logo: missing.svg", "missing.svg: the brand logo is not found"),
        ("logo: logo.svg", "logo: logo.png", "logo.png: the brand logo is not an SVG file"),
    ],
)
def test_bad_reporting_or_brand_is_an_input_error(
    tmp_path: Path, old: str, new: str, expected: str
) -> None:
    data = scratch_company(tmp_path / "acme")
    company = data / "company.yaml"
    company.write_text(company.read_text(encoding="utf-8").replace(old, new), encoding="utf-8")
    (data / "logo.png").write_bytes(b"\x89PNG\r\n")
    code, err = _build(data, tmp_path / "out")
    assert code == 2
    assert expected in err
    assert "Traceback" not in err
    assert len(err.strip().splitlines()) == 1


def test_a_logo_that_is_not_svg_is_an_input_error(tmp_path: Path) -> None:
    data = scratch_company(tmp_path / "acme")
    (data / "logo.svg").write_text("<html><body>logo</body></html>", encoding="utf-8")
    code, err = _build(data, tmp_path / "out")
    assert code == 2
    assert "logo.svg: the brand logo's root element is 'html'" in err


def test_a_logo_cannot_fetch_outside_the_project(tmp_path: Path) -> None:
    """WeasyPrint fetches what an SVG refers to: the project's fetcher still refuses it."""
    data = scratch_company(tmp_path / "acme")
    # A valid image: only the fetcher's refusal can fail the build.
    outside = tmp_path / "secret.svg"
    outside.write_text(LOGO, encoding="utf-8")
    (data / "logo.svg").write_text(
        '<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink">'
        f'<image xlink:href="{outside.as_uri()}" width="10" height="10"/></svg>',
        encoding="utf-8",
    )
    code, err = _build(data, tmp_path / "out")
    assert code != 0
    assert f"refused: {outside.as_uri()}" in err
    assert not (tmp_path / "out" / "1Q25").exists()
