# ruff: noqa: RUF001  (Japanese text is full-width on purpose)
"""The Japanese edition: same pages and figures as the English one, Japanese text and font."""

from __future__ import annotations

import logging
import re
from collections import Counter
from pathlib import Path

import pytest
from pypdf import PdfReader

from reportgen import formatting
from reportgen.build import prepare
from reportgen.errors import SlideError
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import Quarter
from reportgen.render import TEMPLATES
from reportgen.slides.messages import Messages
from tests.conftest import IIJ, ROOT, BuiltDeck, DeckShelf, build_and_read, edit

FICTIONAL = ROOT / "data" / "examples" / "fictional"
DASH = "\N{EN DASH}"

MONTHS = "January|February|March|April|May|June|July|August|September|October|November|December"
# Period and date names are worded differently by each edition; they are not figures.
EN_NAMES = (
    rf"(?:{MONTHS}) \d{{1,2}}, \d{{4}}",  # June 30, 2008
    rf"(?:{MONTHS}) \d{{4}}",  # April 2008
    r"\d(?:st|nd|rd|th) Quarter",  # 1st Quarter
    r"\b(?:[1-4]Q|[12]H|9M|FY)(?:\d{4}|\d{2})\b",  # 1Q08, FY2008, FY08
    r"\b[1-4]Q\b",  # "FY07 4Q"
    r"\d{2}/\d{1,2} ~ \d{2}/\d{1,2}",  # 08/4 ~ 08/6
    r"\b\d{4}\.\d{1,2}\.\d{1,2}\b",  # 2008.8.12 (cover)
)
# Japanese lines break between any two characters, so a name may hold a line break.
JA_NAMES = (
    r"\d{4}\s*年\s*\d{1,2}\s*月\s*期",  # 2009年3月期
    r"\d{4}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?",  # 2008年8月12日, 2008年4月
    r"\d{1,2}\s*月",  # 9月より
    r"第\s*\d\s*四\s*半\s*期",
    r"\d{2}/\d{1,2}期\s*(?:[1-4][QH]|9M)?",  # 08/3期 1Q
    r"\d{2}/\d{1,2}\uff5e\d{2}/\d{1,2}",  # 08/4 (fullwidth tilde) 08/6
    r"1\s*株\s*当\s*た\s*り",  # "per share": a unit word, not a figure
)
# A negative is △1,528 or (1,528), (40.5%), (1.6)pt; "(100% consolidated" is not one.
NUMBER = re.compile(r"(△|\((?=[\d,.]+%?\)))?(\d[\d,]*(?:\.\d+)?)")


def figures(text: str, names: tuple[str, ...], skip_round: bool) -> Counter[str]:
    """Signed significant digits of every number: JPY billion 16.3 and 163億円 both give 163.

    JPY billion has one decimal where 億円 has none, so the digits agree; 兆 is
    folded into 億 (3兆5,960億円 is JPY 3,596 billion). On pages with charts,
    round values (multiples of 100) are skipped: axis ticks depend on the plot's
    height, which two-line Japanese period labels change; they are not figures.
    """
    for pattern in names:
        text = re.sub(pattern, " ", text)
    text = re.sub(r"(\d+)兆([\d,]+)億", lambda m: m[1] + m[2].replace(",", ""), text)
    found: Counter[str] = Counter()
    for sign, number in NUMBER.findall(text):
        plain = number.replace(",", "")
        if skip_round and "." not in plain and int(plain) % 100 == 0:
            continue
        digits = plain.replace(".", "").strip("0") or "0"
        found[("-" if sign else "") + digits] += 1
    return found


def _beside(en: BuiltDeck, data: Path, out: Path) -> tuple[BuiltDeck, BuiltDeck]:
    """The Japanese edition, built into a copy of the output folder of the (shared) English one."""
    en = en.copied_to(out)
    quarter = en.result.deck.quarter.name
    return en, build_and_read(data, quarter, out, "ja")


@pytest.fixture(scope="module")
def iij_editions(iij_1q08: BuiltDeck, shelf: DeckShelf) -> tuple[BuiltDeck, BuiltDeck]:
    """Built once for the run (conftest's shelf), whichever workers run this module's tests."""
    return shelf.once("iij-editions", lambda out: _beside(iij_1q08, IIJ, out / "out"))


@pytest.fixture(scope="module")
def fictional_editions(example_1q25: BuiltDeck, shelf: DeckShelf) -> tuple[BuiltDeck, BuiltDeck]:
    return shelf.once(
        "fictional-editions", lambda out: _beside(example_1q25, FICTIONAL, out / "out")
    )


