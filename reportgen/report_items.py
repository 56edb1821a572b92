"""Text table of the line-item catalogue, as ``reportgen items`` prints it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len

from reportgen.data.items import IDENTITIES, ITEMS, MEASURES
from reportgen.quarters import chronological


def format_items(
    japanese: Mapping[str, str], stored: Mapping[str, Sequence[str]] | None = None
) -> str:
    """The catalogue: one row per item, then the identities and the measures.

    ``japanese`` maps an item key to its Japanese label; ``stored`` (given for a
    company) maps it to the periods the company's data stores it for.
    """
    identities: dict[str, list[str]] = {key: [] for key in ITEMS}
    for identity in IDENTITIES:
        for key in dict.fromkeys(identity.items):
            identities[key].append(identity.name)
    header = ["item", "label", "Japanese label", "unit", "kind", "stored", "identities"]
    if stored is not None:
        header.append("periods in the data")
    rows = []
    for key, item in ITEMS.items():
        row = [
            key,
            item.label,
            japanese.get(key, "(missing)"),
            item.unit,
            item.kind,
            "yes" if item.storable else "no, derived",
            ", ".join(identities[key]) or "-",
        ]
        if stored is not None:
            row.append(_periods(stored.get(key, ())))
        rows.append(row)
    lines = _aligned([header, *rows])
    lines += ["", "identities (tie-outs; the one missing term is derived from the others):"]
    lines += _aligned([[f"  {i.name}", i.equation] for i in IDENTITIES])
    lines += ["", "measures a source may publish, stored as item:measure (revenue:yoy):"]
    lines += _aligned([[f"  {name}", text] for name, text in MEASURES.items()])
    return "\n".join(lines) + "\n"


def _periods(names: Sequence[str]) -> str:
    if not names:
        return "-"
    return ", ".join(sorted(names, key=chronological))


def _aligned(rows: Sequence[Sequence[str]]) -> list[str]:
    """Columns padded to their widest cell, counting a Japanese character as two."""
    widths = [max(cell_len(row[i]) for row in rows) for i in range(len(rows[0]))]
    return [
        "  ".join(
            cell + " " * (w - cell_len(cell)) for cell, w in zip(row, widths, strict=True)
        ).rstrip()
        for row in rows
    ]
