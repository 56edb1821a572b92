"""The preview's HTTP side: 127.0.0.1 only, files of the last good build, updates over SSE.

Routes:

    /, /index.html        the deck, with the preview bar (and error panel) inserted
    /<file>               a file under the build output folder, nothing else
    /_preview/events      server-sent events: ``reload`` after each rebuild (live.js then
                          fetches / and swaps in what changed)
    /_preview/pdf         the PDF, built on demand from the current files
    /_preview/live.js     the preview's own script and stylesheet (a fixed list)
    /_preview/preview.css
    /favicon.ico          204: browsers ask for it unprompted

The deck's stylesheet links carry ``?v=<digest>`` of their content, and the build's
files an ETag (a 304 when the browser's copy is current), so that the page fetches
only what a rebuild changed.

Every other path, a directory, or a path that leaves the output folder (``..``,
``%2e%2e``, absolute paths, symlinks out) is a 404. Nothing is listed. A request
the preview cannot parse (a malformed URL, an ``epoch`` that is not ASCII digits)
is a 400, a method other than GET and HEAD a 405; none of them logs a traceback,
nor does a browser that leaves in the middle of a download.
"""

from __future__ import annotations

import hashlib
import logging
import mimetypes
import os
import re
import sys
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import parse_qs, unquote, urlsplit

from jinja2 import TemplateError

from reportgen.errors import InputError, PreviewError, ReportgenError
from reportgen.render import CSP, jinja_environment

if TYPE_CHECKING:
    from reportgen.preview import Preview

log = logging.getLogger(__name__)

HOST = "127.0.0.1"  # never another interface: the preview shows unpublished figures
KEEPALIVE_SECONDS = 15.0  # a comment line this often lets a closed browser tab be noticed

ASSETS = {"live.js": "text/javascript", "preview.css": "text/css"}
TEXT_TYPES = {".html": "text/html", ".css": "text/css", ".js": "text/javascript"}
MEDIA_TYPES = {".svg": "image/svg+xml", ".ttf": "font/ttf", ".pdf": "application/pdf"}

_INSERT_AFTER = (re.compile(rb"<main\b[^>]*>", re.I), re.compile(rb"<body\b[^>]*>", re.I))
PORTS = range(65536)
METHODS = ("GET", "HEAD")
# Where an error message says it went wrong: a file, with its line and column if named
# ("data/iij/figures/1Q08.csv, line 2", "data/iij/decks/1Q08.yaml:14:9"). The panel sets
# it in bold.
_WHERE = re.compile(
    r"[^\s:]+\.(?:csv|ya?ml|html|css|svg|json|ttf)"
    r"(?::\d+(?::\d+)?|(?:, lines? \d+(?: and \d+)?)?(?:, column \d+)?)"
)
# A stylesheet of the build, as the deck's head links it: relative, no query.
_STYLESHEET = re.compile(rb'(<link rel="stylesheet" href=")([A-Za-z0-9_./-]+\.css)(">)')
# The epoch a page was built at, as the page sends it: ASCII digits only (str.isdigit
# also accepts "١٢" and "²"), and short enough to be a count of rebuilds.
_EPOCH = re.compile(r"[0-9]{1,18}")


class BadRequestError(ValueError):
    """A request the preview cannot parse; answered with 400 and the reason."""


def located(message: str) -> tuple[str, str, str]:
    """``(before, where, after)``: a message split around the file (and line) it names."""
    found = _WHERE.search(message)
    if found is None:
        return message, "", ""
    return message[: found.start()], found.group(), message[found.end() :]


def epoch_of(query: str) -> int | None:
    """The ``epoch`` the page was built at, or None if it sent none (or an empty one)."""
    values = parse_qs(query, keep_blank_values=True).get("epoch", [])
    if not values or values[0] == "":
        return None
    if not _EPOCH.fullmatch(values[0]):
        raise BadRequestError("epoch must be ASCII digits")
    return int(values[0])


