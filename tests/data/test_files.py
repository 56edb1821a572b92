"""Which files are read, and how: confinement, file kinds, sizes, YAML keys, dates, lines."""

from __future__ import annotations

import io
import os
import re
import tempfile
import threading
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from reportgen.cli import main
from reportgen.data.companies import load_group_companies
from reportgen.data.load import MAX_DATA_FILE_BYTES, load_dataset, read_yaml
from reportgen.errors import DataError
from reportgen.quarters import Quarter
from reportgen.slides.deck import load_deck_spec
from reportgen.slides.messages import Messages
from tests.conftest import ROOT, edit

HEADER = "item,value,source,status,note\n"
# A line no data file of ours contains: if it shows up in a message, content leaked.
SECRET = "root:x:0:0:secret-line"


def build_error(data: Path, out: Path) -> str:
    """Build through the CLI; return its one error line (exit code 2, no traceback)."""
    err = io.StringIO()
    code = main(
        ["build", "--quarter", "1Q08", "--data", str(data), "--out", str(out), "--no-pdf"],
        stdout=io.StringIO(),
        stderr=err,
    )
    assert code == 2, err.getvalue()
    assert "Traceback" not in err.getvalue()
    (line,) = [line for line in err.getvalue().splitlines() if line.startswith("error:")]
    return line


@pytest.fixture
def outside(tmp_path: Path) -> Path:
    """A file outside the data folder that parses as a figures table."""
    path = tmp_path / "elsewhere" / "secret.csv"
    path.parent.mkdir()
    path.write_text(f"{SECRET}\n{HEADER}cash,1,S8,published,\n")
    return path


@pytest.mark.parametrize(
    "name",
    ["company.yaml", "sources.yaml", "figures/1Q08.csv", "targets.csv", "decks/1Q08.yaml"],
    ids=["company", "sources", "figures", "targets", "deck"],
)
def test_a_link_out_of_the_data_folder_is_refused(
    tmp_path: Path, data_copy: Path, outside: Path, name: str
) -> None:
    path = data_copy / name
    path.unlink()
    path.symlink_to(outside)
    line = build_error(data_copy, tmp_path / "out")
    assert f"{name}: links to a file outside" in line
    assert "expected a file inside that folder" in line
    assert SECRET not in line


def test_a_link_out_of_the_data_folder_is_refused_for_group_companies(
    data_copy: Path, outside: Path
) -> None:
    dataset = load_dataset(data_copy)
    (data_copy / "group_companies.csv").unlink()
    (data_copy / "group_companies.csv").symlink_to(outside)
    with pytest.raises(DataError, match=r"group_companies\.csv: links to a file outside"):
        load_group_companies(data_copy, dataset.sources)


def test_a_link_inside_the_data_folder_is_read(data_copy: Path) -> None:
    figures = data_copy / "figures"
    (data_copy / "archive").mkdir()
    (figures / "3Q08.csv").rename(data_copy / "archive" / "3Q08.csv")
    (figures / "3Q08.csv").symlink_to(data_copy / "archive" / "3Q08.csv")
    expected = load_dataset(data_copy)
    assert (data_copy / "archive" / "3Q08.csv").read_text().count("\n") > 1
    assert not expected.figures.get("revenue", "3Q08").missing


def test_a_foreign_file_is_named_never_quoted(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "figures" / "1Q08.csv").write_text(f"{SECRET}\nmore,private,text\n")
    line = build_error(data_copy, tmp_path / "out")
    assert "1Q08.csv: the first line is not a header; expected item,value,source" in line
    assert "secret" not in line


def test_a_binary_file_is_named_never_quoted(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "figures" / "1Q08.csv").write_bytes(b"\x7fELF\x02\x01\x00\x00" + SECRET.encode())
    line = build_error(data_copy, tmp_path / "out")
    assert line.endswith("1Q08.csv: a binary file; expected UTF-8 text")


