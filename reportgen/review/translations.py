"""The English text a translation was reviewed against, as a short hash.

A reviewer who sets ``review: done`` also writes ``source_hash:``, the hash of the
English text they compared with (the release gate prints the value to write). An
English edit after that changes the hash, and the translation is open again. Only
text counts: comments, the release date and slides' own review marks do not.
"""

from __future__ import annotations

import hashlib
import json

from reportgen.data.schema import Company, DeckSpec

# 64 bits: enough to notice an edit; short enough to type or paste into a YAML file.
HASH_CHARS = 16


def _hash(value: object) -> str:
    text = json.dumps(value, ensure_ascii=False, sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()[:HASH_CHARS]


def deck_source_hash(english: DeckSpec) -> str:
    """The hash of the English deck's text: its title and every slide's text."""
    return _hash(
        english.model_dump(
            mode="json", include={"title", "slides"}, exclude={"slides": {"__all__": {"review"}}}
        )
    )


def company_source_hash(company: Company) -> str:
    """The hash of ``company.yaml``'s English text (everything but the other editions)."""
    return _hash(company.model_dump(mode="json", exclude={"editions"}))
