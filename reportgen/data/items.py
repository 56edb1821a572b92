"""The catalogue of line items a company's data may hold, and the identities between them.

An item's ``kind`` says how it behaves over time: a ``flow`` (revenue, cash
flows) adds up over quarters, so a missing quarter can be derived from a
half-year or full-year total; a ``stock`` (balance sheet, headcount) is a value
at the period end and never adds up.

``IDENTITIES`` are the sums the statements obey. They serve twice: as tie-outs
when every term is known, and to derive the one missing term when all the
others are known (a residual, a gross margin).
"""

from __future__ import annotations

from dataclasses import dataclass

JPY_M = "JPY million"


@dataclass(frozen=True, slots=True)
class Item:
    """One line item: its key in data files, English label, unit and behaviour."""

    key: str
    label: str
    unit: str = JPY_M
    kind: str = "flow"
    # The item a ratio is taken of: revenue for P&L lines, the segment's revenue
    # for a segment's gross margin. None where a ratio means nothing.
    ratio_base: str | None = None
    # Derived-only items (gross margin, residuals) may never be typed into data.
    storable: bool = True


def _items(*items: Item) -> dict[str, Item]:
    return {item.key: item for item in items}


REV = "revenue"

ITEMS: dict[str, Item] = _items(
    # Revenues
    Item("revenue", "Total Revenues", ratio_base=REV),
    Item(
        "revenue_connectivity_outsourcing", "Connectivity and Outsourcing Services", ratio_base=REV
    ),
    Item("revenue_connectivity", "Internet Connectivity Services", ratio_base=REV, storable=False),
    Item("revenue_corporate", "Connectivity Services for Corporate Users", ratio_base=REV),
    Item("revenue_ip_service", "IP Service", ratio_base=REV),
    Item("revenue_broadband", "Broadband Services", ratio_base=REV),
    Item("revenue_corporate_other", "Others (corporate connectivity)", ratio_base=REV),
    Item("revenue_home", "Connectivity Services for Home Users", ratio_base=REV),
    Item("revenue_hiho", "hi-ho", ratio_base=REV),
    Item("revenue_outsourcing", "Outsourcing Services", ratio_base=REV),
    Item("revenue_vas_former", "Value-added Services (former classification)", ratio_base=REV),
    Item("revenue_si", "Systems Integration", ratio_base=REV),
    Item("revenue_systems_construction", "Systems Construction", ratio_base=REV),
    Item("revenue_systems_operation", "Systems Operation and Maintenance", ratio_base=REV),
    Item("revenue_equipment", "Equipment Sales and Other", ratio_base=REV, storable=False),
    Item("revenue_recurring", "Recurring Revenues", ratio_base=REV),
    # One-time items the deck names as factors of a change between quarters.
    Item("revenue_voip_support_onetime", "One-time Revenue from VoIP System Support"),
    Item("revenue_ntt_commission_onetime", "One-time Commission Payment from NTT"),
    # Costs and gross margin
    Item("cost", "Total Costs", ratio_base=REV),
    Item(
        "cost_connectivity_outsourcing",
        "Cost of Connectivity and Outsourcing Services",
        ratio_base="revenue_connectivity_outsourcing",
    ),
    Item("cost_co_circuit", "Circuit and Facility Costs"),
    Item("cost_co_network_operation", "Network Operation Costs"),
    Item("cost_co_personnel", "Personnel Related Costs (connectivity and outsourcing)"),
    Item("cost_co_outsourcing", "Outsourcing Costs (connectivity and outsourcing)"),
    Item("cost_co_other", "Other Costs (connectivity and outsourcing)"),
    Item("cost_si", "Cost of SI Revenues", ratio_base="revenue_si"),
    Item("cost_si_purchasing", "Purchasing Costs"),
    Item("cost_si_personnel", "Personnel Related Costs (SI)"),
    Item("cost_si_outsourcing", "Outsourcing Costs (SI)"),
    Item("cost_si_other", "Other Costs (SI)"),
    Item("cost_equipment", "Cost of Equipment Sales and Other", storable=False),
    Item("gross_margin", "Gross Margin", ratio_base=REV, storable=False),
    # A segment's gross margin is published in some releases, so it may be stored.
    Item(
        "gross_margin_co",
        "Gross Margin, Connectivity and Outsourcing",
        ratio_base="revenue_connectivity_outsourcing",
    ),
    Item("gross_margin_si", "Gross Margin, SI", ratio_base="revenue_si"),
    # Expenses and income
    Item("sga", "SG&A/R&D", ratio_base=REV),
    Item("sga_sales_marketing", "Sales and Marketing", ratio_base=REV),
    Item("sga_general_admin", "General and Administrative", ratio_base=REV),
    Item("sga_rnd", "Research and Development", ratio_base=REV),
    Item("operating_income", "Operating Income", ratio_base=REV),
    Item("other_income", "Other Income (Expense), net", ratio_base=REV, storable=False),
    Item("income_before_tax", "Income before Income Tax Expense", ratio_base=REV),
    Item("income_tax", "Income Tax Expense (Benefit)"),
    Item("deferred_tax", "Deferred Tax Expense (Benefit)"),
    Item("minority_interests", "Minority Interests in Losses of Subsidiaries"),
    Item("equity_method_income", "Equity in Net Income (Loss) of Equity Method Investees"),
    Item("net_income", "Net Income", ratio_base=REV),
    Item("securities_gain", "Net Gain (Loss) on Equity Securities"),
    Item("new_subsidiaries_operating_loss", "Operating Loss of New Subsidiaries"),
    Item("new_subsidiaries_sga", "SG&A Expenses of New Subsidiaries"),
    Item("new_subsidiaries_cost", "Cost of Revenues of New Subsidiaries"),
    Item("si_wip_unrealized_revenue", "Unrealized Revenue from SI Work in Process"),
    Item("si_wip_unrealized_income", "Unrealized Income from SI Work in Process"),
    Item("lease_accounting_cost", "Temporary Cost from Lease Accounting Change"),
    # Balance sheet, at the period end
    Item("cash", "Cash", kind="stock"),
    Item("accounts_receivable", "Accounts Receivable", kind="stock"),
    Item("inventories", "Inventories", kind="stock"),
    Item("prepaid_expenses", "Prepaid Expenses", kind="stock"),
    Item("afs_securities", "Available-for-sale Securities", kind="stock"),
    Item("property_equipment", "Property and Equipment", kind="stock"),
    Item("goodwill_intangibles", "Goodwill and Other Intangible Assets", kind="stock"),
    Item("other_assets", "Other Assets", kind="stock"),
    Item("total_assets", "Total Assets", kind="stock"),
    Item("short_term_borrowings", "Borrowings (Short-term)", kind="stock"),
    Item("accumulated_deficit", "Accumulated Deficit", kind="stock"),
    Item("aoci", "Accumulated Other Comprehensive Income", kind="stock"),
    Item("total_equity", "Total Shareholders' Equity", kind="stock"),
    # Cash flows
    Item("cf_operating", "Net Cash Provided by (Used in) Operating Activities"),
    Item("cf_investing", "Net Cash Provided by (Used in) Investing Activities"),
    Item("cf_financing", "Net Cash Provided by (Used in) Financing Activities"),
    Item("cf_receivables_decrease", "Decrease in Accounts Receivable"),
    Item("cf_prepaid_increase", "Increase in Prepaid Expenses"),
    Item("cf_payables_decrease", "Decrease in Accounts Payable"),
    Item("cf_income_taxes_paid", "Income Taxes Paid"),
    Item("cf_capex_paid", "Purchase of Property and Equipment"),
    Item("cf_short_term_repayment", "Repayment of Short-term Borrowings"),
    Item("cf_capital_lease_payments", "Principal Payments under Capital Leases"),
    Item("cf_dividends_paid", "Dividends Paid"),
    # Other financial data
    Item("capex", "CAPEX"),
    Item("adjusted_ebitda", "Adjusted EBITDA"),
    Item("depreciation", "Depreciation and Amortization"),
    # Per share, in yen
    Item("eps", "Net Income per Share", unit="JPY"),
    Item("dps", "Cash Dividend per Share", unit="JPY"),
    # Operating data, at the period end
    Item("employees", "Consolidated Number of Employees", unit="employees", kind="stock"),
    Item("bandwidth_gbps", "Total Contracted Bandwidth", unit="Gbps", kind="stock"),
    Item("contracts_ip_service", "IP Service Contracts", unit="contracts", kind="stock"),
    Item("contracts_over_1g", "Contracts over 1 Gbps", unit="contracts", kind="stock"),
    Item("contracts_broadband", "Broadband Service Contracts", unit="contracts", kind="stock"),
    Item("contracts_corporate", "Corporate Connectivity Contracts", unit="contracts", kind="stock"),
    Item("contracts_home", "Home-use Connectivity Contracts", unit="contracts", kind="stock"),
    Item("subscribers_hiho", "hi-ho Subscribers", unit="subscribers", kind="stock"),
)