def site_file(root: Path, url_path: str) -> Path | None:
    """The file under ``root`` that ``url_path`` names, or None if it names anything else.

    Names are checked before the disk is touched (no empty, ``.`` or ``..`` segment,
    no backslash or NUL), then the resolved path must still lie under ``root``.
    """
    try:
        name = unquote(url_path, errors="strict")
    except UnicodeDecodeError:
        return None
    if not name.startswith("/") or "\\" in name or "\x00" in name:
        return None
    parts = name[1:].split("/")
    if any(part in ("", ".", "..") for part in parts):
        return None
    try:
        base = root.resolve(strict=True)
        path = base.joinpath(*parts).resolve(strict=True)
    except (OSError, RuntimeError):
        return None
    return path if path.is_relative_to(base) and path.is_file() else None


def entity_tag(found: os.stat_result) -> str:
    """An ETag that changes whenever a rebuild writes the file (a new inode, time or size)."""
    return f'"{found.st_ino:x}-{found.st_mtime_ns:x}-{found.st_size:x}"'


def versioned_stylesheets(deck: bytes, root: Path) -> bytes:
    """``deck`` with ``?v=<digest of its content>`` on each of the build's stylesheets.

    A rebuild writes ``deck.css`` and ``hotspots.css`` under the same names: the
    version tells the page (live.js) which of them changed, so that it swaps in only
    those, and a stylesheet that did not change is never fetched again.
    """

    def version(found: re.Match[bytes]) -> bytes:
        path = site_file(root, "/" + found.group(2).decode("ascii", "replace"))
        if path is None:
            return found.group()
        try:
            digest = hashlib.sha256(path.read_bytes()).hexdigest()[:16]
        except OSError:
            return found.group()
        return found.group(1) + found.group(2) + b"?v=" + digest.encode() + found.group(3)

    return _STYLESHEET.sub(version, deck)


class PreviewHTTPServer(ThreadingHTTPServer):
    """A threading HTTP server bound to 127.0.0.1 that serves one :class:`Preview`."""

    daemon_threads = True

    def __init__(self, preview: Preview, port: int) -> None:
        self.preview = preview
        if port not in PORTS:
            # socket.bind would raise OverflowError: say what a port is instead.
            raise InputError(
                f"--port {port}: not a port for the preview of {preview.quarter.name}; "
                f"expected 0 to 65535 (0 picks a free one)"
            )
        try:
            super().__init__((HOST, port), PreviewHandler)
        except OSError as exc:
            raise PreviewError(
                f"{HOST}:{port}: cannot serve the preview of {preview.quarter.name} "
                f"({exc.strerror}); choose another port with --port N (0 picks a free one)"
            ) from None

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def handle_error(self, request: object, client_address: object) -> None:
        """Log what a request raised (socketserver would print it to stderr)."""
        error = sys.exc_info()[1]
        if isinstance(error, ConnectionError | TimeoutError):
            # The browser left (a closed tab, a cancelled download): nothing went wrong.
            log.debug("preview: %s left early (%s)", client_address, type(error).__name__)
        else:
            log.error("preview: internal error answering %s", client_address, exc_info=error)

    @property
    def url(self) -> str:
        return f"http://{HOST}:{self.port}/"


