"""Cross-file rules: tie-outs between figures, and published measures against computed ones.

Each rule yields a ``Check``. An ``error`` stops the build; a ``warning`` is
degraded data that the deck can still show honestly (a cash-flow gap the
sources do not explain). ``reportgen check`` prints them all as a table.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from reportgen import formatting
from reportgen.data.load import Dataset, shown
from reportgen.data.schema import split_item
from reportgen.errors import TieOutError
from reportgen.model.catalogue import MONEY_UNIT, Identity
from reportgen.model.figures import Figure, Figures
from reportgen.model.quarter import computed_measure, quarter_earlier, year_earlier
from reportgen.quarters import Period

Severity = Literal["ok", "warning", "error"]


@dataclass(frozen=True, slots=True)
class Check:
    """One tie-out or consistency check and its outcome."""

    name: str
    period: str
    expected: float
    actual: float
    tolerance: float
    severity: Severity
    where: str
    detail: str
    # False where nothing can be computed to compare with (a change across a zero
    # base): the message then has no difference to state.
    compared: bool = True
    # What the table prints: ``label`` names the comparison (the name if empty).
    label: str = ""
    unit: str = MONEY_UNIT

    @property
    def difference(self) -> float:
        return self.actual - self.expected

    @property
    def message(self) -> str:
        if self.severity == "warning" and self.tolerance == 0 and self.difference == 0:
            # A flag on a value, not a difference between two (a published n.m. change).
            return f"{self.where}: {self.name} for {self.period}: {self.detail}"
        verb = "leaves a gap" if self.severity == "warning" else "fails"
        if not self.compared:
            return f"{self.where}: {self.name} {verb} for {self.period}: {self.detail}"
        return (
            f"{self.where}: {self.name} {verb} for {self.period}: {self.detail} "
            f"(difference {formatting.number(self.difference, 2)}, "
            f"tolerance ±{formatting.number(self.tolerance, 2)})"
        )


def _file(root: Path, period: str) -> str:
    return shown(root / "figures" / f"{period}.csv")


def _outcome(diff: float, tolerance: float, failing: Severity) -> Severity:
    return "ok" if abs(diff) <= tolerance + 1e-9 else failing


def _terms_text(parts: list[tuple[int, Figure]]) -> str:
    text = ""
    for i, (sign, fig) in enumerate(parts):
        op = ("" if sign > 0 else "−") if i == 0 else (" + " if sign > 0 else " − ")
        text += f"{op}{fig.key} {formatting.number(fig.value, 2 if fig.uncertainty < 0.5 else 0)}"
    return text


def identity_checks(root: Path, figures: Figures, periods: list[str]) -> Iterator[Check]:
    """Every identity whose terms are all known independently of it."""
    for period in periods:
        for identity in figures.catalogue.identities:
            yield from _identity_check(root, figures, identity, period)


def _identity_check(
    root: Path, figures: Figures, identity: Identity, period: str
) -> Iterator[Check]:
    exclude = frozenset({identity.name})
    total = figures.get(identity.total, period, exclude=exclude)
    parts = [(sign, figures.get(term, period, exclude=exclude)) for sign, term in identity.terms]
    if total.missing or any(fig.missing for _, fig in parts):
        return
    # Only a check if something in it was stored, not all derived from elsewhere.
    if all(fig.status == "derived" for fig in (total, *(f for _, f in parts))):
        return
    actual = sum(sign * (fig.value or 0.0) for sign, fig in parts)
    expected = total.value or 0.0
    yield Check(
        name=f"tie-out '{identity.name}'",
        label=f"tie-out '{identity.name}': {identity.equation}",
        unit=figures.catalogue.unit_of(identity.total),
        period=period,
        expected=expected,
        actual=actual,
        tolerance=identity.tolerance,
        severity=_outcome(actual - expected, identity.tolerance, "error"),
        where=_file(root, period),
        detail=f"{identity.total} {formatting.number(expected)} ≠ {_terms_text(parts)} "
        f"= {formatting.number(actual)}",
    )


def period_checks(root: Path, figures: Figures) -> Iterator[Check]:
    """A stored half-year or full year against stored quarters and halves that make it up.

    Each version is checked against the parts of the same release (``as_of``): a
    total as first published against restated quarters is no tie-out.
    """
    for (key, name), versions in sorted(figures.versions().items()):
        period = Period.parse(name)
        if period.kind == "Q" or ":" in key:
            continue
        for total in versions:
            release = f" (as of {total.as_of})" if total.as_of else ""
            for parts in _stored_partitions(figures, key, period, total.as_of):
                actual = sum(fig.value or 0.0 for fig in parts)
                expected = total.value or 0.0
                yield Check(
                    name=f"period sum '{key}'",
                    unit=figures.catalogue.unit_of(key),
                    period=name,
                    expected=expected,
                    actual=actual,
                    tolerance=1.0,
                    severity=_outcome(actual - expected, 1.0, "error"),
                    where=_file(root, name),
                    detail=f"{key} {name}{release} {formatting.number(expected)} ≠ "
                    + " + ".join(f"{f.period} {formatting.number(f.value)}" for f in parts)
                    + f" = {formatting.number(actual)}",
                )


def _stored_partitions(
    figures: Figures, key: str, period: Period, as_of: str = ""
) -> Iterator[list[Figure]]:
    """Ways to split ``period`` into two or more periods stored for ``key`` by one release."""
    year = period.fiscal_year
    stored: dict[str, Figure] = {}
    for kind, n in (("Q", 1), ("Q", 2), ("Q", 3), ("Q", 4), ("H", 1), ("H", 2), ("9M", 0)):
        piece = Period(kind, n, year)
        fig = figures.version(key, piece.name, as_of)
        if fig is not None and set(piece.quarters) < set(period.quarters):
            stored[piece.name] = fig
    pieces = [Period.parse(name) for name in stored]

    def search(left: set[object], start: int, chosen: list[Period]) -> Iterator[list[Period]]:
        if not left:
            yield chosen
            return
        for i in range(start, len(pieces)):
            span = set(pieces[i].quarters)
            if span <= left:
                yield from search(left - span, i + 1, [*chosen, pieces[i]])

    for combo in search(set(period.quarters), 0, []):
        if len(combo) > 1:
            yield [stored[p.name] for p in combo]


def measure_checks(root: Path, figures: Figures) -> Iterator[Check]:
    """Every published ratio or change against the one computed from the figures."""
    for (key, name), published in sorted(figures.stored.items()):
        item, measure = split_item(key)
        if measure is None:
            continue
        computed = computed_measure(figures, item, measure, Period.parse(name))
        if computed.status == "not_meaningful" and published.value is not None:
            base = _base(figures, item, measure, Period.parse(name))
            if base is None or base.value is None or base.value <= 0:
                # No percentage of a zero or negative base: an input error.
                yield _not_meaningful(root, figures, key, name, published, computed)
            else:
                # A percentage from or to a loss reads as a fall or rise it is not; the
                # deck shows n.m. instead, and the data should not carry the row.
                yield Check(
                    name=f"published {key}",
                    period=name,
                    expected=published.value,
                    actual=published.value,
                    tolerance=0.0,
                    severity="warning",
                    where=_file(root, name),
                    detail=f"published {formatting.number(published.value, 2)} is a "
                    f"percentage across a sign change ({computed.formula}); the deck shows "
                    f"{formatting.NOT_MEANINGFUL}",
                )
            continue
        if computed.missing or computed.value is None or published.value is None:
            continue
        tolerance = published.uncertainty + computed.uncertainty
        yield Check(
            name=f"published {key}",
            unit=figures.catalogue.unit_of(key),
            period=name,
            expected=published.value,
            actual=computed.value,
            tolerance=tolerance,
            severity=_outcome(computed.value - published.value, tolerance, "error"),
            where=_file(root, name),
            detail=f"published {formatting.number(published.value, 2)} ≠ computed "
            f"{formatting.number(computed.value, 2)} ({computed.formula})",
        )


def _base(figures: Figures, item: str, measure: str, period: Period) -> Figure | None:
    """The figure a published change or ratio is a percentage of, where it has one."""
    if measure in ("yoy", "qoq"):
        earlier = year_earlier(period) if measure == "yoy" else quarter_earlier(period)
        return figures.get(item, earlier)
    found = figures.catalogue.get(item)
    ratio_base = found.ratio_base if found is not None else None
    return figures.get(ratio_base, period) if measure == "ratio" and ratio_base else None


def _not_meaningful(
    root: Path, figures: Figures, key: str, period: str, published: Figure, computed: Figure
) -> Check:
    """A published change or ratio over a base that is zero or negative: cannot be checked.

    Printing it would show e.g. "0.0 → 17.4, YoY 7.5%": a percentage of a zero or
    negative base means nothing, so the row is an input error, not a silent pass.
    """
    value = published.value or 0.0
    return Check(
        name=f"published {key}",
        unit=figures.catalogue.unit_of(key),
        period=period,
        expected=value,
        actual=value,
        tolerance=0.0,
        severity="error",
        where=_file(root, period),
        detail=f"published {formatting.number(value, 2)}, but its base ({computed.formula}) "
        "is zero or negative; expected no such row: a percentage change or ratio across a "
        "zero or negative base is not meaningful",
        compared=False,
    )


def balance_checks(root: Path, figures: Figures, periods: list[str]) -> Iterator[Check]:
    """Balance-sheet movements against the flows that explain them (items.yaml ``movements``)."""
    for name in periods:
        period = Period.parse(name)
        quarter = period.quarter
        if quarter is None:
            continue
        before = quarter.previous.name
        for movement in figures.catalogue.movements:
            left = [
                (1, figures.get(movement.stock, name)),
                (-1, figures.get(movement.stock, before)),
            ]
            right = [(s, figures.get(k, name)) for s, k in movement.flows]
            if any(f.missing for _, f in (*left, *right)):
                continue
            expected = sum(s * (f.value or 0.0) for s, f in left)
            actual = sum(s * (f.value or 0.0) for s, f in right)
            failing: Severity = "warning" if movement.severity == "warning" else "error"
            yield Check(
                name=movement.name,
                unit=figures.catalogue.unit_of(movement.stock),
                period=name,
                expected=expected,
                actual=actual,
                tolerance=movement.tolerance,
                severity=_outcome(actual - expected, movement.tolerance, failing),
                where=_file(root, name),
                detail=f"change {formatting.number(expected)} ≠ {_terms_text(right)} "
                f"= {formatting.number(actual)}",
            )


def run_checks(dataset: Dataset) -> list[Check]:
    """Every check over the dataset, in a stable order."""
    root, figures = dataset.root, dataset.figures
    periods = sorted(figures.periods() | _quarters_between(figures), key=Period.parse)
    return [
        *identity_checks(root, figures, periods),
        *period_checks(root, figures),
        *measure_checks(root, figures),
        *balance_checks(root, figures, periods),
    ]


def _quarters_between(figures: Figures) -> set[str]:
    """Quarters that are not stored but may be derived (2Q07 from 1H07 − 1Q07)."""
    names: set[str] = set()
    for name in figures.periods():
        names.update(q.name for q in Period.parse(name).quarters)
    return names


def validate(dataset: Dataset) -> list[Check]:
    """Run every check; raise ``TieOutError`` naming the first error, return the rest.

    The error's line names the first failure and counts the others; its ``details``
    list every failure, for the preview to show them all.
    """
    checks = run_checks(dataset)
    errors = [c for c in checks if c.severity == "error"]
    if errors:
        more = f" (and {len(errors) - 1} more; run 'reportgen check')" if len(errors) > 1 else ""
        raise TieOutError(errors[0].message + more, details=(c.message for c in errors))
    return checks