# Measures a source may publish for an item, stored as ``item:measure``.
MEASURES: dict[str, str] = {
    "yoy": "change from the same quarter a year earlier, %",
    "qoq": "change from the previous quarter, %",
    "ratio": "share of the item's ratio base (revenue or segment revenue), %",
    "ratio_yoy_pt": "change of the ratio from a year earlier, points",
    "ratio_qoq_pt": "change of the ratio from the previous quarter, points",
    "yoy_change": "change from a year earlier, in the item's unit",
    "qoq_change": "change from the previous quarter, in the item's unit",
}


# Measures that are percentages: changes in %, shares of a base, actual / target.
_PERCENT_MEASURES = frozenset({"yoy", "qoq", "ratio", "achievement"})


def unit_of(key: str) -> str:
    """The unit of an item or a measure: ``JPY million``, ``%`` (yoy, ratio), ``pt``."""
    item, _, measure = key.partition(":")
    if measure.endswith("_pt"):
        return "pt"
    if measure in _PERCENT_MEASURES:
        return "%"
    # A change, a difference or a step of the item itself is in the item's unit.
    return ITEMS[item].unit


@dataclass(frozen=True, slots=True)
class Identity:
    """``total == sum(sign * term)``: a tie-out, and a way to derive one missing term."""

    name: str
    total: str
    terms: tuple[tuple[int, str], ...]
    tolerance: float = 1.0

    @property
    def items(self) -> tuple[str, ...]:
        """Every item in the identity, the total first."""
        return (self.total, *(term for _, term in self.terms))

    @property
    def equation(self) -> str:
        """``gross_margin = sga + operating_income``: what the tie-out compares."""
        text = ""
        for i, (sign, term) in enumerate(self.terms):
            op = ("" if sign > 0 else "−") if i == 0 else (" + " if sign > 0 else " − ")
            text += f"{op}{term}"
        return f"{self.total} = {text}"


