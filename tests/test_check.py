"""``reportgen check``: every check of the quarter's periods, labelled, with units."""

from __future__ import annotations

import io
from pathlib import Path

from reportgen.cli import main
from tests.conftest import IIJ, edit


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def rows(out: str) -> list[list[str]]:
    """The table's rows as cells (columns are separated by two spaces or more)."""
    lines = out.splitlines()
    end = next(i for i, line in enumerate(lines) if " checks: " in line)
    return [[c.strip() for c in line.split("  ") if c.strip()] for line in lines[1:end]]


def row(out: str, period: str, label: str) -> list[str]:
    (found,) = [r for r in rows(out) if r[1:3] == [period, label]]
    return found


def test_check_lists_passing_checks_with_a_label_that_says_what_is_compared() -> None:
    code, out, _ = run("-q", "check", "--quarter", "1Q08", "--data", str(IIJ))
    assert code == 0
    # 1Q08.csv: revenue 16,328 - cost 13,303 = gross margin 3,025 = SG&A 2,614 + OI 411.
    assert row(
        out, "1Q08", "tie-out 'operating income': gross_margin = sga + operating_income"
    ) == [
        "OK",
        "1Q08",
        "tie-out 'operating income': gross_margin = sga + operating_income",
        "3,025",
        "3,025",
        "0",
        "±1",
        "JPY million",
    ]
    assert row(out, "1Q08", "tie-out 'gross margin': revenue = cost + gross_margin")[3:5] == [
        "16,328",
        "16,328",
    ]


def test_check_prints_percentages_and_points() -> None:
    _, out, _ = run("-q", "check", "--quarter", "1Q08", "--data", str(IIJ))
    published = row(out, "1Q08", "published operating_income:yoy")
    # Published (40.5); the difference of two percentages is in points.
    assert published[0] == "OK"
    assert published[3] == "(40.50%)"
    assert published[4].endswith("%)")
    assert published[5].endswith(")pt")
    assert published[6].startswith("±")
    assert published[6].endswith("pt")
    assert published[7] == "%"


def test_check_lists_only_the_periods_the_deck_shows() -> None:
    code, out, _ = run("-q", "check", "--quarter", "4Q07", "--data", str(IIJ))
    assert code == 0
    periods = {r[1] for r in rows(out)}
    assert periods <= {"4Q06", "FY06", "1Q07", "2Q07", "3Q07", "4Q07", "FY07"}
    assert {"3Q07", "FY07"} <= periods
    assert "cash movement" not in out
    assert "periods the deck shows: 4Q06, FY06, 1Q07, 2Q07, 3Q07, 4Q07, FY07;" in out

    _, everything, _ = run("-q", "check", "--quarter", "4Q07", "--data", str(IIJ), "--all")
    assert {"1Q08", "9M08", "FY08"} <= {r[1] for r in rows(everything)}
    assert "WARNING  1Q08    cash movement vs cash flows" in everything


def test_check_shows_an_error_of_another_period(data_copy: Path) -> None:
    # A failing check stops every build, so it is listed whatever the quarter asked.
    edit(data_copy / "figures" / "FY08.csv", 'revenue,"69,731"', 'revenue,"69,831"')
    code, out, _ = run("-q", "check", "--quarter", "1Q08", "--data", str(data_copy))
    assert code == 2
    assert row(out, "FY08", "period sum 'revenue'")[0] == "ERROR"
    assert "error: " in out


def test_cash_flow_gap_is_reported_by_the_decks_that_show_its_quarter() -> None:
    gap = "cash movement vs cash flows leaves a gap for 1Q08"
    # 3Q08's charts draw the five quarters from 3Q07: 1Q08 among them.
    for quarter, expected in (("1Q08", True), ("2Q08", True), ("3Q08", True), ("4Q07", False)):
        code, _, err = run("sources", "--quarter", quarter, "--data", str(IIJ))
        assert code == 0
        assert (gap in err) is expected, quarter
        _, out, _ = run("check", "--quarter", quarter, "--data", str(IIJ))
        assert (gap in out) is expected, quarter
