"""Figures as each release showed them: restated versions carry their release date (as_of).

A deck shows, per item and period, the latest version released on or before its
own release date; a quarter derived by subtraction never takes its operands from
different releases; ``reportgen check`` lists every restatement. Tested on a copy
of the fictional company: IIJ's record gives no figure in two releases' versions.
"""

from __future__ import annotations

import io
import shutil
from datetime import date
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.data.load import load_dataset
from reportgen.data.validate import run_checks
from reportgen.errors import DataError
from reportgen.model.figures import Figures
from tests.conftest import EXAMPLE, edit

# The 2Q25 release (2025-11-13) restated its 2Q24 comparatives; the 1Q25 deck
# (2025-08-12) came out before it.
RESTATED_ON = "2025-11-13"
BEFORE, AFTER = date(2025, 8, 12), date(2025, 11, 13)
HEADER = "item,value,source,status,note\n"


@pytest.fixture
def fictional(tmp_path: Path) -> Path:
    target = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, target)
    return target


def add_rows(path: Path, *rows: str) -> None:
    """Give ``path`` the as_of column and append ``rows`` (a new file if it is not there)."""
    text = path.read_text(encoding="utf-8") if path.exists() else HEADER
    text = text.replace(HEADER, "item,value,source,status,note,as_of\n", 1)
    path.write_text(text + "".join(f"{row}\n" for row in rows), encoding="utf-8")


def remove_row(path: Path, start: str) -> None:
    lines = path.read_text(encoding="utf-8").splitlines(keepends=True)
    kept = [line for line in lines if not line.startswith(start)]
    assert len(kept) == len(lines) - 1
    path.write_text("".join(kept), encoding="utf-8")


def restate_2q24(root: Path) -> None:
    """Revenue and cost of 2Q24 both restated up by 100: every tie-out still holds."""
    add_rows(
        root / "figures" / "2Q24.csv",
        f'revenue,"17,395",E1,published,restated,{RESTATED_ON}',
        f'cost,"14,162",E1,published,restated,{RESTATED_ON}',
    )


def figures_at(root: Path, day: date) -> Figures:
    return load_dataset(root).figures.at(day)


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def test_a_deck_shows_the_version_released_by_its_own_date(fictional: Path) -> None:
    restate_2q24(fictional)
    assert figures_at(fictional, BEFORE).get("revenue", "2Q24").value == 17295
    after = figures_at(fictional, AFTER).get("revenue", "2Q24")
    assert after.value == 17395
    assert after.as_of == RESTATED_ON
    assert f"as restated {RESTATED_ON}" in after.provenance
    # Derived from the restated revenue and cost: one basis, the restated one.
    assert figures_at(fictional, AFTER).get("gross_margin", "2Q24").value == 17395 - 14162


def test_the_built_deck_uses_its_release_date(fictional: Path) -> None:
    """Via the CLI: the 2Q25 deck shows the restated 2Q24; restated a day later, the original."""
    restate_2q24(fictional)
    code, out, err = run("-q", "sources", "--quarter", "2Q25", "--data", str(fictional))
    assert code == 0, err
    revenue = [line for line in out.splitlines() if "· Total Revenues, 2Q24 · published" in line]
    assert revenue
    # The summary table in JPY billion, the chart's total in JPY million.
    assert all(": 17.4 ·" in line or ": 17,395 ·" in line for line in revenue)
    assert all(f"as restated {RESTATED_ON}" in line for line in revenue)

    later = fictional / "figures" / "2Q24.csv"
    later.write_text(later.read_text().replace(RESTATED_ON, "2025-11-14"), encoding="utf-8")
    code, out, err = run("-q", "sources", "--quarter", "2Q25", "--data", str(fictional))
    assert code == 0, err
    revenue = [line for line in out.splitlines() if "· Total Revenues, 2Q24 · published" in line]
    assert revenue
    assert all(": 17.3 ·" in line or ": 17,295 ·" in line for line in revenue)
    assert "as restated" not in out


@pytest.fixture
def half_year(fictional: Path) -> Path:
    """hi-ho revenue: 1H24 stored, 2Q24 not (so 2Q24 = 1H24 − 1Q24), 1Q24 restated."""
    remove_row(fictional / "figures" / "2Q24.csv", "revenue_hiho,")
    add_rows(fictional / "figures" / "1H24.csv", 'revenue_hiho,"2,294",E1,published,,')
    add_rows(
        fictional / "figures" / "1Q24.csv", f'revenue_hiho,"1,210",E1,published,,{RESTATED_ON}'
    )
    return fictional


def test_a_derived_quarter_uses_operands_of_one_release(half_year: Path) -> None:
    assert figures_at(half_year, BEFORE).get("revenue_hiho", "2Q24").value == 2294 - 1150
    # After the restatement, 1Q24 shows as restated, but 1H24 was never restated:
    # 2Q24 comes from the two originals, never 2,294 − 1,210.
    after = figures_at(half_year, AFTER)
    assert after.get("revenue_hiho", "1Q24").value == 1210
    derived = after.get("revenue_hiho", "2Q24")
    assert derived.value == 2294 - 1150
    assert "(1,150)" in derived.formula

    # With the half restated in the same release, 2Q24 comes from the restated pair.
    add_rows(
        half_year / "figures" / "1H24.csv", f'revenue_hiho,"2,380",E1,published,,{RESTATED_ON}'
    )
    restated = figures_at(half_year, AFTER).get("revenue_hiho", "2Q24")
    assert (restated.value, restated.as_of) == (2380 - 1210, RESTATED_ON)
    assert figures_at(half_year, BEFORE).get("revenue_hiho", "2Q24").value == 2294 - 1150


