"""Targets as a deck shows them: the latest announcement on or before its release.

A forecast is revised over time (IIJ revised FY2008 in October 2008 and
February 2009); a deck released in August 2008 must show what was announced by
then, never a later revision.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, replace
from datetime import date

from reportgen.model.catalogue import Catalogue
from reportgen.model.figures import Figure, Figures


@dataclass(frozen=True, slots=True)
class Target:
    """A forecast figure for a period as announced on a date."""

    figure: Figure
    announced: str


def targets_in_force(targets: Iterable[Target], as_of: date, catalogue: Catalogue) -> Figures:
    """The targets a deck released on ``as_of`` shows, as a resolver.

    A target not stored is derived from those its terms give, by the same
    identities as an actual figure, and says so in its provenance (a company that
    sets revenue and cost targets has set its gross margin target); what no target
    implies stays missing.
    """
    return Figures(latest_targets(targets, as_of), catalogue)


def latest_targets(targets: Iterable[Target], as_of: date) -> dict[tuple[str, str], Figure]:
    """For each (item, period), the target announced last on or before ``as_of``."""
    chosen: dict[tuple[str, str], Target] = {}
    for target in targets:
        announced = date.fromisoformat(target.announced)
        if announced > as_of:
            continue
        key = (target.figure.key, target.figure.period)
        if key not in chosen or date.fromisoformat(chosen[key].announced) < announced:
            chosen[key] = target
    return {key: _with_announcement(target) for key, target in chosen.items()}


def _with_announcement(target: Target) -> Figure:
    fig = target.figure
    note = f"target announced {target.announced}" + (f"; {fig.note}" if fig.note else "")
    return replace(fig, note=note)
