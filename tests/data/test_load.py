"""Schema errors: each names the file, the row or item, the period and what was expected."""

from pathlib import Path

import pytest

from reportgen.data.companies import load_group_companies
from reportgen.data.load import load_dataset
from reportgen.errors import DataError

HEADER = "item,value,source,status,note\n"


def write(folder: Path, name: str, text: str, encoding: str = "utf-8") -> None:
    (folder / "figures" / name).write_bytes(text.encode(encoding))


@pytest.mark.parametrize(
    ("text", "message"),
    [
        (
            HEADER + "revenu,16328,S1,published,\n",
            r"1Q08\.csv, line 2 \(1Q08\): item: unknown item 'revenu' \(did you mean 'revenue'\?\)",
        ),
        (HEADER + "revenue,abc,S1,published,\n", r"line 2 \(1Q08\): value: 'abc' is not a number"),
        (HEADER + "revenue,12..3,S1,published,\n", r"'12\.\.3' is not a number"),
        (HEADER + 'revenue,"1,2,3",S1,published,\n', r"'1,2,3' is not a number"),
        (HEADER + "revenue,nan,S1,published,\n", r"'nan' is not a number"),
        (HEADER + "revenue,inf,S1,published,\n", r"'inf' is not a number"),
        (HEADER + "revenue,166²,S1,published,\n", r"line 2 \(1Q08\): value: '166²' is not"),
        (HEADER + "revenue,١٢٣,S1,published,\n", r"value: '١٢٣' is not a number"),
        (HEADER + "revenue,１６６³,S1,published,\n", r"value: '１６６³' is not a number"),
        (
            HEADER + "revenue,10000000000000000000,S1,published,\n",
            r"line 2 \(1Q08\): value: '10000000000000000000' is out of bounds \(expected at "
            r"most 12 digits before the decimal point and 4 after it\)",
        ),
        (HEADER + "revenue,1.23456,S1,published,\n", r"'1\.23456' is out of bounds"),
        (HEADER + "revenue,16328,S99,published,\n", r"line 2 \(revenue\): unknown source 'S99'"),
        (
            HEADER + "revenue,16328,S1,guess,\n",
            r"status: Input should be 'published', 'seed' or 'undisclosed'",
        ),
        (
            HEADER + "revenue,16328,S11,published,\n",
            r"status 'published' does not fit source 'S11'",
        ),
        (HEADER + "gross_margin,3025,S1,published,\n", r"'gross_margin' is derived by the model"),
        (HEADER + "revenue:growth,19.2,S1,published,\n", r"unknown measure 'growth'"),
        (
            HEADER + "revenue,1,S1,published,\nrevenue,2,S1,published,\n",
            r"line 3 \(revenue, 1Q08\): duplicate of line 2",
        ),
        ("item,value,source,status\nrevenue,1,S1,published\n", r"missing column 'note'"),
        (HEADER.strip() + ",extra\nrevenue,1,S1,published,,x\n", r"unknown column 'extra'"),
        ("", r"empty file; expected the header item,value,source,status,note"),
        (HEADER + "revenue,1,S1,published,a,b,c\n", r"not a valid CSV table"),
    ],
    ids=[
        "unknown-item",
        "abc",
        "double-dot",
        "commas",
        "nan",
        "inf",
        "superscript",
        "arabic-indic",
        "full-width-superscript",
        "1e19",
        "five-decimals",
        "unknown-source",
        "bad-status",
        "seed-status",
        "derived-item",
        "unknown-measure",
        "duplicate",
        "missing-column",
        "extra-column",
        "empty",
        "ragged",
    ],
)
def test_bad_figure_files(data_copy: Path, text: str, message: str) -> None:
    write(data_copy, "1Q08.csv", text)
    with pytest.raises(DataError, match=message):
        load_dataset(data_copy)


