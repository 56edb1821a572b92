"""Period arithmetic, tie-outs and published measures."""

import io
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.data.load import Dataset, load_dataset
from reportgen.data.validate import run_checks, validate
from reportgen.errors import TieOutError
from tests.conftest import IIJ


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


HEADER = "item,value,source,status,note\n"


def tiny(root: Path, figures: dict[str, str]) -> Dataset:
    """A data folder with IIJ's company, sources and items and only the figure rows given."""
    root.mkdir()
    for name in ("company.yaml", "sources.yaml", "items.yaml"):
        (root / name).write_text((IIJ / name).read_text(encoding="utf-8"), encoding="utf-8")
    (root / "figures").mkdir()
    for period, rows in figures.items():
        (root / "figures" / f"{period}.csv").write_text(HEADER + rows, encoding="utf-8")
    return load_dataset(root)


def _rows(**values: str) -> str:
    return "".join(f'{key.replace("__", ":")},"{v}",S1,published,\n' for key, v in values.items())


# The tie-out tolerance is the rounding of the figures: published whole millions are
# each ±0.5, so a tie-out may be off by 1 and no more; a difference of 2 is an error.
@pytest.mark.parametrize(
    ("figures", "ok"),
    [
        (
            {
                "1Q08": _rows(
                    revenue_corporate="3,001",
                    revenue_ip_service="2,000",
                    revenue_broadband="700",
                    revenue_corporate_other="300",
                )
            },
            True,
        ),
        (
            {
                "1Q08": _rows(
                    revenue_corporate="3,002",
                    revenue_ip_service="2,000",
                    revenue_broadband="700",
                    revenue_corporate_other="300",
                )
            },
            False,
        ),
        (
            {
                "1Q08": _rows(revenue="100"),
                "2Q08": _rows(revenue="200"),
                "1H08": _rows(revenue="301"),
            },
            True,
        ),
        (
            {
                "1Q08": _rows(revenue="100"),
                "2Q08": _rows(revenue="200"),
                "1H08": _rows(revenue="302"),
            },
            False,
        ),
        (
            {
                "4Q07": _rows(accumulated_deficit="1,000"),
                "1Q08": _rows(accumulated_deficit="901", cf_dividends_paid="0", net_income="100"),
            },
            True,
        ),
        (
            {
                "4Q07": _rows(accumulated_deficit="1,000"),
                "1Q08": _rows(accumulated_deficit="902", cf_dividends_paid="0", net_income="100"),
            },
            False,
        ),
        # revenue 100,000 → 110,000 is +10.0% within ±0.0011; typed with one decimal the
        # published change is good to ±0.05, with two to ±0.005.
        (
            {
                "1Q07": _rows(revenue="100,000"),
                "1Q08": _rows(revenue="110,000", revenue__yoy="10.0"),
            },
            True,
        ),
        (
            {
                "1Q07": _rows(revenue="100,000"),
                "1Q08": _rows(revenue="110,000", revenue__yoy="10.1"),
            },
            False,
        ),
        (
            {
                "1Q07": _rows(revenue="100,000"),
                "1Q08": _rows(revenue="110,000", revenue__yoy="10.00"),
            },
            True,
        ),
        (
            {
                "1Q07": _rows(revenue="100,000"),
                "1Q08": _rows(revenue="110,000", revenue__yoy="10.01"),
            },
            False,
        ),
    ],
    ids=[
        "identity-off-by-1",
        "identity-off-by-2",
        "period-sum-off-by-1",
        "period-sum-off-by-2",
        "deficit-off-by-1",
        "deficit-off-by-2",
        "yoy-one-decimal",
        "yoy-one-decimal-off-by-0.1",
        "yoy-two-decimals",
        "yoy-two-decimals-off-by-0.01",
    ],
)
def test_tolerance_is_the_rounding_bound_and_no_more(
    tmp_path: Path, figures: dict[str, str], ok: bool
) -> None:
    dataset = tiny(tmp_path / "tiny", figures)
    checks = run_checks(dataset)
    assert checks, "the case must be checked at all"
    assert all(c.severity == "ok" for c in checks) == ok, [c.message for c in checks]
    if not ok:
        with pytest.raises(TieOutError, match=r"fails for [1-4]Q08|fails for 1H08"):
            validate(dataset)


@pytest.mark.parametrize(
    ("base", "measure", "published"),
    [
        ("0", "yoy", "7.5"),
        ("(50)", "yoy", "7.5"),
        ("0", "ratio", "12.0"),
    ],
    ids=["yoy-zero-base", "yoy-negative-base", "ratio-zero-base"],
)
def test_published_change_across_a_zero_or_negative_base_is_an_input_error(
    tmp_path: Path, base: str, measure: str, published: str
) -> None:
    if measure == "yoy":
        figures = {
            "1Q07": _rows(operating_income=base),
            "1Q08": _rows(operating_income="17", operating_income__yoy=published),
        }
    else:
        figures = {
            "1Q08": _rows(revenue=base, operating_income="17", operating_income__ratio=published)
        }
    dataset = tiny(tmp_path / "tiny", figures)
    with pytest.raises(
        TieOutError,
        match=rf"figures/1Q08\.csv: published operating_income:{measure} fails for 1Q08: "
        rf"published {published}0?, but its base \(.*\) is zero or negative; expected no such "
        r"row: a percentage change or ratio across a zero or negative base is not meaningful$",
    ):
        validate(dataset)


def test_zero_base_error_is_exit_2_naming_the_file(tmp_path: Path) -> None:
    tiny(
        tmp_path / "tiny",
        {"1Q07": _rows(revenue="0"), "1Q08": _rows(revenue="17", revenue__yoy="7.5")},
    )
    out, err = io.StringIO(), io.StringIO()
    code = main(
        ["check", "--quarter", "1Q08", "--data", str(tmp_path / "tiny")], stdout=out, stderr=err
    )
    assert code == 2, err.getvalue()
    (line,) = [line for line in out.getvalue().splitlines() if line.startswith("error:")]
    assert "figures/1Q08.csv: published revenue:yoy fails for 1Q08: published 7.50" in line
