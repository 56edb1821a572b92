"""``acknowledgements.yaml``: warnings the IR team has accepted, each with its reason.

A check that warns (a cash-flow gap the release does not explain) is data the deck
can still show honestly, but only once someone has said so: the release gate lists
every warning of the periods a deck shows until an acknowledgement names its check
and period. With ``difference`` (the gap as ``reportgen check`` prints it), another
gap is a new finding and opens the item again.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from pydantic import Field, field_validator

from reportgen.data.load import parse_record, read_yaml, shown
from reportgen.data.schema import Strict
from reportgen.data.validate import Check
from reportgen.errors import QuarterError
from reportgen.quarters import Period
from reportgen.review.content import ACKNOWLEDGEMENTS


class Acknowledgement(Strict):
    """One accepted warning: which check, of which period, and why it may stand."""

    check: str = Field(min_length=1)
    period: str
    reason: str = Field(min_length=1)
    difference: float | None = None

    @field_validator("period")
    @classmethod
    def _period(cls, raw: str) -> str:
        try:
            return Period.parse(raw).name
        except QuarterError as exc:
            raise ValueError(str(exc)) from None

    def covers(self, check: Check) -> bool:
        if (self.check, self.period) != (check.name, check.period):
            return False
        # Compared as printed (two places): the gap the reader saw when acknowledging.
        return self.difference is None or round(self.difference, 2) == round(check.difference, 2)


class AcknowledgementsFile(Strict):
    acknowledgements: tuple[Acknowledgement, ...] = ()


@dataclass(frozen=True, slots=True)
class Acknowledgements:
    path: Path
    items: tuple[Acknowledgement, ...]

    def covering(self, check: Check) -> Acknowledgement | None:
        return next((a for a in self.items if a.covers(check)), None)

    @property
    def where(self) -> str:
        return shown(self.path)


def load_acknowledgements(root: Path) -> Acknowledgements:
    """The company's acknowledgements (none if the file does not exist)."""
    path = root / ACKNOWLEDGEMENTS
    if not path.exists():
        return Acknowledgements(path, ())
    raw = read_yaml(path, root)
    record = parse_record(path, AcknowledgementsFile, {} if raw is None else raw)
    return Acknowledgements(path, record.acknowledgements)
