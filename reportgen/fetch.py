"""The only way WeasyPrint reads a resource: project files and data: URLs, nothing else."""

from __future__ import annotations

import logging
import mimetypes
from collections.abc import Sequence
from pathlib import Path
from urllib.parse import urlsplit
from urllib.request import url2pathname

from weasyprint.urls import URLFetcher, URLFetcherResponse

log = logging.getLogger(__name__)


class ProjectFetcher(URLFetcher):
    """Serve ``file://`` URLs inside ``roots`` and ``data:`` URLs; refuse and record the rest.

    A deck must never reach the network or read files outside the project, even
    if a template or a data file names such a URL.
    """

    def __init__(self, roots: Sequence[Path]) -> None:
        super().__init__(allowed_protocols=("file", "data"))
        self.roots = tuple(root.resolve() for root in roots)
        self.refused: list[str] = []

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        scheme = urlsplit(url).scheme.lower()
        if scheme == "data":
            return super().fetch(url, headers)
        if scheme == "file":
            # Decoded once: url2pathname unquotes (a second unquote turned a folder
            # named ``a%41`` into ``aA``, outside the project).
            path = Path(url2pathname(urlsplit(url).path)).resolve()
            if any(path.is_relative_to(root) for root in self.roots) and path.is_file():
                media_type = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
                return URLFetcherResponse(
                    url, body=path.read_bytes(), headers={"Content-Type": media_type}
                )
        self.refused.append(url)
        log.warning("refused to fetch %s: only the project's own files are used", url)
        raise ValueError(f"refused: {url}")
