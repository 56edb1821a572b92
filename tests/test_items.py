"""``reportgen items``: the catalogue a deck writer reads instead of the source."""

from __future__ import annotations

import csv
import io
import subprocess
from pathlib import Path

from reportgen.cli import main
from tests.conftest import EXAMPLE, IIJ, ROOT, catalogue_of


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def row(out: str, key: str) -> list[str]:
    """The cells of the item's row (columns are separated by two spaces or more)."""
    line = next(line for line in out.splitlines() if line.split("  ")[0] == key)
    return [cell.strip() for cell in line.split("  ") if cell.strip()]


def test_items_lists_labels_units_kinds_and_identities() -> None:
    code, out, err = run("-q", "items", "--data", str(EXAMPLE))
    assert (code, err) == (0, "")
    assert row(out, "gross_margin")[:-1] == [
        "gross_margin",
        "Gross Margin",
        catalogue_of(EXAMPLE).label("gross_margin", "ja"),
        "JPY million",
        "flow",
        "-",
        "no, derived",
        "gross margin, operating income",
    ]
    assert row(out, "employees")[3:-1] == ["employees", "stock", "-", "yes", "-"]
    assert row(out, "revenue_ip_service")[5] == "revenue_corporate"
    assert "  operating income" in out
    assert "gross_margin = sga + operating_income" in out
    assert "net_income = income_before_tax − income_tax + minority_interests" in out
    assert "  ratio_yoy_pt  change of the ratio from a year earlier, points" in out
    assert (
        "  cash movement vs cash flows   Δcash = cf_operating + cf_investing + cf_financing" in out
    )


def _periods_storing(company: Path, key: str) -> set[str]:
    periods = set()
    for path in (company / "figures").glob("*.csv"):
        with path.open(encoding="utf-8-sig", newline="") as f:
            if any(r["item"] == key for r in csv.DictReader(f)):
                periods.add(path.stem)
    return periods


def test_items_for_a_company_lists_the_periods_it_stores() -> None:
    code, out, _ = run("-q", "items", "--data", str(IIJ))
    assert code == 0
    revenue = row(out, "revenue")
    assert set(revenue[-1].split(", ")) == _periods_storing(IIJ, "revenue")
    assert revenue[-1].startswith("3Q06, FY06, 1Q07, 1H07")
    assert row(out, "gross_margin")[-1] == "-"


def test_make_items_prints_the_catalogue() -> None:
    done = subprocess.run(
        ["make", "-s", "items", f"DATA={IIJ}"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert row(done.stdout, "employees")[-1] == "1Q08"
