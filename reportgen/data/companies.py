"""``group_companies.csv``: the group's subsidiaries and equity-method investees.

Ownership is a figure like any other: it is typed once here, with its source,
and every slide that names a company's share (new business, group companies)
reads it from this file, so the table and the text cannot disagree.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Literal

from pydantic import Field, field_validator

from reportgen.data.load import document, parse_record, read_table, shown
from reportgen.data.schema import Source, Strict, parse_number
from reportgen.errors import DataError
from reportgen.model.figures import Document, Figure, cite

COMPANY_COLUMNS = (
    "key",
    "name",
    "group",
    "ownership",
    "established",
    "new_business",
    "business",
    "source",
    "status",
    "note",
)


class CompanyRow(Strict):
    """One row of ``group_companies.csv``; an empty ownership is not disclosed."""

    key: str = Field(pattern=r"^[a-z0-9_]+$")
    name: str = Field(min_length=1)
    group: Literal["subsidiary", "equity_method"]
    ownership: str = ""
    # ASCII digits only: ``\d`` in a pydantic pattern also matches other scripts' digits.
    established: str = Field(default="", pattern=r"^([0-9]{4}-(0[1-9]|1[0-2]))?$")
    new_business: Literal["yes", "no"] = "no"
    business: str = Field(min_length=1)
    source: str = Field(min_length=1)
    status: Literal["published", "seed"]
    note: str = ""

    @field_validator("ownership")
    @classmethod
    def _percent(cls, raw: str) -> str:
        if raw:
            value, _ = parse_number(raw)
            if not 0 < value <= 100:
                raise ValueError(f"ownership {raw!r} is not a percentage above 0 and up to 100")
        return raw


@dataclass(frozen=True, slots=True)
class GroupCompany:
    """A group company as slides use it."""

    key: str
    name: str
    group: str
    ownership_pct: float | None
    ownership_places: int
    established: tuple[int, int] | None
    new_business: bool
    business: str
    provenance: str
    documents: tuple[Document, ...] = ()
    # The ownership percentage as a figure (missing where the record does not give it).
    ownership: Figure | None = None


def _company(row: CompanyRow, doc: Document) -> GroupCompany:
    value, places = None, 0
    if row.ownership:
        value, half_unit = parse_number(row.ownership)
        # Shown with the decimals it was typed with: 51.0% stays 51.0%, 100% stays 100%
        # (parse_number gives half the last digit's unit: 0.05 for one decimal).
        places = round(math.log10(0.5 / half_unit))
    established = None
    if row.established:
        year, month = row.established.split("-")
        established = (int(year), int(month))
    note = f" · {row.note}" if row.note else ""
    return GroupCompany(
        key=row.key,
        name=row.name,
        group=row.group,
        ownership_pct=value,
        ownership_places=places,
        established=established,
        new_business=row.new_business == "yes",
        business=row.business,
        provenance=f"{row.name}, ownership · {row.status}{note} · {cite((doc,))}",
        documents=(doc,),
        ownership=Figure(
            f"ownership:{row.key}",
            doc.date,
            value,
            row.status if value is not None else "missing",
            row.source,
            note=row.note,
            documents=(doc,),
        ),
    )


TRANSLATION_COLUMNS = ("key", "name", "business")


def _translations(root: Path, language: str, keys: list[str]) -> dict[str, dict[str, str]]:
    """``group_companies.<language>.csv``: each company's name and business in that language."""
    path = root / f"group_companies.{language}.csv"
    if not path.exists():
        raise DataError(
            f"{shown(path)}: file not found; the {language} edition of the group companies "
            f"slide needs each company's name and business ({','.join(TRANSLATION_COLUMNS)})"
        )
    rows = {r.cells["key"]: r.cells for r in read_table(path, TRANSLATION_COLUMNS, root)}
    for key in keys:
        if key not in rows or not rows[key]["name"] or not rows[key]["business"]:
            raise DataError(f"{shown(path)}: no {language} name and business for {key!r}")
    return rows


def load_group_companies(
    root: Path, sources: dict[str, Source], language: str = "en"
) -> tuple[GroupCompany, ...]:
    """Read ``group_companies.csv``, which the group companies and new business slides need.

    Another edition reads the names and businesses from ``group_companies.<language>.csv``.
    """
    path = root / "group_companies.csv"
    if not path.exists():
        raise DataError(f"{shown(path)}: file not found; the group companies slide needs it")
    companies: list[GroupCompany] = []
    seen: dict[str, int] = {}
    for table_row in read_table(path, COMPANY_COLUMNS, root):
        line = table_row.line
        row = parse_record(path, CompanyRow, table_row.cells, f", line {line}")
        where = f"{shown(path)}, line {line} ({row.key})"
        if row.key in seen:
            raise DataError(f"{where}: duplicate of line {seen[row.key]}")
        seen[row.key] = line
        source = sources.get(row.source)
        if source is None:
            raise DataError(
                f"{where}: unknown source {row.source!r}; expected one of {', '.join(sources)}"
            )
        if (row.status == "seed") != (source.kind == "seed"):
            raise DataError(
                f"{where}: status {row.status!r} does not fit source {row.source!r} ({source.kind})"
            )
        companies.append(_company(row, document(row.source, sources)))
    if language != "en":
        text = _translations(root, language, [c.key for c in companies])
        companies = [
            replace(c, name=text[c.key]["name"], business=text[c.key]["business"])
            for c in companies
        ]
    return tuple(companies)
