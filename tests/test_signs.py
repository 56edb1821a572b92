# ruff: noqa: RUF001  (Japanese text is full-width on purpose)
"""Losses, sign changes and gaps read right in both editions (issue 16, items 1, 3, 4).

The fictional company ties out exactly, so each case edits a private copy of it:
operating income is moved by changing SG&A (general and administrative) by the
opposite amount, which keeps every identity (operating income = gross margin −
SG&A; income before tax is stored, so other income absorbs nothing it should not).
Expected words use the figures the test itself wrote, never the model's output.
"""

from __future__ import annotations

import csv
import io
import shutil
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from markupsafe import Markup

from reportgen import formatting
from reportgen.cli import main
from reportgen.data.load import load_dataset
from reportgen.data.schema import parse_number
from reportgen.data.validate import measure_checks
from reportgen.errors import CommentaryError
from reportgen.model.figures import Figure, Figures
from reportgen.model.quarter import QuarterModel
from reportgen.quarters import FiscalCalendar, Quarter
from reportgen.render import TEMPLATES
from reportgen.slides.cells import Row as TableRow
from reportgen.slides.cells import Styles, Table, cell
from reportgen.slides.commentary import Commentary
from reportgen.slides.messages import Messages
from reportgen.slides.periods import PeriodNames
from tests.conftest import EXAMPLE, BuiltDeck, build_and_read, catalogue_of, written_at

NOW, THEN = "1Q25", "1Q24"


def _rows(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def _write(path: Path, rows: list[dict[str, str]]) -> None:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=["item", "value", "source", "status", "note"])
    writer.writeheader()
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8")


def stored(root: Path, period: str, item: str) -> float:
    """A figure as the data file types it."""
    (row,) = [r for r in _rows(root / "figures" / f"{period}.csv") if r["item"] == item]
    return parse_number(row["value"])[0]


def set_operating_income(root: Path, period: str, value: int) -> None:
    """Give ``period`` this operating income, moving SG&A so every tie-out still holds."""
    path = root / "figures" / f"{period}.csv"
    rows = _rows(path)
    delta = value - stored(root, period, "operating_income")
    for row in rows:
        shift = {"operating_income": delta, "sga": -delta, "sga_general_admin": -delta}
        if row["item"] in shift:
            row["value"] = str(round(parse_number(row["value"])[0] + shift[row["item"]]))
    _write(path, rows)


def drop_rows(root: Path, period: str, *items: str) -> None:
    path = root / "figures" / f"{period}.csv"
    _write(path, [r for r in _rows(path) if r["item"] not in items])


@pytest.fixture
def example(tmp_path: Path) -> Path:
    target = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, target)
    return target


def both(root: Path, out: Path) -> tuple[BuiltDeck, BuiltDeck]:
    return (
        build_and_read(root, NOW, out / "en", "en"),
        build_and_read(root, NOW, out / "ja", "ja"),
    )


def _m(value: float) -> str:
    return f"{abs(value):,.0f}"


# Each build checks two cases: YoY against 1Q24 and QoQ against 4Q24.
PRIOR = "4Q24"
# Without spaces: a Japanese line may wrap anywhere, and the PDF's text has a space there.
JA_THEN, JA_PRIOR = "2025年3月期第1四半期", "2025年3月期第4四半期"


def _unspaced(page: str) -> str:
    return "".join(page.split())


def test_a_loss_quarter_turns_to_a_loss_and_a_loss_narrows(example: Path, tmp_path: Path) -> None:
    then = stored(example, THEN, "operating_income")
    assert then > 0
    set_operating_income(example, PRIOR, -100)
    set_operating_income(example, NOW, -14)
    en, ja = both(example, tmp_path)

    bullets = en.page("margin")
    assert (
        f"Operating income: turned to a loss of JPY 14 million (profit of JPY {_m(then)} million "
        "in 1Q24) from 1Q24, loss narrowed by JPY 86 million to JPY 14 million (loss of JPY 100 "
        "million in 4Q24) from 4Q24" in bullets
    )
    summary = en.page("statement")
    # JPY billion: a loss of 14 is (0.0), its margin (0.1%), its change n.m. with the note.
    assert "Operating Income (0.1%) (0.0)" in summary
    assert "n.m.: not meaningful" in summary
    # The company's published +44.4% does not show across the sign change.
    assert "44.4%" not in summary

    ja_bullets = _unspaced(ja.page("margin"))
    assert f"赤字転落（損失14百万円、{JA_THEN}は利益{_m(then)}百万円）" in ja_bullets
    assert f"赤字縮小（損失14百万円、{JA_PRIOR}の損失100百万円から86百万円改善）" in ja_bullets
    ja_summary = ja.page("statement")
    assert "△0" in ja_summary
    assert "－：" in ja_summary  # the note of the full-width dash
    for deck in (en, ja):
        for page in deck.pages:
            assert "n/d" not in page
            assert "n/a" not in page
            assert "n/m" not in page