@pytest.mark.parametrize(
    ("raw", "value"),
    [
        ('"(1,528)"', -1528.0),
        ('"1,528"', 1528.0),
        ("\uff11\uff15\uff12\uff18", 1528.0),
        (" 1528 ", 1528.0),
        ("-1528", -1528.0),
        ("19.2", 19.2),
        ("\uff08\uff11\uff0c\uff15\uff12\uff18\uff09", -1528.0),
        ("999999999999.9999", 999999999999.9999),
        ("007", 7.0),
    ],
    ids=[
        "parentheses",
        "thousands",
        "full-width",
        "spaces",
        "minus",
        "decimal",
        "full-width-punctuation",
        "largest",
        "leading-zeros",
    ],
)
def test_values_typed_as_analysts_do(data_copy: Path, raw: str, value: float) -> None:
    write(data_copy, "3Q08.csv", HEADER + f"cash,{raw},S8,published,\n")
    assert load_dataset(data_copy).figures.get("cash", "3Q08").value == value


def test_bom_and_crlf_are_accepted(data_copy: Path) -> None:
    write(
        data_copy,
        "3Q08.csv",
        "\ufeff" + (HEADER + "cash,100,S8,published,\n").replace("\n", "\r\n"),
    )
    assert load_dataset(data_copy).figures.get("cash", "3Q08").value == 100


def test_shift_jis_is_read_with_a_warning(
    data_copy: Path, caplog: pytest.LogCaptureFixture
) -> None:
    write(data_copy, "3Q08.csv", HEADER + "cash,100,S8,published,現金\n", encoding="cp932")
    dataset = load_dataset(data_copy)
    assert dataset.figures.get("cash", "3Q08").note == "現金"
    assert "read as Shift_JIS" in caplog.text


def test_file_name_must_be_a_period(data_copy: Path) -> None:
    write(data_copy, "latest.csv", HEADER)
    with pytest.raises(DataError, match=r"latest\.csv: file name is not a period"):
        load_dataset(data_copy)


def test_missing_company_file(data_copy: Path) -> None:
    (data_copy / "company.yaml").unlink()
    with pytest.raises(DataError, match=r"company\.yaml: file not found"):
        load_dataset(data_copy)


def test_yaml_syntax_error_names_line_and_column(data_copy: Path) -> None:
    (data_copy / "company.yaml").write_text("name: [unclosed\nshort_name: X\n")
    with pytest.raises(DataError, match=r"company\.yaml, line \d+, column \d+: YAML syntax error"):
        load_dataset(data_copy)


def test_yaml_unknown_key(data_copy: Path) -> None:
    path = data_copy / "company.yaml"
    path.write_text(path.read_text() + "colour: blue\n")
    with pytest.raises(DataError, match=r"company\.yaml: colour: unknown key"):
        load_dataset(data_copy)


def test_yaml_wrong_type(data_copy: Path) -> None:
    path = data_copy / "company.yaml"
    path.write_text(
        path.read_text().replace("fiscal_year_start_month: 4", "fiscal_year_start_month: April")
    )
    with pytest.raises(
        DataError, match=r"company\.yaml: fiscal_year_start_month: Input should be a valid integer"
    ):
        load_dataset(data_copy)


@pytest.mark.parametrize(
    ("typed", "pct", "places"),
    [("100", 100.0, 0), ("51.0", 51.0, 1), ("\uff16\uff10\uff0e\uff12", 60.2, 1)],
    ids=["whole", "typed-decimal", "full-width"],
)
def test_ownership_keeps_the_decimals_it_was_typed_with(
    data_copy: Path, typed: str, pct: float, places: int
) -> None:
    path = data_copy / "group_companies.csv"
    text = path.read_text(encoding="utf-8")
    old = "iij_technology,IIJ Technology Inc.,subsidiary,100,"
    assert old in text
    path.write_text(text.replace(old, old.replace(",100,", f",{typed},")), encoding="utf-8")
    dataset = load_dataset(data_copy)
    (company,) = (
        c for c in load_group_companies(data_copy, dataset.sources) if c.key == "iij_technology"
    )
    assert (company.ownership_pct, company.ownership_places) == (pct, places)