def _reversed_in_japanese(deck: BuiltDeck) -> set[str]:
    """Digits of the figures the Japanese edition shows with the opposite sign.

    少数株主損益 is the minority shareholders' result: their share of subsidiaries'
    losses, "minority interests in losses" in English, is △ in Japanese.
    """
    model = deck.result.deck
    catalogue = model.dataset.catalogue
    keys = [k for k in catalogue if catalogue.sign(k, "ja") == "reversed"]
    assert keys == ["minority_interests"]
    digits = set()
    for key in keys:
        for quarter in model.quarter.trailing(5):
            value = model.dataset.figures.get(key, quarter).value
            if value is not None:
                digits.add(str(abs(round(value))).strip("0"))
    return digits


def _compare(en: BuiltDeck, ja: BuiltDeck) -> None:
    assert len(en.pages) == len(ja.pages) == len(en.slides) == len(ja.slides)
    flipped = _reversed_in_japanese(en)
    for number, (a, b, slide) in enumerate(zip(en.pages, ja.pages, en.slides, strict=True), 1):
        charts = bool(slide.charts)
        fa, fb = figures(a, EN_NAMES, charts), figures(b, JA_NAMES, charts)
        for digits in flipped:
            # Only as many as English shows unsigned and Japanese shows △.
            moved = min(fb[f"-{digits}"], fa[digits] - fb[digits])
            if moved > 0:
                fb[f"-{digits}"] -= moved
                fb[digits] += moved
        fb = +fb
        assert fa == fb, f"page {number}: en only {dict(fa - fb)}, ja only {dict(fb - fa)}"


def test_iij_editions_show_the_same_figures_page_by_page(
    iij_editions: tuple[BuiltDeck, BuiltDeck],
) -> None:
    _compare(*iij_editions)


def test_fictional_editions_show_the_same_figures_page_by_page(
    fictional_editions: tuple[BuiltDeck, BuiltDeck],
) -> None:
    _compare(*fictional_editions)


def test_editions_sit_side_by_side(iij_editions: tuple[BuiltDeck, BuiltDeck]) -> None:
    en, ja = (d.result.output for d in iij_editions)
    assert en.folder == ja.folder
    assert en.pdf is not None
    assert ja.pdf is not None
    assert (en.pdf.name, ja.pdf.name) == ("IIJ-1Q08-results-en.pdf", "IIJ-1Q08-results-ja.pdf")
    assert en.pdf.is_file()
    assert ja.pdf.is_file()
    assert en.html.parent.name == "html"
    assert ja.html.parent.name == "html-ja"
    assert en.xlsx is not None
    assert ja.xlsx is not None
    assert en.xlsx != ja.xlsx
    assert '<html lang="ja">' in ja.html.read_text(encoding="utf-8")


def _fonts(pdf: Path) -> set[str]:
    names = set()
    for page in PdfReader(pdf).pages:
        for font in page["/Resources"]["/Font"].values():
            obj = font.get_object()
            names.add(str(obj["/BaseFont"]))
            for descendant in obj.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                assert "/FontFile2" in descriptor, f"{obj['/BaseFont']} is not embedded"
    return names


def test_japanese_pdf_embeds_a_subset_of_ipaex_gothic(
    iij_editions: tuple[BuiltDeck, BuiltDeck],
) -> None:
    pdf = iij_editions[1].result.output.pdf
    assert pdf is not None
    fonts = _fonts(pdf)
    # A subset font's name carries a six-letter tag: ABCDEF+IPAexGothic.
    assert any(re.fullmatch(r"/[A-Z]{6}\+IPAexGothic", f) for f in fonts), fonts


@pytest.mark.parametrize(
    ("kind", "heading"),
    [
        ("statement", "2009年3月期 第1四半期 連結業績"),
        ("statement", "売上高"),
        ("statement", "単位：億円"),
        ("balance_sheet", "連結貸借対照表"),
        ("balance_sheet", "2008年6月30日"),
        ("balance_sheet", "現金及び現金同等物"),
        ("cash_flows", "連結キャッシュ・フロー"),
        ("forecast", "2009年3月期 業績予想"),
    ],
)
def test_japanese_pdf_has_japanese_headings(
    iij_editions: tuple[BuiltDeck, BuiltDeck], kind: str, heading: str
) -> None:
    # The balance sheet is the deck's second statement slide.
    ja = iij_editions[1]
    page = ja.pages_of("statement")[-1] if kind == "balance_sheet" else ja.page(kind)
    assert heading in page