def test_a_return_to_profit_and_a_zero_base(example: Path, tmp_path: Path) -> None:
    now = stored(example, NOW, "operating_income")
    # The company could not have published a percentage over a loss: the row goes too
    # (a published one over a zero or negative base is an input error, see below).
    drop_rows(example, NOW, "operating_income:yoy")
    set_operating_income(example, THEN, -100)
    set_operating_income(example, PRIOR, 0)
    en, ja = both(example, tmp_path)
    assert (
        f"returned to profit of JPY {_m(now)} million (loss of JPY 100 million in 1Q24) from 1Q24, "
        f"JPY {_m(now)} million, against nil in 4Q24 from 4Q24" in en.page("margin")
    )
    ja_bullets = _unspaced(ja.page("margin"))
    assert f"黒字転換（利益{_m(now)}百万円、{JA_THEN}は損失100百万円）" in ja_bullets
    assert f"{_m(now)}百万円（{JA_PRIOR}はゼロ）" in ja_bullets
    summary = en.page("statement")
    assert "44.4%" not in summary
    assert "n.m." in summary


def test_a_published_percentage_over_a_loss_or_zero_base_is_an_input_error(
    example: Path, tmp_path: Path
) -> None:
    set_operating_income(example, THEN, -100)
    err = io.StringIO()
    argv = ["build", "--quarter", NOW, "--data", str(example), "--out", str(tmp_path / "o")]
    assert main(argv, stdout=io.StringIO(), stderr=err) == 2
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("error:")]
    assert f"figures/{NOW}.csv: published operating_income:yoy fails for {NOW}" in line
    assert "is zero or negative" in line


def test_check_flags_a_published_percentage_across_a_sign_change(example: Path) -> None:
    # From a profit in 1Q24 to a loss in 1Q25: the published +44.4% is flagged, not refused.
    set_operating_income(example, NOW, -14)
    checks = [
        c
        for c in measure_checks(example, load_dataset(example).figures)
        if c.name == "published operating_income:yoy"
    ]
    assert [c.severity for c in checks] == ["warning"]
    assert "across a sign change" in checks[0].message
    out = io.StringIO()
    code = main(["check", "--quarter", NOW, "--data", str(example)], stdout=out)
    assert code == 0
    assert "operating_income:yoy" in out.getvalue()


def test_a_missing_year_ago_figure_fails_the_sentence(
    example: Path, tmp_path: Path, example_1q25: BuiltDeck
) -> None:
    # Without SG&A, R&D (one of its parts) and operating income, SG&A for 1Q24 cannot be
    # derived (from its parts nor from gross margin − operating income).
    drop_rows(example, THEN, "sga", "sga_rnd", "operating_income")
    err = io.StringIO()
    argv = ["build", "--quarter", NOW, "--data", str(example), "--out", str(tmp_path / "o")]
    code = main(argv, stdout=io.StringIO(), stderr=err)
    assert code == 2
    assert "Traceback" not in err.getvalue()
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("error:")]
    deck = example / "decks" / "1Q25.yaml"
    where = written_at(deck, "{{ 'sga'|")
    assert f"{deck}:{where}, slide 1 (statement, 1Q25) " in line
    (summary,) = [s for s in example_1q25.slides if s.number == "1"]
    assert f'"{summary.title}": ' in line
    assert "placeholder 'sga'|" in line
    assert "sga 1Q24 is not available in this data set" in line
    assert not (tmp_path / "o" / NOW).exists()


