"""The command line: exit codes, one-line errors, nothing written on failure."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from reportgen.cli import main
from tests.conftest import IIJ


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "quarter",
    ["5Q08", "1Q8", "Q108", "../x", "../../etc", "", "1Q08/../../x"],
    ids=["5Q08", "1Q8", "Q108", "traversal", "deep-traversal", "empty", "suffix"],
)
def test_bad_quarter_exits_2_and_writes_nothing(tmp_path: Path, quarter: str) -> None:
    out = tmp_path / "out"
    code, _, err = run("build", "--quarter", quarter, "--data", str(IIJ), "--out", str(out))
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("error: quarter ")
    assert "Traceback" not in err
    assert not out.exists()


def test_quarter_without_a_deck(tmp_path: Path) -> None:
    code, _, err = run("build", "--quarter", "3Q09", "--data", str(IIJ), "--out", str(tmp_path))
    assert code == 2
    assert "quarter 3Q09: no deck file" in err
    assert "decks exist for 1Q08" in err


def test_bad_data_keeps_the_last_good_deck(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    assert (
        run("-q", "build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(out))[0] == 0
    )
    pdf = next((out / "1Q08").glob("*.pdf"))
    before = hashlib.sha256(pdf.read_bytes()).hexdigest()
    figures = data_copy / "figures" / "1Q08.csv"
    figures.write_text(figures.read_text().replace('revenue,"16,328"', "revenue,16.3.28"))
    code, _, err = run("build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(out))
    assert code == 2
    assert "1Q08.csv, line 2 (1Q08): value: '16.3.28' is not a number" in err
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in (out).iterdir()) == [".cache", "1Q08"]


def test_check_prints_the_table(tmp_path: Path) -> None:
    code, out, _ = run("check", "--quarter", "1Q08", "--data", str(IIJ), "--all")
    assert code == 0
    assert "tie-out 'net income'" in out
    assert "WARNING  1Q08    cash movement vs cash flows" in out
    assert "errors" in out.splitlines()[-2] or "errors" in out


def test_check_warns_about_a_typed_figure(data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    text = deck.read_text()
    deck.write_text(text.replace("{{ 'revenue_recurring'|yoy }}", "22.5%", 1))
    code, out, _ = run("check", "--quarter", "1Q08", "--data", str(data_copy))
    assert code == 0
    assert "typed number '22.5%' equals revenue_recurring:yoy" in out


def test_sources_lists_each_figure_with_its_source() -> None:
    code, out, _ = run("-q", "sources", "--quarter", "1Q08", "--data", str(IIJ))
    assert code == 0
    assert "1 | Operating Income | YoY: (40.5%) [published] operating_income:yoy 1Q08" in out
    assert "13 | Cash | Changes: (1,528) [derived]" in out