def test_japanese_figures_use_triangles_and_oku(
    iij_editions: tuple[BuiltDeck, BuiltDeck],
) -> None:
    en, ja = (d.pages_of("statement")[-1] for d in iij_editions)
    assert "(1,528)" in en
    assert "△1,528" in ja
    assert "16.3" in iij_editions[0].page("statement")
    assert "163" in iij_editions[1].page("statement")


# Characters a Japanese line must not start with (kinsoku shori).
NO_LINE_START = "。、，．）」』】〕！？：；ーぁぃぅぇぉっゃゅょゎァィゥェォッャュョヮ%"


def test_no_japanese_line_starts_with_closing_punctuation(
    iij_editions: tuple[BuiltDeck, BuiltDeck],
) -> None:
    pdf = iij_editions[1].result.output.pdf
    assert pdf is not None
    for number, page in enumerate(PdfReader(pdf).pages, 1):
        for line in page.extract_text().splitlines():
            stripped = line.strip()
            assert not stripped or stripped[0] not in NO_LINE_START, (number, line)


def test_minority_interests_show_the_japanese_sign(
    iij_editions: tuple[BuiltDeck, BuiltDeck], iij_model: QuarterModel
) -> None:
    en, ja = (deck.page("margin") for deck in iij_editions)
    values = [iij_model.value("minority_interests", q).value for q in iij_model.quarter.trailing(5)]
    assert all(v is not None and v > 0 for v in values)
    shown = " ".join(formatting.number(v) for v in values if v is not None)
    assert f"Minority Interests in Losses of Subsidiaries {shown}" in en
    assert "少数株主損益 " + " ".join(f"△{n}" for n in shown.split()) in ja
    latest = formatting.number(values[-1])
    assert f"少数株主損益は△{latest}百万円" in ja


def test_japanese_fidelity_of_the_1q08_deck(
    iij_editions: tuple[BuiltDeck, BuiltDeck], iij_model: QuarterModel
) -> None:
    _, ja = iij_editions
    cost = ja.numbered("8")
    change = formatting.number(iij_model.qoq_change("cost_connectivity_outsourcing").value)
    assert f"{change}百万円増" in cost
    assert f"{change}増百万円" not in cost
    cash = ja.page("cash_flows")
    # 支出 already says the cash went out (reference file, 2.3: investing (825)).
    assert "投資活動による支出：825百万円" in cash
    assert "△825百万円" not in cash
    assert "為替" not in cash
    assert f"サービス別業績 {DASH} ネットワークサービス（売上高・総契約帯域）" in ja.numbered("7")
    assert "契約帯域合計（Gbps）" + " n/a" * 5 in ja.numbered("7")


# Company names of slide 11's headings (group_companies.ja.csv); each fits its box.
KATAKANA_HEADINGS = (
    "オンデマンドソリューションズ",
    "トラストネットワークス",
    "ジーディーエックスジャパン",
)


def test_katakana_words_in_headings_do_not_break(
    iij_editions: tuple[BuiltDeck, BuiltDeck],
) -> None:
    _, ja = iij_editions
    page = ja.numbered("11")
    for word in KATAKANA_HEADINGS:
        assert word in page


def test_every_key_is_in_both_catalogues() -> None:
    en, ja = Messages.load(TEMPLATES, "en"), Messages.load(TEMPLATES, "ja")
    assert set(en.entries) - set(ja.entries) == set()
    assert {k for k in set(ja.entries) - set(en.entries) if not k.startswith("item.")} == set()


def test_missing_translation_fails_naming_key_and_language(tmp_path: Path) -> None:
    import shutil

    templates = tmp_path / "templates"
    shutil.copytree(TEMPLATES, templates)
    path = templates / "i18n" / "ja" / "statements.yaml"
    path.write_text(
        path.read_text(encoding="utf-8").replace('  cash_flows: "連結キャッシュ・フロー"\n', ""),
        encoding="utf-8",
    )
    from reportgen.build import build
    from reportgen.quarters import Quarter

    with pytest.raises(SlideError, match=r"'slide\.cash_flows' is missing from the 'ja'"):
        build(
            IIJ,
            Quarter.parse("1Q08"),
            tmp_path / "out",
            pdf=False,
            templates=templates,
            edition="ja",
        )


def test_unreviewed_company_text_is_reported(
    caplog: pytest.LogCaptureFixture, data_copy: Path
) -> None:
    with caplog.at_level(logging.WARNING):
        prepare(data_copy, Quarter.parse("1Q08"), language="ja")
    assert "company.yaml: ja translation from en awaits review" in caplog.text
    edit(data_copy / "company.yaml", "review: pending", "review: done")
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        prepare(data_copy, Quarter.parse("1Q08"), language="ja")
    assert "company.yaml" not in caplog.text
