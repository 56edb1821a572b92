"""Plain text: what slide objects hold, so that text is escaped once, by the template.

Commentary renders to ``Markup`` (HTML with figure spans) for the slide itself. A
label that also reaches the data pack, the attached CSV or a chart must be plain
text: HTML there prints ``R&amp;D``, and the template would escape it again.
"""

from __future__ import annotations

from markupsafe import Markup


def plain(text: str) -> str:
    """The text a reader sees: ``Markup`` loses its tags and entities, a ``str`` is kept."""
    # striptags() also unescapes (&amp; -> &) and folds white space, as a browser shows it.
    return text.striptags() if isinstance(text, Markup) else text
