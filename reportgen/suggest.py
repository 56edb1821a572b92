"""The "did you mean" hint that follows an unknown name in an error message."""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def did_you_mean(word: str, choices: Iterable[str]) -> str:
    """Return `` (did you mean 'revenue'?)`` for the closest choice, or ``""`` if none is close.

    Matched case-insensitively, so ``Revenue`` still finds ``revenue``; the hint
    gives the choice as it must be typed.
    """
    by_folded = {choice.casefold(): choice for choice in choices}
    close = difflib.get_close_matches(word.casefold(), list(by_folded), n=1)
    return f" (did you mean {by_folded[close[0]]!r}?)" if close else ""