@pytest.mark.parametrize("name", ["figures/1Q08.csv", "company.yaml"], ids=["csv", "yaml"])
def test_a_fifo_fails_instead_of_hanging(tmp_path: Path, data_copy: Path, name: str) -> None:
    path = data_copy / name
    path.unlink()
    os.mkfifo(path)
    outcome: list[str] = []
    # In a thread with a deadline: a regression hangs on open(), and must fail, not hang.
    worker = threading.Thread(target=lambda: outcome.append(build_error(data_copy, tmp_path)))
    worker.daemon = True
    worker.start()
    worker.join(timeout=60)
    if worker.is_alive():
        with open(path, "wb"):  # unblock the reader so the thread can end
            pass
        pytest.fail(f"{name} as a FIFO hangs the build")
    assert outcome[0].endswith(f"{name}: a FIFO; expected a regular file")


def test_a_device_behind_a_link_is_refused(tmp_path: Path) -> None:
    # /dev/zero never ends; as a data file it must be refused before it is read.
    data = tmp_path / "data"
    data.mkdir()
    (data / "zero").symlink_to("/dev/zero")
    (data / "company.yaml").symlink_to(data / "zero")
    with pytest.raises(DataError, match=r"company\.yaml: links to a file outside"):
        load_dataset(data)


def test_a_device_named_as_data_folder_file_is_refused(tmp_path: Path) -> None:
    data = tmp_path / "data"
    (data / "figures").mkdir(parents=True)
    (data / "company.yaml").mkdir()
    with pytest.raises(DataError, match=r"company\.yaml: a folder; expected a regular file"):
        load_dataset(data)


