"""items.yaml: the company's chart of accounts as data, and its errors (exit 2, one line)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from reportgen.data.catalogue import load_catalogue
from reportgen.data.load import load_dataset
from reportgen.errors import DataError
from tests.conftest import EXAMPLE, IIJ, catalogue_of, edit
from tests.test_cli import run

# Today's identities, in the order derivation tries them (moved from items.py as they were).
IDENTITY_ORDER = [
    "revenue by business",
    "connectivity and outsourcing revenue by line",
    "connectivity revenue",
    "corporate connectivity revenue by service",
    "recurring revenue",
    "SI revenue",
    "gross margin",
    "cost by business",
    "connectivity and outsourcing gross margin",
    "SI gross margin",
    "connectivity and outsourcing cost by type",
    "SI cost by type",
    "SG&A by type",
    "operating income",
    "income before tax",
    "net income",
]


@pytest.mark.parametrize("data", [IIJ, EXAMPLE], ids=["iij", "example"])
def test_catalogue_keeps_todays_identities_and_tree(data: Path) -> None:
    catalogue = load_dataset(data).catalogue
    # Every tree sum is written as an identity, so none is implied after the written ones.
    assert [i.name for i in catalogue.identities] == IDENTITY_ORDER
    net = next(i for i in catalogue.identities if i.name == "net income")
    assert net.equation == (
        "net_income = income_before_tax − income_tax + minority_interests + equity_method_income"
    )
    assert catalogue.children("revenue") == (
        "revenue_connectivity_outsourcing",
        "revenue_si",
        "revenue_equipment",
    )
    assert catalogue.children("revenue_corporate") == (
        "revenue_ip_service",
        "revenue_broadband",
        "revenue_corporate_other",
    )
    assert catalogue.children("sga") == ("sga_sales_marketing", "sga_general_admin", "sga_rnd")
    assert len(catalogue.children("cost_connectivity_outsourcing")) == 5
    assert catalogue.children("revenue_ip_service") == ()
    assert [m.name for m in catalogue.movements] == [
        "accumulated deficit movement",
        "cash movement vs cash flows",
    ]
    assert catalogue.unit_of("revenue") == "JPY million"
    assert catalogue.unit_of("eps") == "JPY"
    assert catalogue.unit_of("employees") == "employees"
    assert catalogue.unit_of("revenue:yoy") == "%"
    assert catalogue.unit_of("revenue:ratio_yoy_pt") == "pt"
    assert catalogue.label("gross_margin", "ja") == "売上総利益"
    assert catalogue.sign("minority_interests", "ja") == "reversed"
    assert catalogue.sign("minority_interests", "en") == "as stored"
    assert not catalogue["gross_margin"].storable


def test_a_tree_without_a_written_sum_implies_one() -> None:
    from reportgen.model.catalogue import Catalogue, Item

    catalogue = Catalogue(
        [
            Item("total", {"en": "T"}),
            Item("a", {"en": "A"}, parent="total"),
            Item("b", {"en": "B"}, parent="total"),
        ]
    )
    (implied,) = catalogue.identities
    assert implied.equation == "total = a + b"


BAD = {
    "identity naming an unknown item": (
        "terms: [cost, gross_margin]",
        "terms: [cost, gross_margn]",
        r"identity 'gross margin': unknown item 'gross_margn' \(did you mean 'gross_margin'\?\)",
    ),
    "unknown parent": (
        "    parent: revenue_corporate\n",
        "    parent: revenue_corprate\n",
        r"item 'revenue_ip_service': parent: unknown item 'revenue_corprate' "
        r"\(did you mean 'revenue_corporate'\?\)",
    ),
    "parent cycle": (
        "  - key: revenue\n    label: {en: Total Revenues, ja: 売上高}\n",
        "  - key: revenue\n    label: {en: Total Revenues, ja: 売上高}\n    parent: revenue_si\n",
        r"item 'revenue': parent cycle revenue → revenue_si → revenue",
    ),
    "identity total among its terms": (
        "terms: [cost, gross_margin]",
        "terms: [cost, revenue]",
        r"identity 'gross margin': its total 'revenue' is also one of its terms",
    ),
    "missing ja label": (
        "label: {en: Gross Margin, ja: 売上総利益}",
        "label: {en: Gross Margin}",
        r"item 'gross_margin': no 'ja' label; the company builds the 'ja' edition",
    ),
    "duplicate key": (
        "  - key: revenue_si\n",
        "  - key: revenue_home\n",
        r"item 'revenue_home' is written twice \(first at line \d+\)",
    ),
    "bad unit": (
        "    unit: per_share\n",
        "    unit: 3 yen\n",
        r"item 'eps': unit '3 yen': expected money, per_share, percent or a word for a count",
    ),
    "bad kind": (
        "    kind: stock\n",
        "    kind: stok\n",
        r"item 'cash': kind 'stok' \(did you mean 'stock'\?\): expected one of flow, stock, ratio",
    ),
    "bad severity": (
        "    severity: warning\n",
        "    severity: warn\n",
        r"movement 'cash movement vs cash flows': severity: expected error or warning, "
        r"not 'warn'",
    ),
    "misspelt movement key": (
        "    severity: warning\n",
        "    sevrity: warning\n",
        r"movement 'cash movement vs cash flows': unknown key 'sevrity' "
        r"\(did you mean 'severity'\?\)",
    ),
    "negative tolerance": (
        "terms: [cost, gross_margin]\n",
        "terms: [cost, gross_margin]\n    tolerance: -1\n",
        r"identity 'gross margin': tolerance: expected a number >= 0, not -1",
    ),
}


@pytest.mark.parametrize("case", list(BAD))
def test_catalogue_error_exits_2_with_one_line_naming_file_and_line(
    data_copy: Path, case: str
) -> None:
    old, new, message = BAD[case]
    items = data_copy / "items.yaml"
    edit(items, old, new)
    code, out, err = run("-q", "check", "--quarter", "1Q08", "--data", str(data_copy))
    assert code == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert "Traceback" not in err
    found = re.fullmatch(rf"error: .*items\.yaml:(\d+): {message}", lines[0])
    assert found, lines[0]
    # The line named is the line of the edit (or, for a duplicate, the second key).
    text = items.read_text(encoding="utf-8").splitlines()
    assert new.strip().splitlines()[-1].strip() in text[int(found.group(1)) - 1] or case in (
        "missing ja label",
    )


def test_figures_name_items_of_the_companys_catalogue(data_copy: Path) -> None:
    # An item another company may have, but this one's items.yaml does not.
    edit(data_copy / "items.yaml", "  - key: sga_rnd\n", "  - key: sga_research\n")
    edit(
        data_copy / "items.yaml", "sga_general_admin, sga_rnd]", "sga_general_admin, sga_research]"
    )
    code, _, err = run("-q", "check", "--quarter", "1Q08", "--data", str(data_copy))
    assert code == 2
    assert re.search(r"figures/\w+\.csv, line \d+ \(\w+\): item: unknown item 'sga_rnd'", err)
    assert len(err.strip().splitlines()) == 1


def test_catalogue_is_the_one_the_dataset_loads() -> None:
    assert list(catalogue_of(IIJ)) == list(load_dataset(IIJ).catalogue)


@pytest.mark.parametrize(
    ("written", "message"),
    [
        ("identities: 5\n", r"items\.yaml:4: identities: expected a list of identities, not 5"),
        ("movements: [one]\n", r"items\.yaml:4: expected a movement with 'name:', 'stock:'"),
        ("  - kee: b\n", r"items\.yaml:4: expected an item with a 'key:'$"),
    ],
    ids=["list as a number", "movement as a word", "item without a key"],
)
def test_a_misshapen_list_is_one_error_line_not_a_crash(
    tmp_path: Path, written: str, message: str
) -> None:
    (tmp_path / "items.yaml").write_text(
        "items:\n  - key: a\n    label: {en: A}\n" + written, encoding="utf-8"
    )
    with pytest.raises(DataError) as raised:
        load_catalogue(tmp_path)
    assert re.search(message, str(raised.value)), str(raised.value)