def test_a_derived_quarter_of_mixed_releases_is_missing(half_year: Path) -> None:
    # Only the restated 1Q24 is known (its first publication is not in the data).
    remove_row(half_year / "figures" / "1Q24.csv", 'revenue_hiho,"1,150"')
    for day in (BEFORE, AFTER):
        derived = figures_at(half_year, day).get("revenue_hiho", "2Q24")
        assert derived.missing, derived.provenance
    # A deck with no release date view (the data set as it stands) does not mix either.
    assert load_dataset(half_year).figures.get("revenue_hiho", "2Q24").missing


def test_check_lists_restatements(fictional: Path) -> None:
    restate_2q24(fictional)
    code, out, err = run("check", "--quarter", "2Q25", "--data", str(fictional))
    assert code == 0, err
    restated = [line for line in out.splitlines() if line.startswith("restated: ")]
    where = fictional / "figures" / "2Q24.csv"
    assert restated == [
        f"restated: {where}: cost 2Q24: "
        f"14,062 (as first published, source E1) → 14,162 (as of {RESTATED_ON}, source E1)",
        f"restated: {where}: revenue 2Q24: "
        f"17,295 (as first published, source E1) → 17,395 (as of {RESTATED_ON}, source E1)",
    ]


def test_check_lists_no_restatement_of_an_unchanged_figure(fictional: Path) -> None:
    add_rows(fictional / "figures" / "2Q24.csv", f'revenue,"17,295",E1,published,,{RESTATED_ON}')
    code, out, _ = run("check", "--quarter", "2Q25", "--data", str(fictional))
    assert code == 0
    assert "restated" not in out


@pytest.mark.parametrize(
    ("row", "expected"),
    [
        (
            f'revenue,"17,395",E1,published,,{RESTATED_ON}\n'
            f'revenue,"17,396",E1,published,,{RESTATED_ON}',
            f"(revenue, 2Q24): duplicate of line 82 (as of {RESTATED_ON})",
        ),
        ('revenue,"17,395",E1,published,,2025-13-01', "as_of: '2025-13-01' is not a date"),
        ('revenue,"17,395",E1,published,,', "(revenue, 2Q24): duplicate of line 2 (with no as_of)"),
        (
            'revenue,"17,395",E1,published,,2024-09-30',
            "(revenue, 2Q24): as_of 2024-09-30 is not after 2Q24 ends (2024-09-30)",
        ),
    ],
    ids=["same-release-twice", "bad-date", "undated-twice", "before-period-end"],
)
def test_bad_versions_name_file_line_and_item(fictional: Path, row: str, expected: str) -> None:
    add_rows(fictional / "figures" / "2Q24.csv", row)
    with pytest.raises(DataError) as caught:
        load_dataset(fictional)
    message = str(caught.value)
    assert "figures/2Q24.csv, line " in message
    assert "\n" not in message
    assert expected in message


def test_period_sums_compare_versions_of_one_release(fictional: Path) -> None:
    """1H24 as first published against 1Q24 + 2Q24 as first published, not the restated 1Q24."""
    add_rows(fictional / "figures" / "1H24.csv", 'revenue_hiho,"2,294",E1,published,,')
    add_rows(
        fictional / "figures" / "1Q24.csv", f'revenue_hiho,"1,210",E1,published,,{RESTATED_ON}'
    )
    checks = [
        c for c in run_checks(load_dataset(fictional)) if c.name == "period sum 'revenue_hiho'"
    ]
    assert [(c.severity, c.expected, c.actual) for c in checks] == [("ok", 2294, 1150 + 1144)]

    # A restated half is checked against the restated quarters of its release.
    add_rows(
        fictional / "figures" / "1H24.csv", f'revenue_hiho,"2,380",E1,published,,{RESTATED_ON}'
    )
    checks = [
        c for c in run_checks(load_dataset(fictional)) if c.name == "period sum 'revenue_hiho'"
    ]
    assert [(c.severity, c.expected, c.actual) for c in checks] == [("ok", 2294, 1150 + 1144)]
    add_rows(
        fictional / "figures" / "2Q24.csv", f'revenue_hiho,"1,170",E1,published,,{RESTATED_ON}'
    )
    checks = [
        c for c in run_checks(load_dataset(fictional)) if c.name == "period sum 'revenue_hiho'"
    ]
    assert sorted((c.severity, c.expected, c.actual) for c in checks) == [
        ("ok", 2294, 1150 + 1144),
        ("ok", 2380, 1210 + 1170),
    ]
    assert any(f"as of {RESTATED_ON}" in c.detail for c in checks)


def test_check_reads_typed_figures_as_of_the_deck(fictional: Path) -> None:
    """A figure typed as the deck's release showed it is flagged, not the later restatement."""
    add_rows(fictional / "figures" / "2Q24.csv", 'revenue,"17,395",E1,published,,2025-11-14')
    add_rows(fictional / "figures" / "2Q24.csv", 'cost,"14,162",E1,published,,2025-11-14')
    edit(
        fictional / "decks" / "2Q25.yaml",
        "    bullets:\n",
        "    bullets:\n      - Revenues a year earlier were JPY 17,295 million.\n",
    )
    code, out, _ = run("check", "--quarter", "2Q25", "--data", str(fictional))
    assert code == 0
    assert "typed number '17,295' equals revenue 2Q24" in out