def test_a_huge_file_is_refused(tmp_path: Path, data_copy: Path) -> None:
    path = data_copy / "figures" / "1Q08.csv"
    with path.open("a") as handle:
        handle.write("# padding\n" * (MAX_DATA_FILE_BYTES // 10 + 1))
    line = build_error(data_copy, tmp_path / "out")
    assert line.endswith("1Q08.csv: larger than 4 MB; expected a data file (a few KB)")


@pytest.mark.parametrize(
    ("name", "old", "new", "lines", "key"),
    [
        (
            "company.yaml",
            "fiscal_year_start_month: 4",
            "fiscal_year_start_month: 4\nfiscal_year_start_month: 1",
            "lines 5 and 6",
            "fiscal_year_start_month",
        ),
        ("company.yaml", "  tel: 03-5259-6500", "  tel: 1\n  tel: 2", "lines 10 and 11", "tel"),
        ("sources.yaml", "S2:\n", "S1:\n", "lines 4 and 8", "S1"),
        (
            "decks/1Q08.yaml",
            "{date: 2008-01-21, title:",
            "{date: 2008-01-21, date: 2008-01-22, title:",
            "",  # the line of the mapping, read from the file
            "date",
        ),
        (
            "decks/1Q08.yaml",
            "release_date: 2008-08-12",
            "release_date: 2008-08-12\nrelease_date: 2008-08-13",
            "lines 4 and 5",
            "release_date",
        ),
    ],
    ids=["company-top", "company-nested", "sources", "flow-mapping", "deck"],
)
def test_a_yaml_key_written_twice_names_both_lines(
    tmp_path: Path, data_copy: Path, name: str, old: str, new: str, lines: str, key: str
) -> None:
    if not lines:
        text = (data_copy / name).read_text(encoding="utf-8")
        lines = f"line {text[: text.index(old)].count(chr(10)) + 1}"
    edit(data_copy / name, old, new)
    line = build_error(data_copy, tmp_path / "out")
    assert line.endswith(f"{name}, {lines}: key '{key}' is written twice; expected each key once")


def test_a_message_key_written_twice_names_both_lines(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    (templates / "i18n" / "en").mkdir(parents=True)
    (templates / "i18n" / "en" / "a.yaml").write_text("column:\n  year: Year\n  year: FY\n")
    with pytest.raises(DataError, match=r"a\.yaml, lines 2 and 3: key 'year' is written twice"):
        Messages.load(templates, "en")


def test_the_shipped_catalogues_have_no_doubled_keys() -> None:
    for language in ("en", "ja"):
        assert Messages.load(ROOT / "templates", language).entries


def test_figure_files_that_differ_only_in_case(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "figures" / "1q08.csv").write_text(HEADER + "revenue,1,S1,published,\n")
    line = build_error(data_copy, tmp_path / "out")
    assert "figures/1q08.csv and " in line or "figures/1Q08.csv and " in line
    assert "1q08.csv" in line
    assert "1Q08.csv" in line
    assert line.endswith("two files for 1Q08; expected one file per period")


def test_the_inputs_are_what_the_loader_reads(data_copy: Path) -> None:
    inputs = load_dataset(data_copy).inputs.items
    names = [i.path.relative_to(data_copy).as_posix() for i in inputs if i.kind == "file"]
    assert names[:3] == ["company.yaml", "sources.yaml", "items.yaml"]
    assert "figures/1Q08.csv" in names
    assert names[-1] == "targets.csv"
    assert not any(n.startswith("decks/") for n in names)


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "decks/1Q08.yaml",
            "release_date: 2008-08-12",
            "release_date: 2008-02-30",
            r"decks/1Q08\.yaml:4:15: release_date: '2008-02-30' is not a date "
            r"\(day is out of range for month; expected YYYY-MM-DD, e\.g\. 2008-08-12\)",
        ),
        (
            "decks/1Q08.yaml",
            "release_date: 2008-08-12",
            "release_date: 12/08/2008",
            r"decks/1Q08\.yaml:4:15: release_date: '12/08/2008' is not a date "
            r"\(expected YYYY-MM-DD",
        ),
        (
            "sources.yaml",
            "date: 2008-08-12",
            "date: 2008-13-12",
            r"sources\.yaml \(S1\): date: '2008-13-12' is not a date \(month must be in 1\.\.12;",
        ),
        (
            "targets.csv",
            ",2007-05-15,S10",
            ",2007-02-29,S10",
            r"targets\.csv, line 2: announced: '2007-02-29' is not a date \(day is out of range",
        ),
        (
            "group_companies.csv",
            "iij_technology,IIJ Technology Inc.,subsidiary,100,,",
            "iij_technology,IIJ Technology Inc.,subsidiary,100,\u0662\u0660\u0660\u0668-04,",
            r"group_companies\.csv, line 2: established: String should match pattern",
        ),
        (
            "decks/1Q08.yaml",
            "{date: 2008-01-21, title:",
            "{date: 2008-01-32, title:",
            r"decks/1Q08\.yaml:\d+:18, slide Ref\. 4 \(press_releases, 1Q08\) \"Press Releases\": "
            r"content\.releases\.0\."
            r"date: '2008-01-32' is not a date \(day is out of range for month; expected",
        ),
    ],
    ids=[
        "release-feb-30",
        "release-format",
        "source-month-13",
        "announced",
        "established",
        "press-release",
    ],
)
def test_bad_dates_name_file_field_and_format(
    tmp_path: Path, data_copy: Path, name: str, old: str, new: str, message: str
) -> None:
    edit(data_copy / name, old, new)
    line = build_error(data_copy, tmp_path / "out")
    assert re.search(message, line), line


def test_a_quoted_newline_does_not_shift_line_numbers(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "figures" / "3Q08.csv").write_text(
        HEADER + 'cash,1,S8,published,"a note\non two lines"\n\ncash,2,S8,published,\n'
    )
    line = build_error(data_copy, tmp_path / "out")
    assert "3Q08.csv, line 5 (cash, 3Q08): duplicate of line 2" in line


def test_a_quoted_newline_in_group_companies_keeps_line_numbers(data_copy: Path) -> None:
    path = data_copy / "group_companies.csv"
    text = path.read_text(encoding="utf-8").replace(
        ",S11,seed,Ref -3\n", ',S11,seed,"Ref -3\nsecond line"\n', 1
    )
    path.write_text(text + "bad key,X,subsidiary,,,no,b,S11,seed,\n", encoding="utf-8")
    rows = text.count("\n") + 1  # the physical line the appended row starts on
    dataset = load_dataset(data_copy)
    with pytest.raises(DataError, match=rf"group_companies\.csv, line {rows}: key: String"):
        load_group_companies(data_copy, dataset.sources)