# Commentary against a small model: has(), is_loss, and a property over signed figures.

CALENDAR = FiscalCalendar(4)


def commentary(figures: dict[tuple[str, str], float], language: str = "en") -> Commentary:
    stored_figures = {
        key: Figure(key[0], key[1], value, "published", "S1") for key, value in figures.items()
    }
    model = QuarterModel(
        Figures(stored_figures, catalogue_of(EXAMPLE)), Quarter.parse(NOW), CALENDAR
    )
    messages = Messages.load(TEMPLATES, language)
    return Commentary(
        model,
        "deck.yaml",
        messages,
        formatting.numbers_for(language),
        PeriodNames(messages, CALENDAR),
    )


def text(c: Commentary, source: str) -> str:
    return Markup(c.text(source)).striptags()


def test_has_and_is_loss_let_commentary_test_first() -> None:
    c = commentary({("net_income", NOW): -14.0, ("net_income", THEN): 611.0})
    source = (
        "{% if has('revenue') %}{{ 'revenue'|m }}{% else %}no revenue{% endif %}; "
        "{% if 'net_income'|is_loss %}a net loss{% endif %}; "
        "{% if 'net_income'|is_loss(year_ago_quarter) %}x{% else %}a profit before{% endif %}; "
        "{{ 'revenue'|has }}"
    )
    assert text(c, source) == "no revenue; a net loss; a profit before; False"
    with pytest.raises(CommentaryError, match=r"revenue 1Q25 is not available in this data set"):
        c.text("{{ 'revenue'|is_loss }}")


def test_an_undisclosed_figure_is_named_as_such() -> None:
    undisclosed = Figure("sga_rnd", NOW, None, "undisclosed", "S1")
    model = QuarterModel(
        Figures({("sga_rnd", NOW): undisclosed}, catalogue_of(EXAMPLE)),
        Quarter.parse(NOW),
        CALENDAR,
    )
    styles = Styles.of(formatting.numbers_for("en"))
    shown = cell(model.value("sga_rnd"), styles.million)
    gap = cell(model.value("sga"), styles.million)
    assert (shown.text, gap.text) == ("n/d", "n/a")
    table = Table((("", "x"),), (TableRow("a", (shown, gap)),))
    assert table.note_keys == ("note.not_available", "note.undisclosed")
    en = Messages.load(TEMPLATES, "en")
    assert en("note.undisclosed") == "n/d: not disclosed by the company"
    assert en("note.not_available") == "n/a: not available in this data set"


signed = st.integers(min_value=-50_000, max_value=50_000)


def _en_expected(now: int, then: int) -> str:
    """What the English words must say, written out independently of the code."""
    if now > 0 and then > 0:
        return "up " if now > then else ("down " if now < then else "unchanged")
    if then > 0 > now:
        return f"turned to a loss of JPY {abs(now):,} million (profit of JPY {then:,} million"
    if then < 0 < now:
        return f"returned to profit of JPY {now:,} million (loss of JPY {abs(then):,} million"
    if now < 0 and then < 0:
        if now == then:
            return f"a loss of JPY {abs(now):,} million, unchanged"
        way = "narrowed" if abs(now) < abs(then) else "widened"
        return f"loss {way} by JPY {abs(abs(now) - abs(then)):,} million to JPY {abs(now):,}"
    if then == 0:
        return "nil" if now == 0 else "against nil in 1Q24"
    return "broke even" if then < 0 else "nil (profit of"


