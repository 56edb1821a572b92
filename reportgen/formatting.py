"""The only place numbers become text.

Accounting style throughout: negatives and decreases in parentheses, never a
minus sign; thousands separators; rounding half away from zero, applied here
and nowhere else. A missing value prints as ``MISSING`` so a gap is visible.
"""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

MISSING = "n/d"

# Float noise (0.0985 * 100 == 9.849999999999998) must not decide a rounding
# half case, so values are first snapped to this many decimal places.
_NOISE_PLACES = Decimal("1e-9")


def _round(value: float, places: int) -> Decimal:
    snapped = Decimal(repr(float(value))).quantize(_NOISE_PLACES, rounding=ROUND_HALF_UP)
    return snapped.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _accounting(
    value: float | None, places: int, *, prefix: str = "", suffix: str = "", signed: bool = False
) -> str:
    if value is None:
        return MISSING
    rounded = _round(value, places)
    body = f"{prefix}{abs(rounded):,.{places}f}{suffix}"
    if rounded < 0:
        return f"({body})"
    if signed and rounded > 0:
        return f"+{body}"
    return body


def number(value: float | None, places: int = 0, *, signed: bool = False) -> str:
    """Format a plain number: ``1,513``, ``(25)``; ``signed`` adds ``+`` to increases."""
    return _accounting(value, places, signed=signed)


def jpy_million(value: float | None, *, signed: bool = False) -> str:
    """Format JPY millions: ``9,943``, ``(1,528)``; ``signed`` gives ``+931``."""
    return _accounting(value, 0, signed=signed)


def jpy_billion(value_jpy_m: float | None, *, signed: bool = False, places: int = 1) -> str:
    """Format a JPY-million amount in JPY billions, one decimal by default: ``16.3``."""
    if value_jpy_m is None:
        return MISSING
    return _accounting(value_jpy_m / 1000, places, signed=signed)


def jpy(value: float | None, *, signed: bool = False) -> str:
    """Format a yen amount such as a per-share figure: ``JPY3,875``."""
    return _accounting(value, 0, prefix="JPY", signed=signed)


def percent(value: float | None, places: int = 1, *, signed: bool = False) -> str:
    """Format a percentage or a percent change: ``19.2%``, ``(40.5%)``."""
    return _accounting(value, places, suffix="%", signed=signed)


def points(value: float | None, places: int = 1, *, signed: bool = True) -> str:
    """Format a change of a ratio in percentage points: ``+1.0pt``, ``(1.6)pt``."""
    if value is None:
        return MISSING
    return _accounting(value, places, signed=signed) + "pt"


def direction(value: float | None, up: str = "up", down: str = "down", flat: str = "flat") -> str:
    """Return the word for the direction of a change, for commentary."""
    if value is None:
        return MISSING
    rounded = _round(value, 1)
    return up if rounded > 0 else down if rounded < 0 else flat


def magnitude_percent(value: float | None, places: int = 1) -> str:
    """Format the size of a change without its sign, after a word that gives it: ``40.5%``."""
    return MISSING if value is None else percent(abs(value), places)
