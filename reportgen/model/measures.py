"""Measures over figures: changes, ratios and point changes, each with its uncertainty.

Inputs rounded to the unit carry ±0.5, so a ratio computed from them is only
known within an interval. The interval is what lets a published ratio (computed
by the company from unrounded figures) be checked against the one computed here.
"""

from __future__ import annotations

from collections.abc import Callable
from itertools import product

from reportgen.formatting import sign
from reportgen.model.catalogue import Catalogue
from reportgen.model.figures import Figure, documents_of, missing


def _catalogue(*inputs: Figure) -> Catalogue | None:
    """The catalogue a figure computed from ``inputs`` names items by: theirs."""
    return next((fig.catalogue for fig in inputs if fig.catalogue is not None), None)


def _interval(fig: Figure) -> tuple[float, float]:
    value = fig.value or 0.0
    return value - fig.uncertainty, value + fig.uncertainty


def _derived(
    key: str, period: str, value: float, spread: float, formula: str, inputs: tuple[Figure, ...]
) -> Figure:
    sources: list[str] = []
    for fig in inputs:
        for src in fig.source.split(", "):
            if src and src not in sources:
                sources.append(src)
    return Figure(
        key,
        period,
        value,
        "derived",
        ", ".join(sources),
        formula,
        spread,
        documents=documents_of(inputs),
        catalogue=_catalogue(*inputs),
    )


def derived(
    key: str, period: str, value: float, formula: str, inputs: tuple[Figure, ...]
) -> Figure:
    """A figure computed from ``inputs`` by ``formula`` (a sum or difference of them)."""
    return _derived(key, period, value, sum(f.uncertainty for f in inputs), formula, inputs)


def _quotient(
    top: Figure, bottom: Figure, key: str, formula: str, scale: Callable[[float], float]
) -> Figure:
    """``scale(top / bottom)`` with the spread its inputs' rounding allows.

    Not meaningful when the base is not positive (a change from a loss).
    """
    numerator, denominator = top.value, bottom.value
    if numerator is None or denominator is None:
        return missing(key, top.period, _catalogue(top, bottom))
    if sign(denominator) <= 0:
        return Figure(
            key, top.period, None, "not_meaningful", formula=formula, catalogue=_catalogue(top)
        )
    value = scale(numerator / denominator)
    corners = [scale(t / b) for t, b in product(_interval(top), _interval(bottom)) if b > 0]
    spread = max(abs(c - value) for c in corners) if corners else 0.0
    return _derived(key, top.period, value, spread, formula, (top, bottom))


def change(current: Figure, base: Figure, key: str) -> Figure:
    """Percent change from ``base`` to ``current``.

    Not meaningful unless both are positive: from a profit to a loss "−102.3%"
    reads as a fall, and from a loss it has no sense at all. The words for what
    happened (turned to a loss, loss narrowed) are the commentary's, from the two
    figures themselves.
    """
    formula = f"{current.period} / {base.period} − 1"
    now = current.value
    if now is not None and base.value is not None and sign(now) <= 0:
        return Figure(
            key,
            current.period,
            None,
            "not_meaningful",
            formula=formula,
            catalogue=_catalogue(current, base),
        )
    return _quotient(current, base, key, formula, lambda q: (q - 1) * 100)


def ratio(part: Figure, whole: Figure, key: str) -> Figure:
    """``part`` as a percentage of ``whole``."""
    return _quotient(part, whole, key, f"{part.key} / {whole.key}", lambda q: q * 100)


def difference(current: Figure, base: Figure, key: str) -> Figure:
    """``current − base``: a balance-sheet change, or a ratio's change in points."""
    now, then = current.value, base.value
    if now is None or then is None:
        return missing(key, current.period, _catalogue(current, base))
    return _derived(
        key,
        current.period,
        now - then,
        current.uncertainty + base.uncertainty,
        f"{current.period} − {base.period}",
        (current, base),
    )


def consistent(published: Figure, computed: Figure) -> bool:
    """Whether a published figure agrees with the computed one within their rounding."""
    if published.value is None or computed.value is None:
        return True
    bound = published.uncertainty + computed.uncertainty + 1e-9
    return abs(published.value - computed.value) <= bound
