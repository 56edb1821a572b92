"""Japanese headings and labels never break inside a katakana word.

Japanese lines may break between any two characters, and in running text a
break inside a loan word is normal. In a heading or a table label it reads as
two words (株式会社トラストネットワーク / ス). WeasyPrint has no
``word-break: keep-all``, so the characters of each katakana run in those
elements are joined with WORD JOINER (U+2060, zero width): the line breaks
before or after the word instead.
"""

from __future__ import annotations

import re

WORD_JOINER = "\u2060"
# Headings, table headers, chart titles and the name column of a table.
_LABELS = re.compile(
    r"(<(h[1-6]|th|figcaption|td(?=[^>]*\bclass=\"[^\"]*\b(?:name|label)\b))\b[^>]*>)"
    r"(.*?)(</\2>)",
    re.DOTALL,
)
_TAG = re.compile(r"(<[^>]*>)")
# A run longer than the narrowest box holds (a slide 11 panel: 14 full-width
# characters) cannot stay whole; it is left to the line breaker, which keeps ー and
# small kana off the start of a line (an emergency break would not).
_LONGEST_KEPT = 14
_KATAKANA = "\u30a1-\u30fa\u30fc"
_KATAKANA_RUN = re.compile(f"[{_KATAKANA}]+")


def keep_katakana_words(html: str) -> str:
    """Join the katakana words of headings and labels in ``html`` so none breaks inside."""

    def join(match: re.Match[str]) -> str:
        opening, _, content, closing = match.groups()
        parts = _TAG.split(content)
        # Odd parts are tags (attributes such as a hover title stay as they are).
        text = [p if i % 2 else _KATAKANA_RUN.sub(_joined, p) for i, p in enumerate(parts)]
        return opening + "".join(text) + closing

    return _LABELS.sub(join, html)


def _joined(run: re.Match[str]) -> str:
    word = run.group()
    return WORD_JOINER.join(word) if len(word) <= _LONGEST_KEPT else word