def test_deck_file_dates_stay_dates(data_copy: Path) -> None:
    spec = load_deck_spec(load_dataset(data_copy), Quarter.parse("1Q08"))
    assert spec.release_date.isoformat() == "2008-08-12"


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "group_companies.csv",
            "iij_technology,IIJ Technology Inc.,subsidiary,100,",
            "iij_technology,IIJ Technology Inc.,subsidiary,\u0661\u0660\u0660,",
            r"group_companies\.csv, line 2: ownership: '\u0661\u0660\u0660' is not a number",
        ),
        (
            "group_companies.csv",
            "iij_technology,IIJ Technology Inc.,subsidiary,100,",
            "iij_technology,IIJ Technology Inc.,subsidiary,10²,",
            r"group_companies\.csv, line 2: ownership: '10²' is not a number",
        ),
        (
            "targets.csv",
            'FY07,revenue,"69,000"',
            "FY07,revenue,69000²",
            r"targets\.csv, line 2: value: '69000²' is not a number",
        ),
        (
            "targets.csv",
            'FY07,revenue,"69,000"',
            "FY07,revenue,10000000000000000000",
            r"targets\.csv, line 2: value: '10000000000000000000' is out of bounds",
        ),
    ],
    ids=["ownership-arabic-indic", "ownership-superscript", "target-superscript", "target-1e19"],
)
def test_every_number_input_goes_through_the_one_parser(
    data_copy: Path, name: str, old: str, new: str, message: str
) -> None:
    edit(data_copy / name, old, new)
    with pytest.raises(DataError, match=message):
        load_everything(data_copy)


def load_everything(root: Path) -> None:
    """Load the data set and the group companies: every number a data file holds."""
    load_group_companies(root, load_dataset(root).sources)


@settings(max_examples=60, deadline=None)
@given(
    st.lists(st.from_regex(r"[a-z_]{1,8}", fullmatch=True), min_size=1, max_size=8, unique=True),
    st.data(),
)
def test_any_key_written_twice_is_refused(keys: list[str], data: st.DataObject) -> None:
    lines = [f"'{key}': {n}" for n, key in enumerate(keys)]
    first = data.draw(st.integers(0, len(keys) - 1))
    second = data.draw(st.integers(first + 1, len(keys)))
    lines.insert(second, f"'{keys[first]}': again")
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "company.yaml"
        path.write_text("\n".join(lines) + "\n", encoding="utf-8")
        with pytest.raises(DataError) as caught:
            read_yaml(path, Path(folder))
    assert str(caught.value).endswith(
        f"company.yaml, lines {first + 1} and {second + 1}: key '{keys[first]}' is written "
        "twice; expected each key once"
    )


@pytest.mark.parametrize(
    ("name", "old", "new", "expected"),
    [
        (
            "company.yaml",
            "fiscal_year_start_month: 4",
            "fiscal_year_start_month: yes",
            "company.yaml: fiscal_year_start_month: Input should be a valid integer, not true "
            "(YAML reads yes, no, on and off as true or false)",
        ),
        (
            "company.yaml",
            "fiscal_year_start_month: 4",
            'fiscal_year_start_month: "4"',
            "company.yaml: fiscal_year_start_month: Input should be a valid integer, not '4'",
        ),
        (
            "decks/1Q08.yaml",
            "      ratios: true",
            '      ratios: "yes"',
            "content.ratios: Input should be a valid boolean, not 'yes'",
        ),
        (
            "decks/1Q08.yaml",
            "      ratios: true",
            "      ratios: 1",
            "content.ratios: Input should be a valid boolean, not 1",
        ),
    ],
    ids=["month-yes", "month-string", "flag-string", "flag-number"],
)
def test_a_number_or_flag_is_taken_only_as_written(
    tmp_path: Path, data_copy: Path, name: str, old: str, new: str, expected: str
) -> None:
    """``yes`` is not a month, ``"4"`` is not a number, ``1`` is not true: nothing is
    coerced into a setting that changes the deck (a month read as 1 moved every period)."""
    edit(data_copy / name, old, new)
    line = build_error(data_copy, tmp_path / "out")
    assert expected in line