class PreviewHandler(BaseHTTPRequestHandler):
    server: PreviewHTTPServer
    protocol_version = "HTTP/1.1"
    server_version = "reportgen-preview"

    @property
    def preview(self) -> Preview:
        return self.server.preview

    def log_message(self, format: str, *args: object) -> None:
        log.debug("%s %s", self.address_string(), format % args)

    def parse_request(self) -> bool:
        # Every method but GET and HEAD is refused here, as one: the stdlib would
        # answer 501 to those without a do_ method and call the rest.
        if not super().parse_request():
            return False
        if self.command not in METHODS:
            self.close_connection = True  # its body, if any, is never read
            self._send_plain(
                HTTPStatus.METHOD_NOT_ALLOWED, "method not allowed\n", {"Allow": ", ".join(METHODS)}
            )
            return False
        return True

    def do_HEAD(self) -> None:
        self.do_GET()

    def do_GET(self) -> None:
        # A page on another site could reach 127.0.0.1 through a name it controls (DNS
        # rebinding); such requests carry that name in Host and are refused.
        if self.headers.get("Host") not in (
            f"{HOST}:{self.server.port}",
            f"localhost:{self.server.port}",
        ):
            self._send_plain(HTTPStatus.MISDIRECTED_REQUEST, "unknown host\n")
            return
        try:
            url = urlsplit(self.path)
            epoch = epoch_of(url.query) if url.path == "/_preview/events" else None
        except ValueError as exc:  # BadRequestError, or urlsplit on "//[" and the like
            self.close_connection = True
            self._send_plain(HTTPStatus.BAD_REQUEST, f"bad request: {exc}\n")
            return
        if url.path in ("/", "/index.html"):
            self._send_index()
        elif url.path == "/_preview/events":
            self._send_events(epoch)
        elif url.path == "/_preview/pdf":
            self._send_pdf()
        elif url.path == "/favicon.ico":
            # Browsers ask for it unprompted; an empty answer keeps their console clean.
            self._send(HTTPStatus.NO_CONTENT, b"", "image/x-icon")
        elif url.path.startswith("/_preview/") and url.path[10:] in ASSETS:
            name = url.path[10:]
            body = (self.preview.templates / "preview" / name).read_bytes()
            self._send(HTTPStatus.OK, body, f"{ASSETS[name]}; charset=utf-8")
        else:
            self._send_site_file(url.path)

    # -- responses -------------------------------------------------------------------

    def _send(
        self,
        status: HTTPStatus,
        body: bytes,
        media_type: str,
        headers: dict[str, str] | None = None,
        cache: str = "no-store",
    ) -> None:
        """Send ``body``; ``cache``: its Cache-Control (by default never kept).

        Every rebuild replaces the files under the same names: a copy is only ever
        reused after the server has said it is still the same (:meth:`_send_site_file`).
        """
        self.send_response(status)
        self.send_header("Content-Type", media_type)
        if status not in (HTTPStatus.NO_CONTENT, HTTPStatus.NOT_MODIFIED):
            self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", cache)
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Referrer-Policy", "no-referrer")
        if media_type.startswith("text/html"):
            self.send_header("Content-Security-Policy", CSP)
        for key, value in (headers or {}).items():
            self.send_header(key, value)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _send_plain(
        self, status: HTTPStatus, text: str, headers: dict[str, str] | None = None
    ) -> None:
        self._send(status, text.encode(), "text/plain; charset=utf-8", headers)

    def _send_site_file(self, url_path: str) -> None:
        path = site_file(self.preview.site, url_path)
        if path is None:
            self._send_plain(HTTPStatus.NOT_FOUND, "not found\n")
            return
        suffix = path.suffix.lower()
        if suffix in TEXT_TYPES:
            media_type = f"{TEXT_TYPES[suffix]}; charset=utf-8"
        else:
            guessed = mimetypes.guess_type(path.name)[0]
            media_type = MEDIA_TYPES.get(suffix) or guessed or "application/octet-stream"
        try:
            with path.open("rb") as handle:
                tag = entity_tag(os.fstat(handle.fileno()))
                if tag in self._tags_held():
                    # The browser's copy is this very file: no need to send 8 MB of
                    # fonts again when a stylesheet is swapped in (live.js).
                    self._send(HTTPStatus.NOT_MODIFIED, b"", media_type, {"ETag": tag}, "no-cache")
                    return
                body = handle.read()
        except OSError:
            # A rebuild replaced the folder between the check and the read.
            self._send_plain(HTTPStatus.NOT_FOUND, "not found\n")
            return
        self._send(HTTPStatus.OK, body, media_type, {"ETag": tag}, "no-cache")

    def _tags_held(self) -> set[str]:
        """The entity tags of the copies the browser holds (``If-None-Match``)."""
        held = self.headers.get("If-None-Match") or ""
        return {tag.strip().removeprefix("W/") for tag in held.split(",")}

    def _send_index(self) -> None:
        status = self.preview.epoch.status
        try:
            deck = versioned_stylesheets(
                (self.preview.site / "index.html").read_bytes(), self.preview.site
            )
        except OSError:
            deck = None
        if status.error is None and status.marked and deck is not None:
            # New slides with sentences marked: the panel says why the PDF would fail.
            page = self._page(
                status.epoch, None, deck, lead_key="preview.marked", details=status.marked
            )
        else:
            page = self._page(status.epoch, status.error, deck, details=status.details)
        self._send(HTTPStatus.OK, page, "text/html; charset=utf-8")

    def _page(
        self,
        epoch: int,
        error: str | None,
        deck: bytes | None,
        lead_key: str | None = None,
        details: tuple[str, ...] = (),
    ) -> bytes:
        """The deck with the preview bar inserted, or the bar alone when there is no deck.

        The error panel lists every message in ``details`` (every failed tie-out, not
        the CLI's "and 5 more"), or the one line ``error`` if there are none.
        """
        t = self.preview.messages
        quarter = self.preview.quarter.name
        if lead_key is None and error is not None:
            lead_key = "preview.build_failed" if deck is not None else "preview.no_deck"
        elif lead_key is None and deck is None:
            lead_key = "preview.building"
        values = {
            "epoch": epoch,
            "title": t("preview.live", quarter=quarter),
            "download": t("preview.download_pdf"),
            "lead": t(lead_key) if lead_key else None,
            "messages": [
                located(t("preview.error", message=message))
                for message in (details or ((error,) if error else ()))
            ],
            "lang": t.language,
        }
        try:
            env = jinja_environment(self.preview.templates)
            if deck is None:
                values["title"] = t("preview.title", quarter=quarter)
                return env.get_template("preview/page.html").render(values).encode()
            bar = env.get_template("preview/bar.html").render(values).encode()
        except (TemplateError, ReportgenError) as exc:
            log.error("preview: cannot render its own bar: %s", exc)
            return f"preview: cannot render its own bar: {exc}".encode()
        for pattern in _INSERT_AFTER:
            found = pattern.search(deck)
            if found:
                return deck[: found.end()] + b"\n" + bar + deck[found.end() :]
        return bar + deck

    def _send_pdf(self) -> None:
        try:
            pdf = self.preview.build_pdf()
            body = pdf.read_bytes()
        except ReportgenError as exc:
            epoch = self.preview.epoch.status.epoch
            page = self._page(
                epoch, str(exc), None, lead_key="preview.pdf_failed", details=exc.details
            )
            self._send(HTTPStatus.INTERNAL_SERVER_ERROR, page, "text/html; charset=utf-8")
            return
        disposition = f'attachment; filename="{pdf.name}"'
        self._send(HTTPStatus.OK, body, "application/pdf", {"Content-Disposition": disposition})

    def _send_events(self, epoch: int | None) -> None:
        """Stream ``reload`` events, one per finished rebuild, until the client leaves."""
        self.close_connection = True
        self.send_response(HTTPStatus.OK)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Cache-Control", "no-store")
        self.send_header("X-Content-Type-Options", "nosniff")
        self.end_headers()
        if self.command == "HEAD":
            return
        seen = -1 if epoch is None else epoch
        try:
            self.wfile.write(b"retry: 1000\n\n")
            self.wfile.flush()
            while True:
                status = self.preview.epoch.wait_past(seen, KEEPALIVE_SECONDS)
                if status is None:
                    return
                if status.epoch == seen:
                    self.wfile.write(b": keep-alive\n\n")
                else:
                    seen = status.epoch
                    self.wfile.write(f"event: reload\ndata: {seen}\n\n".encode())
                self.wfile.flush()
        except (BrokenPipeError, ConnectionResetError):
            return
