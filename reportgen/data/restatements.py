"""Restatements: one item and period with different values in different releases.

A later release may restate an earlier period (IIJ reclassified its revenue lines
from 1Q08, so the 1Q07 comparative changed). The figures files keep each version
with the date of the release that gave it (``as_of``); ``reportgen check`` lists
every item and period whose versions differ, so the change is seen, not hidden.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from reportgen import formatting
from reportgen.data.load import shown
from reportgen.model.figures import Figure, Figures
from reportgen.quarters import Period


@dataclass(frozen=True, slots=True)
class Restatement:
    """An item and period and its versions, first published first."""

    key: str
    period: str
    versions: tuple[Figure, ...]
    where: str

    @property
    def message(self) -> str:
        values = " → ".join(_version(fig) for fig in self.versions)
        return f"{self.where}: {self.key} {self.period}: {values}"


def _version(fig: Figure) -> str:
    places = 0 if fig.uncertainty >= 0.5 else 2
    release = f"as of {fig.as_of}" if fig.as_of else "as first published"
    return f"{formatting.number(fig.value, places)} ({release}, source {fig.source})"


def restatements(root: Path, figures: Figures) -> Iterator[Restatement]:
    """Every item and period whose stored versions do not all have the same value."""
    versions = figures.versions()
    for key, period in sorted(versions, key=lambda kp: (Period.parse(kp[1]), kp[0])):
        found = versions[(key, period)]
        if len({fig.value for fig in found}) > 1:
            where = shown(root / "figures" / f"{period}.csv")
            yield Restatement(key, period, found, where)
