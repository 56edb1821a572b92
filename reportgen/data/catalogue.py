"""Load and check ``data/<company>/items.yaml``: the company's chart of accounts.

Every error is an input error on one line, ``data/<company>/items.yaml:LINE: ...``,
naming the item or identity and what was expected (with a "did you mean" for an
unknown key). The result is the model's ``Catalogue``; nothing else reads the file.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from reportgen.data.inputs import InputLog
from reportgen.data.load import read_yaml_marked, shown
from reportgen.data.marks import Marks
from reportgen.errors import DataError
from reportgen.model.catalogue import (
    KINDS,
    MONEY_UNIT,
    PER_SHARE_UNIT,
    UNITS,
    Catalogue,
    Identity,
    Item,
    Movement,
)
from reportgen.suggest import did_you_mean

ITEMS_FILE = "items.yaml"
_KEY = re.compile(r"^[a-z][a-z0-9_]*$")
_ITEM_KEYS = frozenset(
    {"key", "label", "unit", "kind", "parent", "color", "ratio_base", "derived", "sign"}
)
_IDENTITY_KEYS = frozenset({"name", "total", "terms", "tolerance"})
_MOVEMENT_KEYS = frozenset({"name", "stock", "flows", "severity", "tolerance"})
_SIGNS = ("reversed", "as stored")
_SEVERITIES = ("error", "warning")
# A unit word other than money/per_share/percent is a count (employees, Gbps).
_COUNT = re.compile(r"^[A-Za-z][A-Za-z0-9_ ]*$")


class _Reader:
    """Errors at the line of the part of the file they are about."""

    def __init__(self, marks: Marks) -> None:
        self.marks = marks

    def fail(self, path: tuple[str | int, ...], message: str, *, key: bool = False) -> DataError:
        mark = self.marks.mark(path, key=key)
        line = f":{mark.line}" if mark else ""
        return DataError(f"{self.marks.file}{line}: {message}")


def load_catalogue(
    root: Path,
    editions: Iterable[str] = (),
    log_to: InputLog | None = None,
    *,
    money_unit: str = MONEY_UNIT,
    per_share_unit: str = PER_SHARE_UNIT,
) -> Catalogue:
    """The catalogue of the company in ``root``; ``editions``: languages besides English.

    ``money_unit`` and ``per_share_unit``: the unit texts of the company's reporting
    currency and scale (``Company.money_unit``), ``JPY million`` and ``JPY`` by default.
    """
    path = root / ITEMS_FILE
    if not path.exists():
        raise DataError(f"{shown(path)}: file not found; expected the company's items")
    data, marks = read_yaml_marked(path, root, log_to)
    return parse_catalogue(data, marks, ("en", *editions), money_unit, per_share_unit)


def parse_catalogue(
    data: Any,
    marks: Marks,
    languages: tuple[str, ...],
    money_unit: str = MONEY_UNIT,
    per_share_unit: str = PER_SHARE_UNIT,
) -> Catalogue:
    at = _Reader(marks)
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise at.fail((), "expected a mapping with an 'items:' list")
    unknown = set(data) - {"items", "identities", "movements"}
    if unknown:
        key = sorted(unknown)[0]
        raise at.fail((key,), f"unknown key {key!r} (expected items, identities, movements)")
    items = _items(at, data["items"], languages)
    known = {item.key: item for item in items}
    _check_tree(at, items, known)
    identities = tuple(
        _identity(at, i, raw, known) for i, raw in enumerate(data.get("identities") or ())
    )
    movements = tuple(
        _movement(at, i, raw, known) for i, raw in enumerate(data.get("movements") or ())
    )
    return Catalogue(
        items,
        identities,
        movements=movements,
        money_unit=money_unit,
        per_share_unit=per_share_unit,
    )


def _items(at: _Reader, raw_items: list[Any], languages: tuple[str, ...]) -> tuple[Item, ...]:
    items: list[Item] = []
    lines: dict[str, int] = {}
    for i, raw in enumerate(raw_items):
        where = ("items", i)
        if not isinstance(raw, dict) or not isinstance(raw.get("key"), str):
            raise at.fail(where, "expected an item with a 'key:'")
        key = raw["key"]
        if not _KEY.match(key):
            raise at.fail((*where, "key"), f"item key {key!r}: expected [a-z][a-z0-9_]*")
        extra = sorted(set(raw) - _ITEM_KEYS)
        if extra:
            raise at.fail(
                (*where, extra[0]),
                f"item {key!r}: unknown key {extra[0]!r}{did_you_mean(extra[0], _ITEM_KEYS)}",
                key=True,
            )
        if key in lines:
            raise at.fail(
                (*where, "key"), f"item {key!r} is written twice (first at line {lines[key]})"
            )
        mark = at.marks.mark((*where, "key"))
        lines[key] = mark.line if mark else 0
        labels = raw.get("label")
        if isinstance(labels, str):
            labels = {"en": labels}
        if not isinstance(labels, dict):
            raise at.fail(where, f"item {key!r}: expected 'label: {{en: ..., ja: ...}}'")
        for language in languages:
            if not isinstance(labels.get(language), str) or not labels[language]:
                raise at.fail(
                    (*where, "label"),
                    f"item {key!r}: no {language!r} label; the company builds the "
                    f"{language!r} edition",
                )
        unit = raw.get("unit", "money")
        if not isinstance(unit, str) or not (unit in UNITS or _COUNT.match(unit)):
            raise at.fail(
                (*where, "unit"),
                f"item {key!r}: unit {unit!r}: expected money, per_share, percent "
                "or a word for a count",
            )
        kind = raw.get("kind", "flow")
        if kind not in KINDS:
            raise at.fail(
                (*where, "kind"),
                f"item {key!r}: kind {kind!r}{did_you_mean(str(kind), KINDS)}: "
                f"expected one of {', '.join(KINDS)}",
            )
        color = raw.get("color")
        if color is not None and (not isinstance(color, int) or color < 0):
            raise at.fail((*where, "color"), f"item {key!r}: color: expected a palette index")
        derived = raw.get("derived", False)
        if not isinstance(derived, bool):
            raise at.fail((*where, "derived"), f"item {key!r}: derived: expected true or false")
        sign = raw.get("sign") or {}
        if not isinstance(sign, dict) or any(v not in _SIGNS for v in sign.values()):
            raise at.fail((*where, "sign"), f"item {key!r}: sign: expected {{<edition>: reversed}}")
        items.append(
            Item(
                key=key,
                labels={str(k): str(v) for k, v in labels.items()},
                unit=unit,
                kind=kind,
                parent=_optional_key(at, (*where, "parent"), raw.get("parent")),
                color=color,
                ratio_base=_optional_key(at, (*where, "ratio_base"), raw.get("ratio_base")),
                derived=derived,
                sign={str(k): str(v) for k, v in sign.items()},
            )
        )
    return tuple(items)


def _optional_key(at: _Reader, where: tuple[str | int, ...], raw: Any) -> str | None:
    if raw is None or (isinstance(raw, str) and _KEY.match(raw)):
        return raw
    raise at.fail(where, f"{where[-1]}: expected an item key, not {raw!r}")


def _unknown(key: str, known: dict[str, Item]) -> str:
    return f"unknown item {key!r}{did_you_mean(key, known)}"


def _check_tree(at: _Reader, items: tuple[Item, ...], known: dict[str, Item]) -> None:
    for i, item in enumerate(items):
        for field_name in ("parent", "ratio_base"):
            target = getattr(item, field_name)
            if target is not None and target not in known:
                raise at.fail(
                    ("items", i, field_name),
                    f"item {item.key!r}: {field_name}: {_unknown(target, known)}",
                )
    for i, item in enumerate(items):
        seen = [item.key]
        parent = item.parent
        while parent is not None:
            if parent in seen:
                raise at.fail(
                    ("items", i, "parent"),
                    f"item {item.key!r}: parent cycle {' → '.join([*seen, parent])}",
                )
            seen.append(parent)
            parent = known[parent].parent


def _signed(
    at: _Reader, where: tuple[str | int, ...], raw: Any, known: dict[str, Item], what: str
) -> tuple[tuple[int, str], ...]:
    if not isinstance(raw, list) or not raw:
        raise at.fail(where, f"{what}: expected a list of item keys ('-key' subtracts)")
    terms: list[tuple[int, str]] = []
    for j, term in enumerate(raw):
        text = str(term)
        sign, key = (-1, text[1:]) if text.startswith("-") else (1, text)
        if key not in known:
            raise at.fail((*where, j), f"{what}: {_unknown(key, known)}")
        terms.append((sign, key))
    return tuple(terms)


def _tolerance(at: _Reader, where: tuple[str | int, ...], raw: dict[str, Any]) -> float:
    tolerance = raw.get("tolerance", 1)
    if isinstance(tolerance, bool) or not isinstance(tolerance, int | float) or tolerance < 0:
        raise at.fail((*where, "tolerance"), "tolerance: expected a number >= 0")
    return float(tolerance)


def _identity(at: _Reader, i: int, raw: Any, known: dict[str, Item]) -> Identity:
    where = ("identities", i)
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise at.fail(where, "expected an identity with 'name:', 'total:' and 'terms:'")
    name = raw["name"]
    extra = sorted(set(raw) - _IDENTITY_KEYS)
    if extra:
        raise at.fail((*where, extra[0]), f"identity {name!r}: unknown key {extra[0]!r}", key=True)
    total = str(raw.get("total"))
    if total not in known:
        raise at.fail((*where, "total"), f"identity {name!r}: total: {_unknown(total, known)}")
    terms = _signed(at, (*where, "terms"), raw.get("terms"), known, f"identity {name!r}")
    if total in {term for _, term in terms}:
        raise at.fail(
            (*where, "terms"),
            f"identity {name!r}: its total {total!r} is also one of its terms",
        )
    return Identity(name, total, terms, _tolerance(at, where, raw))


def _movement(at: _Reader, i: int, raw: Any, known: dict[str, Item]) -> Movement:
    where = ("movements", i)
    if not isinstance(raw, dict) or not isinstance(raw.get("name"), str):
        raise at.fail(where, "expected a movement with 'name:', 'stock:' and 'flows:'")
    name = raw["name"]
    extra = sorted(set(raw) - _MOVEMENT_KEYS)
    if extra:
        raise at.fail((*where, extra[0]), f"movement {name!r}: unknown key {extra[0]!r}", key=True)
    stock = str(raw.get("stock"))
    if stock not in known:
        raise at.fail((*where, "stock"), f"movement {name!r}: stock: {_unknown(stock, known)}")
    if known[stock].kind != "stock":
        raise at.fail((*where, "stock"), f"movement {name!r}: {stock!r} is not a stock item")
    flows = _signed(at, (*where, "flows"), raw.get("flows"), known, f"movement {name!r}")
    severity = raw.get("severity", "error")
    if severity not in _SEVERITIES:
        raise at.fail(
            (*where, "severity"), f"movement {name!r}: severity: expected error or warning"
        )
    return Movement(name, stock, flows, severity, _tolerance(at, where, raw))
