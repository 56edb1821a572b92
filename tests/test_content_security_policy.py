"""The deck opened from disk has the same Content-Security-Policy as the preview sends."""

from __future__ import annotations

from html.parser import HTMLParser

from reportgen import preview_http
from tests.conftest import BuiltDeck


class _Head(HTMLParser):
    """The start tags of the page head, in order."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self._in_head = True

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if self._in_head:
            self.tags.append((tag, dict(attrs)))

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self._in_head = False


def test_the_page_carries_the_preview_policy_before_any_resource(iij_1q08: BuiltDeck) -> None:
    head = _Head()
    head.feed(iij_1q08.html)
    head.close()
    names = [tag for tag, _ in head.tags]
    policies = [
        (i, attrs.get("content"))
        for i, (tag, attrs) in enumerate(head.tags)
        if tag == "meta" and (attrs.get("http-equiv") or "").lower() == "content-security-policy"
    ]
    # One policy: what the preview sends as its header, less what only a header can
    # carry (a browser ignores frame-ancestors in a <meta> and logs a warning).
    header = preview_http.CSP.split("; ")
    assert "script-src 'self'" in header
    assert "frame-ancestors 'none'" in header
    expected = "; ".join(d for d in header if not d.startswith("frame-ancestors "))
    assert [content for _, content in policies] == [expected]
    # A <meta> policy only covers what comes after it: it must precede every resource.
    (index, _), first_resource = (
        policies[0],
        min(i for i, tag in enumerate(names) if tag in ("link", "script", "style")),
    )
    assert index < first_resource
