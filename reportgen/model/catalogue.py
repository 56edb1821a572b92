"""A company's chart of accounts: its line items, the tree they form, the sums they obey.

The catalogue is data (``data/<company>/items.yaml``, read by ``reportgen.data.catalogue``);
this module holds only the machinery, so the model, the slides and the checks work for
any company's items.

An item's ``kind`` says how it behaves over time: a ``flow`` (revenue, cash flows) adds
up over quarters, so a missing quarter can be derived from a half-year or full-year
total; a ``stock`` (balance sheet, headcount) is a value at the period end and never
adds up; a ``ratio`` is a rate for the period and is never summed either.

Identities are the sums the statements obey. They serve twice: as tie-outs when every
term is known, and to derive the one missing term when all the others are known (a
residual, a gross margin). Order matters where a term can be derived two ways: the
first identity wins.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass, field

UNITS = ("money", "per_share", "percent")  # any other word is a count
KINDS = ("flow", "stock", "ratio")

# The unit texts of today's companies (JPY, million); the company's reporting currency and
# scale replace them here and nowhere else.
MONEY_UNIT = "JPY million"
PER_SHARE_UNIT = "JPY"

# Measures a source may publish for an item, stored as ``item:measure``.
MEASURES: Mapping[str, str] = {
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


@dataclass(frozen=True, slots=True)
class Item:
    """One line item: its key in data files, labels per edition, unit and behaviour."""

    key: str
    labels: Mapping[str, str] = field(default_factory=dict, hash=False)
    unit: str = "money"
    kind: str = "flow"
    # The item this one is a part of in the segment tree (revenue by business).
    parent: str | None = None
    # The brand palette index of the item's series; None: its place among its siblings.
    color: int | None = None
    # The item a ratio is taken of: revenue for P&L lines, the segment's revenue for a
    # segment's gross margin. None where a ratio means nothing.
    ratio_base: str | None = None
    # Derived-only items (gross margin, residuals) may never be typed into data.
    derived: bool = False
    # Per edition, how the item's sign is shown: "reversed" where that edition's label
    # reads the other way (Japanese 少数株主損益 against "minority interests in losses").
    sign: Mapping[str, str] = field(default_factory=dict, hash=False)

    @property
    def label(self) -> str:
        """The English label (every catalogue has one)."""
        return self.labels["en"]

    @property
    def storable(self) -> bool:
        return not self.derived


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


@dataclass(frozen=True, slots=True)
class Movement:
    """A stock's change over a quarter against the flows that explain it.

    ``stock(q) - stock(q-1) == sum(sign * flow(q))``; a gap is an ``error``, or a
    ``warning`` where the flows are known not to explain everything (exchange rates).
    """

    name: str
    stock: str
    flows: tuple[tuple[int, str], ...]
    severity: str = "error"
    tolerance: float = 1.0


class Catalogue:
    """A company's items (in file order) and identities, explicit then tree-implied.

    ``money_unit`` and ``per_share_unit`` are the one place the unit text of money comes
    from (``JPY million`` today); the company's reporting currency plugs in here.
    """

    def __init__(
        self,
        items: Iterable[Item],
        identities: Iterable[Identity] = (),
        *,
        movements: Iterable[Movement] = (),
        money_unit: str = MONEY_UNIT,
        per_share_unit: str = PER_SHARE_UNIT,
    ) -> None:
        # Plain dicts, not read-only views: a catalogue travels with figures to worker processes.
        self.items: dict[str, Item] = {item.key: item for item in items}
        self.money_unit = money_unit
        self.per_share_unit = per_share_unit
        self.movements: tuple[Movement, ...] = tuple(movements)
        self._children: dict[str, tuple[str, ...]] = {}
        for item in self.items.values():
            if item.parent is not None:
                self._children[item.parent] = (*self._children.get(item.parent, ()), item.key)
        explicit = tuple(identities)
        written = {(i.total, frozenset(i.terms)) for i in explicit}
        implied = tuple(
            Identity(f"{total} by parts", total, tuple((1, c) for c in children))
            for total, children in self._children.items()
            if (total, frozenset((1, c) for c in children)) not in written
        )
        self.identities: tuple[Identity, ...] = explicit + implied

    # A catalogue never changes once loaded, and each figure refers to it: copies of a
    # figure (``dataclasses.asdict``, ``deepcopy``) share it rather than copy every item.
    def __copy__(self) -> Catalogue:
        return self

    def __deepcopy__(self, memo: dict[int, object]) -> Catalogue:
        return self

    def __repr__(self) -> str:
        return f"Catalogue({len(self.items)} items, {len(self.identities)} identities)"

    @property
    def measures(self) -> Mapping[str, str]:
        """Measures a source may publish for any item, stored as ``item:measure``."""
        return MEASURES

    def __contains__(self, key: object) -> bool:
        return key in self.items

    def __iter__(self) -> Iterator[str]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, key: str) -> Item:
        return self.items[key]

    def get(self, key: str) -> Item | None:
        return self.items.get(key)

    def children(self, key: str) -> tuple[str, ...]:
        """The item's parts in the segment tree, in file order (none for a leaf)."""
        return self._children.get(key, ())

    def label(self, key: str, language: str = "en") -> str:
        """The item's label in an edition."""
        return self.items[key].labels[language]

    def sign(self, key: str, language: str) -> str:
        """How an edition shows the item's sign: ``reversed``, or ``as stored``."""
        item = self.items.get(key)
        return item.sign.get(language, "as stored") if item is not None else "as stored"

    def unit_text(self, unit: str) -> str:
        """The printed unit of an item unit word (``money``: ``JPY million``)."""
        if unit == "money":
            return self.money_unit
        if unit == "per_share":
            return self.per_share_unit
        if unit == "percent":
            return "%"
        return unit

    def unit_of(self, key: str) -> str:
        """The unit of an item or a measure: ``JPY million``, ``%`` (yoy, ratio), ``pt``."""
        item, _, measure = key.partition(":")
        if measure.endswith("_pt"):
            return "pt"
        if measure in _PERCENT_MEASURES:
            return "%"
        # A change, a difference or a step of the item itself is in the item's unit.
        return self.unit_text(self.items[item].unit)
