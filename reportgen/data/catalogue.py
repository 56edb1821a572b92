"""Load and check ``data/<company>/items.yaml``: the company's chart of accounts.

Every error is an input error on one line, ``data/<company>/items.yaml:LINE: ...``,
naming the item or identity and what was expected (with a "did you mean" for an
unknown key). The shape of each entry (its keys, their types and values) is checked
by the pydantic models of ``catalogue_schema``; what entries say of each other (an
unknown item, a key written twice, a parent cycle, a total among its own terms) is
checked here, over the validated entries. The result is the model's ``Catalogue``;
nothing else reads the file.
"""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from reportgen.data.catalogue_schema import (
    ENTRIES,
    Entry,
    IdentityEntry,
    ItemEntry,
    ItemsFile,
    MovementEntry,
    SumEntry,
    shown_input,
)
from reportgen.data.inputs import InputLog
from reportgen.data.load import read_yaml_marked, shown
from reportgen.data.marks import KeyPath, Marks
from reportgen.errors import DataError
from reportgen.model.catalogue import (
    MONEY_UNIT,
    PER_SHARE_UNIT,
    Catalogue,
    Identity,
    Item,
    Movement,
)
from reportgen.suggest import did_you_mean, unknown_item

ITEMS_FILE = "items.yaml"


class _Reader:
    """Errors at the line of the part of the file they are about."""

    def __init__(self, marks: Marks) -> None:
        self.marks = marks

    def line(self, path: KeyPath, message: str, *, key: bool = False) -> str:
        mark = self.marks.mark(path, key=key)
        line = f":{mark.line}" if mark else ""
        return f"{self.marks.file}{line}: {message}"

    def fail(self, path: KeyPath, message: str, *, key: bool = False) -> DataError:
        return DataError(self.line(path, message, key=key))


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
    try:
        spec = ItemsFile.model_validate(data, context={"languages": languages})
    except ValidationError as exc:
        # An entry with no name is one error however many of its fields are wrong.
        lines = list(dict.fromkeys(_schema_error(at, data, error) for error in exc.errors()))
        more = f" (and {len(lines) - 1} more)" if len(lines) > 1 else ""
        raise DataError(lines[0] + more, details=lines) from None
    _check_keys_once(at, spec.items)
    items = tuple(_item(entry) for entry in spec.items)
    known = {item.key: item for item in items}
    _check_tree(at, items, known)
    identities = tuple(_identity(at, i, entry, known) for i, entry in enumerate(spec.identities))
    movements = tuple(_movement(at, i, entry, known) for i, entry in enumerate(spec.movements))
    return Catalogue(
        items,
        identities,
        movements=movements,
        money_unit=money_unit,
        per_share_unit=per_share_unit,
    )


def _schema_error(at: _Reader, data: Any, error: Any) -> str:
    """One schema error as ``items.yaml:LINE: item 'key': field: what``."""
    loc: KeyPath = tuple(error["loc"])
    if len(loc) >= 2 and loc[0] in ENTRIES and isinstance(loc[1], int):
        model = ENTRIES[str(loc[0])]
        raw = data[loc[0]][loc[1]]
        name = raw.get(model.NAME) if isinstance(raw, dict) else None
        if not isinstance(name, str):
            return at.line(loc[:2], f"expected {model.EXPECTED}")
        return at.line(
            loc,
            f"{model.WHAT} {name!r}: {_what(model, loc[2:], error)}",
            key=error["type"] == "extra_forbidden",
        )
    if error["type"] == "extra_forbidden":
        return at.line(
            loc, f"unknown key {loc[0]!r} (expected {', '.join(ItemsFile.model_fields)})", key=True
        )
    if not loc or loc[0] == "items":
        return at.line((), "expected a mapping with an 'items:' list")
    return at.line(loc, _what(ItemsFile, loc, error))


def _what(model: type[Entry] | type[ItemsFile], inside: KeyPath, error: Any) -> str:
    """What a schema error says of the field at ``inside`` (``unit '3 yen': expected ...``)."""
    field = str(inside[0]) if inside else ""
    if error["type"] == "extra_forbidden":
        return f"unknown key {field!r}{did_you_mean(field, model.model_fields)}"
    if error["type"] == "value_error":
        # The field's own check, worded in full (``kind 'stok' (did you mean 'stock'?)``).
        return str(error["msg"]).removeprefix("Value error, ")
    # A type or range pydantic checks: the field's description says what it takes.
    expected = f"{field}: expected {model.model_fields[field].description}"
    return expected if error["type"] == "missing" else f"{expected}, not {shown_input(error)}"


def _check_keys_once(at: _Reader, entries: tuple[ItemEntry, ...]) -> None:
    lines: dict[str, int] = {}
    for i, entry in enumerate(entries):
        if entry.key in lines:
            raise at.fail(
                ("items", i, "key"),
                f"item {entry.key!r} is written twice (first at line {lines[entry.key]})",
            )
        mark = at.marks.mark(("items", i, "key"))
        lines[entry.key] = mark.line if mark else 0


def _item(entry: ItemEntry) -> Item:
    return Item(
        key=entry.key,
        labels=dict(entry.label),
        unit=entry.unit,
        kind=entry.kind,
        parent=entry.parent,
        color=entry.color,
        ratio_base=entry.ratio_base,
        derived=entry.derived,
        sign=dict(entry.sign),
    )


def _check_tree(at: _Reader, items: tuple[Item, ...], known: dict[str, Item]) -> None:
    for i, item in enumerate(items):
        for field_name in ("parent", "ratio_base"):
            target = getattr(item, field_name)
            if target is not None and target not in known:
                raise at.fail(
                    ("items", i, field_name),
                    f"item {item.key!r}: {field_name}: {unknown_item(target, known)}",
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


def _known(at: _Reader, where: KeyPath, entry: SumEntry, known: dict[str, Item]) -> None:
    """Every item an identity (total, terms) or a movement (stock, flows) names is known."""
    what = f"{entry.WHAT} {entry.name!r}"
    whole = entry.SUM
    if entry.sum not in known:
        raise at.fail((*where, whole), f"{what}: {whole}: {unknown_item(entry.sum, known)}")
    for j, (_, key) in enumerate(entry.parts):
        if key not in known:
            raise at.fail((*where, entry.PARTS, j), f"{what}: {unknown_item(key, known)}")


def _identity(at: _Reader, i: int, entry: IdentityEntry, known: dict[str, Item]) -> Identity:
    where = ("identities", i)
    _known(at, where, entry, known)
    terms = entry.parts
    if entry.total in {term for _, term in terms}:
        raise at.fail(
            (*where, "terms"),
            f"identity {entry.name!r}: its total {entry.total!r} is also one of its terms",
        )
    return Identity(entry.name, entry.total, terms, entry.tolerance)


def _movement(at: _Reader, i: int, entry: MovementEntry, known: dict[str, Item]) -> Movement:
    where = ("movements", i)
    _known(at, where, entry, known)
    if known[entry.stock].kind != "stock":
        raise at.fail(
            (*where, "stock"), f"movement {entry.name!r}: {entry.stock!r} is not a stock item"
        )
    return Movement(entry.name, entry.stock, entry.parts, entry.severity, entry.tolerance)
