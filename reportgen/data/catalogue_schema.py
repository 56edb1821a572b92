"""The shape of ``items.yaml``: one pydantic model per kind of entry (item, identity, movement).

Each field's ``description`` completes "expected ..." in the error of a wrong type or
value (``color: expected a palette index, not 'red'``); a field checked by a function
of its own words its error in full (``unit '3 yen': expected ...``). What an entry
says of the others (an unknown item, a cycle) is ``catalogue``'s to check.
"""

from __future__ import annotations

import re
from typing import Annotated, Any, ClassVar, Literal

from pydantic import BeforeValidator, Field, ValidationInfo, field_validator

from reportgen.data.schema import QUOTE_LIMIT, Strict
from reportgen.model.catalogue import KINDS, UNITS
from reportgen.suggest import did_you_mean

_KEY = r"^[a-z][a-z0-9_]*$"
# A unit word other than money/per_share/percent is a count (employees, Gbps).
_COUNT = re.compile(r"^[A-Za-z][A-Za-z0-9_ ]*$")


def shown_input(error: Any) -> str:
    """The value a pydantic error is about, as its message quotes it: repr, cut short."""
    text = repr(error["input"])
    return text if len(text) <= QUOTE_LIMIT else text[: QUOTE_LIMIT - 3] + "..."


def _unit(raw: object) -> object:
    if isinstance(raw, str) and (raw in UNITS or _COUNT.match(raw)):
        return raw
    raise ValueError(f"unit {raw!r}: expected money, per_share, percent or a word for a count")


def _kind(raw: object) -> object:
    if isinstance(raw, str) and raw in KINDS:
        return raw
    raise ValueError(
        f"kind {raw!r}{did_you_mean(str(raw), KINDS)}: expected one of {', '.join(KINDS)}"
    )


def _english(raw: object) -> object:
    # ``label: Revenue`` is the English label alone.
    return {"en": raw} if isinstance(raw, str) else raw


def _none_is_empty(raw: object) -> object:
    # ``identities:`` written with nothing after it: none.
    return () if raw is None else raw


ItemKey = Annotated[str | None, Field(pattern=_KEY, strict=True, description="an item key")]
# ``[revenue, -cost]``: items added, and subtracted where written with a minus.
SignedKeys = Annotated[
    tuple[str, ...], Field(min_length=1, description="a list of item keys ('-key' subtracts)")
]
# The item an identity's terms or a movement's flows add up to; an unknown one is
# ``catalogue``'s error, with its "did you mean".
SumKey = Annotated[str, Field(strict=True, description="an item key")]
Tolerance = Annotated[float, Field(ge=0, strict=True, description="a number >= 0")]


class Entry(Strict):
    """An entry of a list of ``items.yaml``: what errors call it, and by which key."""

    WHAT: ClassVar[str]
    NAME: ClassVar[str]
    # The whole entry, in "expected ...", where it is not a mapping or has no name.
    EXPECTED: ClassVar[str]


class ItemEntry(Entry):
    """``items:``: one line item (``reportgen.model.catalogue.Item``)."""

    WHAT = "item"
    NAME = "key"
    EXPECTED = "an item with a 'key:'"

    key: str = Field(pattern=_KEY, description="[a-z][a-z0-9_]*")
    label: Annotated[dict[str, str], BeforeValidator(_english)] = Field(
        description="{en: ..., ja: ...}"
    )
    unit: Annotated[str, BeforeValidator(_unit)] = "money"
    kind: Annotated[str, BeforeValidator(_kind)] = "flow"
    parent: ItemKey = None
    color: int | None = Field(None, ge=0, strict=True, description="a palette index")
    ratio_base: ItemKey = None
    derived: bool = Field(False, strict=True, description="true or false")
    sign: dict[str, Literal["reversed", "as stored"]] = Field(
        default_factory=dict, description="{<edition>: reversed}"
    )

    @field_validator("sign", mode="before")
    @classmethod
    def _no_sign(cls, raw: object) -> object:
        # ``sign:`` written with nothing after it: no edition reverses the item.
        return {} if raw is None else raw

    @field_validator("label")
    @classmethod
    def _every_edition(cls, labels: dict[str, str], info: ValidationInfo) -> dict[str, str]:
        # The languages the company builds editions in (``context={"languages": ...}``).
        for language in (info.context or {}).get("languages", ("en",)):
            if not labels.get(language):
                raise ValueError(
                    f"no {language!r} label; the company builds the {language!r} edition"
                )
        return labels


class SumEntry(Entry):
    """An identity or a movement: a sum of items (its parts) against one item."""

    NAME = "name"
    # The field of the item summed against, and of the parts.
    SUM: ClassVar[str]
    PARTS: ClassVar[str]

    name: str
    tolerance: Tolerance = 1.0

    @property
    def sum(self) -> str:
        return str(getattr(self, self.SUM))

    @property
    def parts(self) -> tuple[tuple[int, str], ...]:
        """The parts as (sign, item): ``-cost`` is (-1, "cost")."""
        keys: tuple[str, ...] = getattr(self, self.PARTS)
        return tuple((-1, key[1:]) if key.startswith("-") else (1, key) for key in keys)


class IdentityEntry(SumEntry):
    """``identities:``: ``total == sum(terms)`` (``reportgen.model.catalogue.Identity``)."""

    WHAT = "identity"
    EXPECTED = "an identity with 'name:', 'total:' and 'terms:'"
    SUM = "total"
    PARTS = "terms"

    total: SumKey
    terms: SignedKeys


class MovementEntry(SumEntry):
    """``movements:``: a stock's change against flows (``...catalogue.Movement``)."""

    WHAT = "movement"
    EXPECTED = "a movement with 'name:', 'stock:' and 'flows:'"
    SUM = "stock"
    PARTS = "flows"

    stock: SumKey
    flows: SignedKeys
    severity: Literal["error", "warning"] = Field("error", description="error or warning")


class ItemsFile(Strict):
    """``items.yaml``: the items, then the identities and movements they obey."""

    items: tuple[ItemEntry, ...] = Field(description="a list of items")
    identities: Annotated[tuple[IdentityEntry, ...], BeforeValidator(_none_is_empty)] = Field(
        (), description="a list of identities"
    )
    movements: Annotated[tuple[MovementEntry, ...], BeforeValidator(_none_is_empty)] = Field(
        (), description="a list of movements"
    )


# The lists of ``items.yaml`` and the model of their entries.
ENTRIES: dict[str, type[Entry]] = {
    "items": ItemEntry,
    "identities": IdentityEntry,
    "movements": MovementEntry,
}
