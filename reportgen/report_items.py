"""Text table of a company's line-item catalogue, as ``reportgen items`` prints it."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

from rich.cells import cell_len

from reportgen.model.catalogue import Catalogue
from reportgen.quarters import chronological


def format_items(catalogue: Catalogue, stored: Mapping[str, Sequence[str]] | None = None) -> str:
    """The catalogue: one row per item, then the identities, movements and measures.

    ``stored`` (given for a company's data) maps an item to the periods it is stored for.
    """
    identities: dict[str, list[str]] = {key: [] for key in catalogue}
    for identity in catalogue.identities:
        for key in dict.fromkeys(identity.items):
            identities[key].append(identity.name)
    languages = sorted({lang for item in catalogue.items.values() for lang in item.labels} - {"en"})
    header = ["item", "label", *(f"{lang} label" for lang in languages)]
    header += ["unit", "kind", "parent", "stored", "identities"]
    if stored is not None:
        header.append("periods in the data")
    rows = []
    for key, item in catalogue.items.items():
        row = [
            key,
            item.label,
            *(item.labels.get(lang, "(missing)") for lang in languages),
            catalogue.unit_of(key),
            item.kind,
            item.parent or "-",
            "yes" if item.storable else "no, derived",
            ", ".join(identities[key]) or "-",
        ]
        if stored is not None:
            row.append(_periods(stored.get(key, ())))
        rows.append(row)
    lines = _aligned([header, *rows])
    lines += ["", "identities (tie-outs; the one missing term is derived from the others):"]
    lines += _aligned([[f"  {i.name}", i.equation] for i in catalogue.identities])
    if catalogue.movements:
        lines += ["", "movements (a stock's change against the flows that explain it):"]
        lines += _aligned(
            [[f"  {m.name}", _movement(m.stock, m.flows)] for m in catalogue.movements]
        )
    lines += ["", "measures a source may publish, stored as item:measure (revenue:yoy):"]
    lines += _aligned([[f"  {name}", text] for name, text in catalogue.measures.items()])
    return "\n".join(lines) + "\n"


def _movement(stock: str, flows: Sequence[tuple[int, str]]) -> str:
    text = " ".join(("+ " if sign > 0 else "− ") + key for sign, key in flows)
    return f"Δ{stock} = {text.removeprefix('+ ')}"


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
