"""Period arithmetic, tie-outs and published measures."""

from pathlib import Path

import pytest

from reportgen.data.load import Dataset, load_dataset
from reportgen.data.validate import run_checks, validate
from reportgen.errors import TieOutError


@pytest.mark.parametrize(
    ("key", "period", "value", "parts"),
    [
        # Reference D1: 2Q07 = 1H FY2007 − 1Q07.
        ("revenue", "2Q07", 29990 - 13696, ("1H07", "1Q07")),
        ("operating_income", "2Q07", 1816 - 692, ("1H07", "1Q07")),
        ("income_before_tax", "2Q07", 1697 - 757, ("1H07", "1Q07")),
        ("net_income", "2Q07", 3477 - 571, ("1H07", "1Q07")),
        # Reference D2: 4Q07 income before tax = FY2007 − 1H07 − 3Q07.
        ("income_before_tax", "4Q07", 4362 - 1697 - 1017, ("FY07", "1H07", "3Q07")),
        # Reference D3: 2Q08 = 1H08 − 1Q08.
        ("revenue", "2Q08", 33254 - 16328, ("1H08", "1Q08")),
        ("operating_income", "2Q08", 1005 - 411, ("1H08", "1Q08")),
        ("net_income", "2Q08", 368 - 169, ("1H08", "1Q08")),
    ],
    ids=["D1-revenue", "D1-oi", "D1-ibt", "D1-ni", "D2-ibt", "D3-revenue", "D3-oi", "D3-ni"],
)
def test_quarters_derived_from_published_totals(
    iij: Dataset, key: str, period: str, value: int, parts: tuple[str, ...]
) -> None:
    figure = iij.figures.get(key, period)
    assert figure.value == value
    assert figure.status == "derived"
    assert all(p in figure.formula for p in parts)


def test_identity_derivations_match_the_reference(iij: Dataset) -> None:
    # D4, D6, D10: gross margin, residual revenue, O&M and segment costs.
    assert iij.figures.get("gross_margin", "1Q07").value == 2754
    assert iij.figures.get("revenue_equipment", "1Q08").value == 243
    assert iij.figures.get("revenue_systems_operation", "1Q08").value == 4654
    assert iij.figures.get("cost_connectivity_outsourcing", "1Q08").value == 7065
    assert iij.figures.get("cost_si", "1Q08").value == 6024
    assert iij.figures.get("other_income", "4Q07").value == -159


def test_what_no_source_gives_stays_missing(iij: Dataset) -> None:
    for key, period in [
        ("revenue", "4Q06"),
        ("cost", "2Q07"),
        ("capex", "1Q08"),
        ("income_before_tax", "2Q08"),
        ("cash", "1Q07"),
    ]:
        figure = iij.figures.get(key, period)
        assert figure.missing, (key, period)
        assert figure.value is None


def test_iij_data_passes_every_check(iij: Dataset) -> None:
    checks = validate(iij)
    assert [c.name for c in checks if c.severity == "warning"] == ["cash movement vs cash flows"]


def test_cash_gap_is_reported_with_its_size(iij: Dataset) -> None:
    (gap,) = [c for c in run_checks(iij) if c.severity == "warning"]
    assert gap.difference == 26


def _replace(folder: Path, name: str, old: str, new: str) -> None:
    path = folder / "figures" / name
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new))


@pytest.mark.parametrize(
    ("name", "old", "new", "message"),
    [
        (
            "1Q08.csv",
            'revenue_ip_service,"2,270"',
            'revenue_ip_service,"2,370"',
            r"1Q08\.csv: tie-out 'corporate connectivity revenue by service' fails for 1Q08: "
            r"revenue_corporate 3,110 ≠ revenue_ip_service 2,370 \+ revenue_broadband 713 "
            r"\+ revenue_corporate_other 126 = 3,209 \(difference 99\.00",
        ),
        ("1Q07.csv", 'sga,"2,062"', 'sga,"2,162"', r"fails for 1Q07: .*gross_margin 2,854"),
        ("1Q08.csv", "income_tax,213", "income_tax,313", r"tie-out 'net income' fails for 1Q08"),
        (
            "FY07.csv",
            'revenue,"66,835"',
            'revenue,"66,935"',
            r"FY07\.csv: period sum 'revenue' fails for FY07",
        ),
        (
            "1Q08.csv",
            "operating_income:yoy,(40.5)",
            "operating_income:yoy,40.5",
            r"published operating_income:yoy fails for 1Q08: "
            r"published 40\.50 ≠ computed \(40\.61\)",
        ),
        (
            "1Q08.csv",
            'accumulated_deficit,"19,593"',
            'accumulated_deficit,"19,693"',
            r"accumulated deficit movement fails for 1Q08",
        ),
    ],
    ids=["segments", "operating-income", "net-income", "period-sum", "published-sign", "deficit"],
)
def test_tie_out_failures(data_copy: Path, name: str, old: str, new: str, message: str) -> None:
    _replace(data_copy, name, old, new)
    with pytest.raises(TieOutError, match=message):
        validate(load_dataset(data_copy))