def _sum(name: str, total: str, *terms: str, tolerance: float = 1.0) -> Identity:
    return Identity(name, total, tuple((1, t) for t in terms), tolerance)


# Order matters where a term can be derived two ways: the first identity wins.
# Operation and maintenance revenue comes from recurring revenue, as the deck
# defines recurring revenue as connectivity, outsourcing and O&M.
IDENTITIES: tuple[Identity, ...] = (
    _sum(
        "revenue by business",
        "revenue",
        "revenue_connectivity_outsourcing",
        "revenue_si",
        "revenue_equipment",
    ),
    _sum(
        "connectivity and outsourcing revenue by line",
        "revenue_connectivity_outsourcing",
        "revenue_corporate",
        "revenue_home",
        "revenue_outsourcing",
    ),
    _sum("connectivity revenue", "revenue_connectivity", "revenue_corporate", "revenue_home"),
    _sum(
        "corporate connectivity revenue by service",
        "revenue_corporate",
        "revenue_ip_service",
        "revenue_broadband",
        "revenue_corporate_other",
    ),
    _sum(
        "recurring revenue",
        "revenue_recurring",
        "revenue_connectivity_outsourcing",
        "revenue_systems_operation",
    ),
    _sum("SI revenue", "revenue_si", "revenue_systems_construction", "revenue_systems_operation"),
    _sum("gross margin", "revenue", "cost", "gross_margin"),
    _sum("cost by business", "cost", "cost_connectivity_outsourcing", "cost_si", "cost_equipment"),
    _sum(
        "connectivity and outsourcing gross margin",
        "revenue_connectivity_outsourcing",
        "cost_connectivity_outsourcing",
        "gross_margin_co",
    ),
    _sum("SI gross margin", "revenue_si", "cost_si", "gross_margin_si"),
    _sum(
        "connectivity and outsourcing cost by type",
        "cost_connectivity_outsourcing",
        "cost_co_circuit",
        "cost_co_network_operation",
        "cost_co_personnel",
        "cost_co_outsourcing",
        "cost_co_other",
    ),
    _sum(
        "SI cost by type",
        "cost_si",
        "cost_si_purchasing",
        "cost_si_personnel",
        "cost_si_outsourcing",
        "cost_si_other",
    ),
    _sum("SG&A by type", "sga", "sga_sales_marketing", "sga_general_admin", "sga_rnd"),
    _sum("operating income", "gross_margin", "sga", "operating_income"),
    _sum("income before tax", "income_before_tax", "operating_income", "other_income"),
    Identity(
        "net income",
        "net_income",
        (
            (1, "income_before_tax"),
            (-1, "income_tax"),
            (1, "minority_interests"),
            (1, "equity_method_income"),
        ),
    ),
)
