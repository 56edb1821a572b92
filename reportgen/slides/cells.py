"""Table cells: a figure formatted for display, carrying its provenance for the preview."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from reportgen import formatting
from reportgen.model.figures import Figure

NOT_MEANINGFUL = "n/m"


@dataclass(frozen=True, slots=True)
class Cell:
    """Text of one table cell; ``source`` is shown on hover in the preview."""

    text: str
    source: str = ""
    status: str = ""
    negative: bool = False

    @property
    def classes(self) -> str:
        names = [f"st-{self.status}"] if self.status else []
        if self.negative:
            names.append("neg")
        return " ".join(names)


@dataclass(frozen=True, slots=True)
class Row:
    """A table row: a label and its cells; ``style`` is total, sub or plain."""

    label: str
    cells: tuple[Cell, ...]
    style: str = ""


@dataclass(frozen=True, slots=True)
class Table:
    """A table as the template lays it out: header rows of labels, then rows."""

    header: tuple[tuple[str, ...], ...]
    rows: tuple[Row, ...]
    column_classes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def has_gaps(self) -> bool:
        return any(c.text == formatting.MISSING for r in self.rows for c in r.cells)


Formatter = Callable[[float | None], str]


def cell(figure: Figure, fmt: Formatter) -> Cell:
    """Format a figure; a missing one shows ``n/d`` and a not-meaningful one ``n/m``."""
    if figure.status == "not_meaningful":
        return Cell(NOT_MEANINGFUL, figure.provenance, figure.status)
    return Cell(
        text=fmt(figure.value),
        source=figure.provenance,
        status=figure.status,
        negative=figure.value is not None and fmt(figure.value).startswith("("),
    )


def blank() -> Cell:
    return Cell("")


def signed(fmt: Callable[..., str]) -> Formatter:
    """A formatter that marks increases with ``+``, as change columns do."""
    return lambda value: fmt(value, signed=True)