@settings(max_examples=150, deadline=None)
@given(signed, signed)
def test_words_agree_with_the_numbers(now: int, then: int) -> None:
    figures = {("operating_income", NOW): float(now), ("operating_income", THEN): float(then)}
    en = commentary(figures, "en")
    words = text(en, "{{ 'operating_income'|yoy_dir }}")
    assert words.startswith(_en_expected(now, then)) or _en_expected(now, then) in words
    bare = text(en, "{{ 'operating_income'|yoy }}")
    if now > 0 and then > 0:
        assert bare.startswith("(") == (now < then)
    else:
        assert bare == words  # the bare placeholder words the outcome the same way
    billions = text(en, "{{ 'operating_income'|bn }}")
    assert billions.startswith("(") == (now < 0)
    ja = commentary(figures, "ja")
    ja_words = text(ja, "{{ 'operating_income'|yoy_dir }}")
    ja_oku = text(ja, "{{ 'operating_income'|bn }}")
    assert ja_oku.startswith("△") == (now < 0)
    if then > 0 > now:
        assert ja_words.startswith("赤字転落")
    if then < 0 < now:
        assert ja_words.startswith("黒字転換")
    if now < 0 and then < 0 and now != then:
        assert ja_words.startswith("赤字縮小" if abs(now) < abs(then) else "赤字拡大")
    for sentence in (words, bare, billions, ja_words, ja_oku):
        assert "n/d" not in sentence
        assert "n/a" not in sentence
        assert "n.m." not in sentence


def test_a_published_percentage_across_a_sign_change_is_not_shown(example: Path) -> None:
    dataset = load_dataset(example)
    model = QuarterModel(dataset.figures, Quarter.parse(NOW), dataset.calendar)
    assert model.yoy("operating_income").status == "published"  # 44.4 in 1Q25.csv
    set_operating_income(example, THEN, -100)
    dataset = load_dataset(example)
    model = QuarterModel(dataset.figures, Quarter.parse(NOW), dataset.calendar)
    shown = model.yoy("operating_income")
    assert (shown.status, shown.value) == ("not_meaningful", None)
    styles = Styles.of(formatting.numbers_for("ja"))
    assert cell(shown, styles.percent).text == formatting.numbers_for("ja").not_meaningful


def test_an_undisclosed_row_has_a_source_and_no_value(example: Path) -> None:
    path = example / "figures" / f"{THEN}.csv"
    rows = _rows(path)
    for row in rows:
        if row["item"] == "new_subsidiaries_sga":
            row["value"], row["status"] = "", "undisclosed"
    _write(path, rows)
    figure = load_dataset(example).figures.get("new_subsidiaries_sga", THEN)
    assert (figure.status, figure.value, figure.source) == ("undisclosed", None, "E1")
    assert "not disclosed by the company" in figure.provenance

    for row in rows:
        if row["item"] == "new_subsidiaries_sga":
            row["value"] = "96"
    _write(path, rows)
    err = io.StringIO()
    code = main(["check", "--quarter", NOW, "--data", str(example)], stderr=err)
    assert code == 2
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("error:")]
    assert "figures/1Q24.csv, line " in line
    assert "an undisclosed figure has no value" in line


EMPTY_DECK = """title: 1st Quarter FY2027 Consolidated Financial Results
release_date: 2027-08-10
slides:
  - kind: cover
  - kind: statement
    number: "1"
    title: Consolidated Balance Sheets
    content:
      items: [cash, total_assets]
      compare: year_start
"""


def test_a_slide_with_every_figure_missing_needs_a_reason(example: Path, tmp_path: Path) -> None:
    # The data set ends with 4Q25: a 1Q27 balance sheet has no figure at all.
    deck = example / "decks" / "1Q27.yaml"
    deck.write_text(EMPTY_DECK, encoding="utf-8")
    argv = ["build", "--quarter", "1Q27", "--data", str(example), "--no-pdf"]
    err = io.StringIO()
    code = main([*argv, "--out", str(tmp_path / "a")], stdout=io.StringIO(), stderr=err)
    assert code == 2
    (line,) = [x for x in err.getvalue().splitlines() if x.startswith("error:")]
    # The slide itself: where its mapping starts (``kind:`` after the dash).
    row = written_at(deck, "kind: statement").split(":")[0]
    assert f"{deck}:{row}:5, slide 1 (statement, 1Q27) " in line
    assert '"Consolidated Balance Sheets": every figure is missing' in line
    assert "keep_empty" in line

    deck.write_text(EMPTY_DECK + '    keep_empty: "shown as a placeholder"\n', encoding="utf-8")
    code = main([*argv, "--out", str(tmp_path / "b")], stdout=io.StringIO(), stderr=io.StringIO())
    assert code == 0
    html = (tmp_path / "b" / "1Q27" / "html" / "index.html").read_text(encoding="utf-8")
    assert "n/a: not available in this data set" in html
