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


def unknown_item(key: str, choices: Iterable[str], *, shown: str | None = None) -> str:
    """Return ``unknown item 'revenu' (did you mean 'revenue'?)``: one wording everywhere.

    ``shown``: the key as the message quotes it, where that is not ``repr(key)`` (a key
    cut short, or written with its measure).
    """
    return f"unknown item {shown or repr(key)}{did_you_mean(key, choices)}"
