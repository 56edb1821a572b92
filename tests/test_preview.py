"""The live preview: serves the deck on 127.0.0.1, rebuilds on edits, pushes reloads.

Every wait has a deadline and waits on something (the ready event, the epoch, an
SSE line); nothing sleeps.
"""

from __future__ import annotations

import http.client
import io
import logging
import os
import re
import shutil
import signal
import socket
import struct
import threading
from collections.abc import Callable, Iterator
from html import unescape
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import Browser, Page, Request, ViewportSize, expect, sync_playwright
from pypdf import PdfReader

from reportgen import formatting
from reportgen.data.load import load_dataset
from reportgen.data.validate import validate
from reportgen.errors import CommentaryError, InputError, PreviewError, TieOutError
from reportgen.model.figures import Figure, Figures
from reportgen.model.quarter import QuarterModel
from reportgen.preview import Epoch, PreviewServer
from reportgen.quarters import FiscalCalendar, Quarter
from reportgen.render import TEMPLATES
from reportgen.slides.commentary import Commentary
from reportgen.slides.deck import load_deck_spec
from reportgen.slides.messages import Messages
from tests.conftest import (
    EXAMPLE,
    IIJ,
    BuiltDeck,
    catalogue_of,
    edit,
    require_tool,
    written_at,
)
from tests.test_chart_hotspots import label_points
from tests.test_cli import run
from tests.test_signs import drop_rows
from tests.test_source_documents import figure_as_typed, source_document

# As many sections as the 1Q08 deck file lists slides.
SLIDES = len(load_deck_spec(load_dataset(IIJ), Quarter.parse("1Q08")).slides)
DEADLINE = 60.0  # seconds; generous for 2 shared cores, never reached when things work
SECRET = "not for the browser"


@pytest.fixture
def templates_copy(tmp_path: Path) -> Path:
    """A private copy of templates/, to edit on purpose."""
    target = tmp_path / "templates"
    shutil.copytree(TEMPLATES, target)
    return target


def warm_cache(deck: BuiltDeck, target: Path) -> Path:
    """A private chart cache holding ``deck``'s charts, as ``make report`` leaves it for
    the preview: the first build draws nothing, an edit draws into this cache only."""
    shutil.copytree(deck.out_root / ".cache" / "charts", target)
    return target


@pytest.fixture
def preview(
    data_copy: Path, templates_copy: Path, tmp_path: Path, iij_1q08: BuiltDeck
) -> Iterator[PreviewServer]:
    server = PreviewServer(
        data_copy,
        Quarter.parse("1Q08"),
        port=0,
        templates=templates_copy,
        cache_dir=warm_cache(iij_1q08, tmp_path / "cache"),
    )
    with server:
        assert server.ready.wait(DEADLINE), "the preview did not build and watch in time"
        yield server


@pytest.fixture(scope="module")
def served(
    tmp_path_factory: pytest.TempPathFactory, iij_1q08: BuiltDeck
) -> Iterator[PreviewServer]:
    """One preview of the project's own data for the tests that only read.

    The site gets a symlink to a file and one to a folder outside it, which must
    never be served.
    """
    outside = tmp_path_factory.mktemp("outside")
    (outside / "secret.txt").write_text(SECRET)
    server = PreviewServer(
        IIJ,
        Quarter.parse("1Q08"),
        port=0,
        cache_dir=warm_cache(iij_1q08, tmp_path_factory.mktemp("served") / "cache"),
    )
    with server:
        assert server.ready.wait(DEADLINE), "the preview did not build and watch in time"
        (server.preview.site / "secret.txt").symlink_to(outside / "secret.txt")
        (server.preview.site / "outside").symlink_to(outside, target_is_directory=True)
        yield server


def request(server: PreviewServer, path: str, host: str | None = None) -> tuple[int, str, bytes]:
    """GET ``path`` exactly as given (no client-side normalisation of ``..``)."""
    conn = http.client.HTTPConnection("127.0.0.1", server.httpd.port, timeout=DEADLINE)
    try:
        conn.putrequest("GET", path, skip_host=True)
        conn.putheader("Host", host or f"127.0.0.1:{server.httpd.port}")
        conn.endheaders()
        response = conn.getresponse()
        return response.status, response.getheader("Content-Type") or "", response.read()
    finally:
        conn.close()


def page(server: PreviewServer) -> str:
    status, _, body = request(server, "/")
    assert status == 200
    return body.decode()


def wait_for_page(server: PreviewServer, condition: Callable[[str], bool]) -> str:
    """Wait, rebuild by rebuild, until the served page meets ``condition``."""
    remaining = DEADLINE
    while True:
        seen = server.preview.epoch.status.epoch
        text = page(server)
        if condition(text):
            return text
        status = server.preview.epoch.wait_past(seen, remaining)
        assert status is not None
        assert status.epoch != seen, "no rebuild happened before the deadline"


def next_reload(server: PreviewServer, epoch: int) -> int:
    """Read the SSE stream of a page built at ``epoch`` until it says ``reload``."""
    conn = http.client.HTTPConnection("127.0.0.1", server.httpd.port, timeout=DEADLINE)
    try:
        conn.request("GET", f"/_preview/events?epoch={epoch}")
        response = conn.getresponse()
        assert response.status == 200
        assert response.getheader("Content-Type") == "text/event-stream"
        event = None
        while line := response.fp.readline():
            text = line.decode().rstrip("\n")
            if text.startswith("event: "):
                event = text[7:]
            elif text.startswith("data: ") and event == "reload":
                return int(text[6:])
        raise AssertionError("the event stream ended without a reload")
    finally:
        conn.close()


def text_of(html: str) -> str:
    """The page's text, without tags (figures sit in spans that carry their provenance)."""
    return re.sub(r"<[^>]+>", "", html)


def test_serves_the_deck_on_loopback_only(served: PreviewServer) -> None:
    assert served.httpd.server_address[0] == "127.0.0.1"
    assert served.url == f"http://127.0.0.1:{served.httpd.port}/"
    html = page(served)
    assert html.count('<section class="slide') == SLIDES
    assert 'class="slide-list"' in html
    assert 'href="/_preview/pdf"' in html
    assert 'src="/_preview/live.js"' in html
    assert "preview-error" not in html
    # Provenance on hover: figures keep their title attributes, and their documents for
    # the popover.
    assert re.search(r'<td class="[^"]*"\s+title="[^"]+" data-docs="\[[^"]+\]">', html)
    cited = r' · Sources?: [^"]+, [0-9]{4}-[0-9]{2}-[0-9]{2}'
    assert re.search(r'<span class="fig [^"]*" title="[^"]+' + cited, html)


def test_an_edited_figure_arrives_with_a_reload_event(
    preview: PreviewServer, data_copy: Path
) -> None:
    epoch = preview.preview.epoch.status.epoch
    figure = "new_subsidiaries_operating_loss,{}"
    edit(data_copy / "figures" / "1Q08.csv", figure.format(166), figure.format(177))
    assert next_reload(preview, epoch) > epoch
    wanted = f"JPY {formatting.jpy_million(177)} million"
    wait_for_page(preview, lambda html: wanted in text_of(html))


def test_an_edited_chart_label_gives_a_new_chart(preview: PreviewServer, data_copy: Path) -> None:
    # The operating margin line is on the operating and net income slide's chart; its
    # label is written in the deck file.
    chart = re.compile(r'data-kind="margin".*?<img src="(charts/[0-9a-f]+\.svg)"', re.S)
    before = chart.search(page(preview))
    assert before is not None
    edit(data_copy / "decks" / "1Q08.yaml", "label: Operating Margin Ratio", "label: Margin Zq")
    html = wait_for_page(preview, lambda html: before.group(1) not in html)
    after = chart.search(html)
    assert after is not None
    status, media_type, svg = request(preview, "/" + after.group(1))
    assert (status, media_type) == (200, "image/svg+xml")
    assert b"Margin Zq" in svg


def test_edits_are_drawn_by_kept_processes_and_a_killed_one_is_replaced(
    preview: PreviewServer, data_copy: Path
) -> None:
    """The preview keeps its drawing processes (matplotlib imported once) across edits."""
    drawing = preview.preview.drawing
    assert drawing is not None
    chart = re.compile(r'data-kind="margin".*?<img src="(charts/[0-9a-f]+\.svg)"', re.S)
    deck = data_copy / "decks" / "1Q08.yaml"
    labels = ["Operating Margin Ratio", "Margin Zq", "Margin Zr", "Margin Zs"]

    def relabel(step: int) -> str:
        before = chart.search(page(preview))
        assert before is not None
        edit(deck, f"label: {labels[step]}", f"label: {labels[step + 1]}")
        html = wait_for_page(preview, lambda html: before.group(1) not in html)
        after = chart.search(html)
        assert after is not None
        assert "preview-error" not in html
        return after.group(1)

    relabel(0)
    first = set(drawing.processes)
    assert first
    relabel(1)
    assert first <= set(drawing.processes), "the drawing processes were not kept"
    for pid in drawing.processes:
        os.kill(pid, signal.SIGKILL)
    src = relabel(2)
    status, _, svg = request(preview, "/" + src)
    assert status == 200
    assert b"Margin Zs" in svg
    assert not first & set(drawing.processes)


def test_bad_data_shows_the_error_and_a_fix_clears_it(
    preview: PreviewServer, data_copy: Path
) -> None:
    figures = data_copy / "figures" / "1Q08.csv"
    good = figures.read_text(encoding="utf-8")
    figures.write_text(good.replace('revenue,"16,328"', "revenue,16.3.28"), encoding="utf-8")
    html = wait_for_page(preview, lambda html: "preview-error" in html)
    # The CLI's one-line message, above the last good slides.
    # The file and line are set in bold: compare the text.
    assert "1Q08.csv, line 2 (1Q08): value: '16.3.28' is not a number" in unescape(text_of(html))
    assert html.index("preview-error") < html.index('<section class="slide')
    assert html.count('<section class="slide') == SLIDES
    # The PDF cannot be built either, and says why.
    status, _, body = request(preview, "/_preview/pdf")
    assert status == 500
    assert "value: &#39;16.3.28&#39; is not a number" in body.decode()
    figures.write_text(good, encoding="utf-8")
    html = wait_for_page(preview, lambda html: "preview-error" not in html)
    assert html.count('<section class="slide') == SLIDES


def test_a_script_in_a_bullet_is_shown_as_text(preview: PreviewServer, data_copy: Path) -> None:
    edit(
        data_copy / "decks" / "1Q08.yaml",
        "- Recurring revenues increased",
        "- <script>alert('x')</script> Recurring revenues increased",
    )
    html = wait_for_page(preview, lambda html: "alert(" in html)
    assert "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt;" in html
    assert "<script>alert" not in html


@pytest.mark.parametrize(
    "path",
    [
        "/../../../../etc/passwd",
        "/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
        "/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd",
        "/charts/../../../../etc/passwd",
        "/..%2f..%2f..%2fetc/passwd",
        "/%252e%252e/etc/passwd",
        "//etc/passwd",
        "/%2Fetc%2Fpasswd",
        "/..\\..\\etc\\passwd",
        "/deck.css%00.html",
        "/charts/",
        "/charts",
        "/fonts/",
        "/./deck.css",
        "/secret.txt",
        "/outside",
        "/outside/secret.txt",
        "/nope.html",
    ],
    ids=lambda p: p,
)
def test_only_files_of_the_build_are_served(served: PreviewServer, path: str) -> None:
    status, _, body = request(served, path)
    assert status == 404
    assert SECRET.encode() not in body
    assert b"root:" not in body


def test_build_files_are_served(served: PreviewServer) -> None:
    assert request(served, "/deck.css")[:2] == (200, "text/css; charset=utf-8")
    assert request(served, "/fonts/Lato-Regular.ttf")[:2] == (200, "font/ttf")
    assert request(served, "/_preview/live.js")[0] == 200


def stylesheet_versions(html: str) -> dict[str, str]:
    return dict(re.findall(r'<link rel="stylesheet" href="([^"?]+)\?v=([0-9a-f]+)">', html))


def test_stylesheets_carry_a_version_that_changes_with_them(
    preview: PreviewServer, templates_copy: Path
) -> None:
    """The page learns which stylesheets a rebuild changed (live.js swaps only those)."""
    before = stylesheet_versions(page(preview))
    assert set(before) == {"deck.css", "hotspots.css"}
    with (templates_copy / "css" / "00-base.css").open("a", encoding="utf-8") as css:
        css.write("\n.slide { outline: 1px solid rgb(1, 2, 3); }\n")
    html = wait_for_page(preview, lambda html: stylesheet_versions(html) != before)
    after = stylesheet_versions(html)
    assert after["deck.css"] != before["deck.css"]
    assert after["hotspots.css"] == before["hotspots.css"]
    status, _, body = request(preview, f"/deck.css?v={after['deck.css']}")
    assert status == 200
    assert b"rgb(1, 2, 3)" in body


def conditional_get(server: PreviewServer, path: str, tag: str | None) -> http.client.HTTPResponse:
    conn = http.client.HTTPConnection("127.0.0.1", server.httpd.port, timeout=DEADLINE)
    conn.request("GET", path, headers={"If-None-Match": tag} if tag else {})
    response = conn.getresponse()
    response.read()
    conn.close()
    return response


def test_a_file_the_browser_holds_is_not_sent_again(
    preview: PreviewServer, templates_copy: Path
) -> None:
    """Fonts (8 MB) and charts are revalidated, not downloaded again, until a rebuild
    writes them anew; the deck page itself is never kept."""
    first = conditional_get(preview, "/fonts/Lato-Regular.ttf", None)
    tag = first.getheader("ETag")
    assert first.status == 200
    assert tag
    assert first.getheader("Cache-Control") == "no-cache"
    again = conditional_get(preview, "/fonts/Lato-Regular.ttf", tag)
    assert (again.status, again.getheader("ETag")) == (304, tag)
    assert conditional_get(preview, "/fonts/Lato-Regular.ttf", '"other"').status == 200
    assert conditional_get(preview, "/", tag).getheader("Cache-Control") == "no-store"
    # A rebuild that writes deck.css anew: the browser's copy is stale.
    css = conditional_get(preview, "/deck.css", None)
    with (templates_copy / "css" / "00-base.css").open("a", encoding="utf-8") as sheet:
        sheet.write("\n.slide { outline: 1px solid rgb(1, 2, 3); }\n")
    wait_for_page(
        preview,
        lambda _: conditional_get(preview, "/deck.css", css.getheader("ETag")).status == 200,
    )


def test_another_host_name_is_refused(served: PreviewServer) -> None:
    # What a page on another site would send after rebinding its name to 127.0.0.1.
    status, _, _ = request(served, "/", host=f"attacker.example:{served.httpd.port}")
    assert status == 421


def test_download_builds_the_pdf_on_demand(served: PreviewServer) -> None:
    status, media_type, body = request(served, "/_preview/pdf")
    assert (status, media_type) == (200, "application/pdf")
    assert len(PdfReader(io.BytesIO(body)).pages) == page(served).count('<section class="slide')


def test_a_taken_port_is_a_one_line_error(served: PreviewServer) -> None:
    with pytest.raises(PreviewError, match=rf"127\.0\.0\.1:{served.httpd.port}: cannot serve"):
        PreviewServer(IIJ, Quarter.parse("1Q08"), port=served.httpd.port)


def test_cli_preview_errors_are_one_line(tmp_path: Path) -> None:
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = str(taken.getsockname()[1])
        args = ("preview", "--quarter", "1Q08", "--port", port, "--out", str(tmp_path))
        code, _, err = run(*args)
    assert code == 1
    assert err == (
        f"error: 127.0.0.1:{port}: cannot serve the preview of 1Q08 (Address already in use); "
        "choose another port with --port N (0 picks a free one)\n"
    )
    code, _, err = run("preview", "--quarter", "1Q08", "--data", str(tmp_path / "none"))
    assert code == 2
    assert err.startswith(f"error: {tmp_path / 'none'}: data folder not found")
    assert run("preview", "--quarter", "5Q08")[0] == 2


@pytest.mark.parametrize("port", ["99999", "65536", "-1"])
def test_a_port_out_of_range_is_a_one_line_input_error(tmp_path: Path, port: str) -> None:
    code, _, err = run("preview", "--quarter", "1Q08", "--port", port, "--out", str(tmp_path))
    assert code == 2
    assert err == (
        f"error: --port {port}: not a port for the preview of 1Q08; "
        "expected 0 to 65535 (0 picks a free one)\n"
    )
    with pytest.raises(InputError, match="expected 0 to 65535"):
        PreviewServer(IIJ, Quarter.parse("1Q08"), port=int(port))


def send(
    server: PreviewServer, method: str, path: str, body: bytes | None = None
) -> tuple[int, dict[str, str], bytes]:
    """Send ``method path`` byte for byte as given (UTF-8); the status, headers and body."""
    host = f"127.0.0.1:{server.httpd.port}"
    head = f"{method} {path} HTTP/1.1\r\nHost: {host}\r\nConnection: close\r\n"
    if body is not None:
        head += f"Content-Length: {len(body)}\r\n"
    with socket.create_connection(("127.0.0.1", server.httpd.port), DEADLINE) as client:
        client.sendall(head.encode() + b"\r\n" + (body or b""))
        response = http.client.HTTPResponse(client, method=method)
        response.begin()
        headers = dict(response.getheaders())
        if headers.get("Content-Type") == "text/event-stream":
            return response.status, headers, b""  # a stream does not end: leave it
        return response.status, headers, response.read()


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/_preview/events?epoch=\u0661\u0662", 400),  # Arabic-Indic digits
        ("GET", "/_preview/events?epoch=%D9%A1%D9%A2", 400),  # the same, percent-encoded
        ("GET", "/_preview/events?epoch=%C2%B2", 400),  # superscript two
        ("GET", "/_preview/events?epoch=%EF%BC%91", 400),  # full-width one
        ("GET", "/_preview/events?epoch=abc", 400),
        ("GET", "/_preview/events?epoch=-1", 400),
        ("GET", "/_preview/events?epoch=1e3", 400),
        ("GET", "/_preview/events?epoch=%ff%fe", 400),  # not UTF-8
        ("GET", "/_preview/events?epoch=1%00", 400),
        ("GET", "/_preview/events?epoch=" + "9" * 5000, 400),
        ("GET", "http://[/", 400),  # an authority that does not parse
        ("GET", "/%ff%fe.html", 404),
        ("GET", "/deck.css?x=%ff", 200),
        ("GET", "/" + "a" * 70000, 414),
        ("POST", "/", 405),
        ("POST", "/_preview/pdf", 405),
        ("PUT", "/deck.css", 405),
        ("DELETE", "/deck.css", 405),
        ("OPTIONS", "*", 405),
        ("PATCH", "/", 405),
        ("BREW", "/", 405),
    ],
    ids=lambda v: str(v)[:40],
)
def test_malformed_requests_get_a_clean_answer(
    served: PreviewServer,
    capfd: pytest.CaptureFixture[str],
    caplog: pytest.LogCaptureFixture,
    method: str,
    path: str,
    status: int,
) -> None:
    body = b"x=1" if method in ("POST", "PUT", "PATCH") else None
    answer, headers, _ = send(served, method, path, body)
    assert answer == status
    if status == 405:
        assert headers["Allow"] == "GET, HEAD"
    assert "Traceback" not in capfd.readouterr().err
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


def test_head_of_the_event_stream_ends_at_once(served: PreviewServer) -> None:
    status, headers, body = send(served, "HEAD", "/_preview/events?epoch=0")
    assert (status, headers["Content-Type"], body) == (200, "text/event-stream", b"")
    assert send(served, "HEAD", "/deck.css")[0] == 200


def test_an_aborted_download_is_logged_quietly(
    served: PreviewServer, capfd: pytest.CaptureFixture[str], caplog: pytest.LogCaptureFixture
) -> None:
    # Far more than the socket buffers hold, so the server is still writing when the
    # browser resets the connection.
    (served.preview.site / "large.bin").write_bytes(bytes(32 * 2**20))
    noted = threading.Event()

    class Note(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            noted.set()

    note = Note()
    logger = logging.getLogger("reportgen.preview_http")
    caplog.set_level(logging.DEBUG, logger=logger.name)
    logger.addHandler(note)
    try:
        with socket.create_connection(("127.0.0.1", served.httpd.port), DEADLINE) as client:
            client.sendall(
                f"GET /large.bin HTTP/1.1\r\nHost: 127.0.0.1:{served.httpd.port}\r\n\r\n".encode()
            )
            assert client.recv(64).startswith(b"HTTP/1.1 200")
            # Close with a reset, as a browser does when a download is cancelled.
            client.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        left = [r for r in caplog.records if "left early" in r.getMessage()]
        while not left:
            assert noted.wait(DEADLINE), "the aborted download was not logged"
            noted.clear()
            left = [r for r in caplog.records if "left early" in r.getMessage()]
    finally:
        logger.removeHandler(note)
    assert [r.levelno for r in left] == [logging.DEBUG]
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []
    assert "Traceback" not in capfd.readouterr().err


@pytest.mark.parametrize("how", ["deleted", "renamed away"])
def test_edits_are_seen_after_the_data_folder_is_replaced(
    preview: PreviewServer, data_copy: Path, tmp_path: Path, how: str
) -> None:
    """``git checkout`` or a sync tool replaces the folder: the preview must keep watching."""
    figure = "new_subsidiaries_operating_loss,{}"
    replacement = tmp_path / "replacement"
    shutil.copytree(data_copy, replacement)
    edit(replacement / "figures" / "1Q08.csv", figure.format(166), figure.format(177))
    if how == "deleted":
        shutil.rmtree(data_copy)
    else:
        data_copy.rename(tmp_path / "previous")
    replacement.rename(data_copy)
    wanted = f"JPY {formatting.jpy_million(177)} million"
    wait_for_page(preview, lambda html: wanted in text_of(html) and "preview-error" not in html)
    # And the new folder is watched: an edit made in it now arrives too.
    edit(data_copy / "figures" / "1Q08.csv", figure.format(177), figure.format(188))
    wanted = f"JPY {formatting.jpy_million(188)} million"
    wait_for_page(preview, lambda html: wanted in text_of(html))


def test_epoch_wakes_waiters_and_releases_them_on_close() -> None:
    epoch = Epoch()
    assert epoch.wait_past(0, timeout=0) == epoch.status
    advanced = epoch.advance("boom")
    assert advanced.epoch == 1
    assert epoch.wait_past(0, timeout=DEADLINE) == advanced
    epoch.close()
    assert epoch.wait_past(1, timeout=DEADLINE) is None


def test_no_temporary_folder_is_left_behind(data_copy: Path, tmp_path: Path) -> None:
    server = PreviewServer(data_copy, Quarter.parse("1Q08"), port=0, cache_dir=tmp_path / "c")
    with server:
        assert server.ready.wait(DEADLINE)
        assert (server.preview.site / "index.html").is_file()
        workdir = server.workdir
    assert not workdir.exists()
    assert (tmp_path / "c").is_dir()


# -- in a browser: Playwright driving Debian's Chromium -------------------------------

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT: ViewportSize = {"width": 1300, "height": 900}
SLIDE_PX = (960, 540)  # 10in x 5.625in at the CSS 96 px per inch


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    executable = require_tool("chromium", CHROMIUM)
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(executable), args=CHROMIUM_ARGS)
        yield chromium
        chromium.close()


@pytest.fixture
def tab(browser: Browser) -> Iterator[tuple[Page, list[str]]]:
    """A fresh page, and the console errors and page errors it logs."""
    context = browser.new_context(viewport=VIEWPORT)
    page = context.new_page()
    errors: list[str] = []
    page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page, errors
    context.close()


def test_browser_shows_every_slide_at_slide_size(
    served: PreviewServer, tab: tuple[Page, list[str]]
) -> None:
    page, errors = tab
    page.goto(served.url, wait_until="networkidle")
    slides = page.locator("section.slide")
    assert slides.count() == SLIDES
    for slide in slides.all():
        slide.scroll_into_view_if_needed()
        expect(slide).to_be_in_viewport()
        box = slide.bounding_box()
        assert box is not None
        assert (round(box["width"]), round(box["height"])) == SLIDE_PX
    # Charts and fonts loaded: the chart has a size of its own.
    assert page.eval_on_selector(".chart img", "img => img.naturalWidth") > 0
    assert page.evaluate("document.fonts.check('10pt Lato')")
    assert errors == []


def test_browser_slide_list_jumps_below_the_bar(
    served: PreviewServer, tab: tuple[Page, list[str]]
) -> None:
    page, errors = tab
    page.goto(served.url, wait_until="networkidle")
    page.click("nav.slide-list a[href='#slide-3']")
    bar = page.locator(".preview-bar").bounding_box()
    slide = page.locator("#slide-3").bounding_box()
    assert bar is not None
    assert slide is not None
    assert bar["y"] + bar["height"] <= slide["y"] < VIEWPORT["height"] / 2
    # Hovering a figure shows where it comes from.
    figure = page.locator("td[title]").first
    assert "Source: " in (figure.get_attribute("title") or "")
    figure.hover()
    highlight = figure.evaluate("td => getComputedStyle(td).backgroundColor")
    assert highlight == "rgb(255, 244, 194)"
    assert errors == []


def asked_for(page: Page) -> list[str]:
    """The paths the page asks the server for from now on (the event stream aside)."""
    paths: list[str] = []

    def note(request: Request) -> None:
        path = urlsplit(request.url).path
        if path != "/_preview/events":
            paths.append(path)

    page.on("request", note)
    return paths


def test_browser_updates_in_place_after_an_edit(
    preview: PreviewServer, data_copy: Path, tab: tuple[Page, list[str]]
) -> None:
    """A text edit reaches the page without a reload; an error shows above, a fix clears it."""
    page, errors = tab
    page.goto(preview.url, wait_until="networkidle")
    page.evaluate("window.notReloaded = true")
    asked = asked_for(page)
    edit(data_copy / "decks" / "1Q08.yaml", "accumulation of recurring", "growth of recurring")
    expect(page.locator("#slide-2")).to_contain_text("growth of recurring", timeout=DEADLINE * 1000)
    assert page.evaluate("window.notReloaded") is True
    # Only the deck itself is fetched again: no stylesheet, font or chart changed.
    assert asked == ["/"]
    # Bad data: the panel appears above the slides, which stay; a fix clears it.
    figures = data_copy / "figures" / "1Q08.csv"
    good = figures.read_text(encoding="utf-8")
    figures.write_text(good.replace('revenue,"16,328"', "revenue,16.3.28"), encoding="utf-8")
    panel = page.locator(".preview-error")
    expect(panel).to_contain_text("is not a number", timeout=DEADLINE * 1000)
    expect(panel.locator(".preview-where").first).to_have_text(re.compile(r"1Q08\.csv, line 2$"))
    expect(page.locator("section.slide")).to_have_count(SLIDES)
    figures.write_text(good, encoding="utf-8")
    expect(panel).to_have_count(0, timeout=DEADLINE * 1000)
    expect(page.locator("#slide-2")).to_contain_text("growth of recurring")
    assert page.evaluate("window.notReloaded") is True
    assert errors == []


def test_browser_swaps_only_the_slides_a_figure_edit_changed(
    preview: PreviewServer, data_copy: Path, tab: tuple[Page, list[str]]
) -> None:
    """The edited slide shows the new value; the others are the very same nodes, the
    reader stays where they were, and unchanged charts and fonts are not fetched again."""
    page, errors = tab
    page.goto(preview.url, wait_until="networkidle")
    edited = page.locator(
        "main > section.slide", has_text="Operating loss from 4 newly established subsidiaries was"
    )
    expect(edited).to_have_count(1)
    edited_id = edited.get_attribute("id")
    old = formatting.jpy_million(166)
    expect(edited).to_contain_text(f"JPY {old} million")
    edited.scroll_into_view_if_needed()
    page.evaluate("window.scrollBy(0, 123)")  # somewhere no anchor would put the reader
    scrolled = page.evaluate("window.scrollY")
    assert scrolled > 0
    # Every slide and chart as it is now, to compare after the edit.
    page.evaluate(
        """() => {
            window.notReloaded = true;
            window.slidesBefore = [...document.querySelectorAll("main > section.slide")];
        }"""
    )
    charts_before = set(page.eval_on_selector_all(".chart img", "els => els.map(e => e.src)"))
    asked = asked_for(page)
    figure = "new_subsidiaries_operating_loss,{}"
    edit(data_copy / "figures" / "1Q08.csv", figure.format(166), figure.format(177))
    new = formatting.jpy_million(177)
    expect(page.locator(f"#{edited_id}")).to_contain_text(
        f"JPY {new} million", timeout=DEADLINE * 1000
    )
    page.wait_for_load_state("networkidle")
    assert page.evaluate("window.notReloaded") is True
    same = page.evaluate(
        """() => window.slidesBefore.map(
            (node) => node.isConnected && document.getElementById(node.id) === node)"""
    )
    ids = page.eval_on_selector_all("main > section.slide", "els => els.map(e => e.id)")
    assert len(same) == len(ids) == SLIDES
    replaced = [slide for slide, kept in zip(ids, same, strict=True) if not kept]
    # The edited slide is new; most slides are untouched (the figure is on few of them).
    assert edited_id in replaced
    assert len(replaced) < SLIDES // 2
    assert "slide-1" not in replaced
    assert page.evaluate("window.scrollY") == scrolled
    # Only the deck, and charts that were not on the page before, were fetched.
    charts_now = set(page.eval_on_selector_all(".chart img", "els => els.map(e => e.src)"))
    new_charts = {urlsplit(src).path for src in charts_now - charts_before}
    assert asked[0] == "/"
    assert set(asked[1:]) <= new_charts | {"/hotspots.css"}, asked
    assert not [path for path in asked if path.startswith("/fonts/")]
    # The new slide keeps its draft mark; hotspots and popovers work on it as on the others.
    expect(page.locator(f"#{edited_id} .footer-draft")).to_be_visible()
    page.locator(f"#{edited_id} [data-docs][title]").first.click()
    expect(page.locator(".figure-popover")).to_be_visible()
    assert errors == []


def test_browser_takes_a_css_edit_without_a_reload(
    preview: PreviewServer, templates_copy: Path, tab: tuple[Page, list[str]]
) -> None:
    page, errors = tab
    page.goto(preview.url, wait_until="networkidle")
    page.evaluate("window.notReloaded = true")
    slide = page.locator("#slide-3")
    before = slide.evaluate("node => getComputedStyle(node).outlineColor")
    assert before != "rgb(1, 2, 3)"
    with (templates_copy / "css" / "00-base.css").open("a", encoding="utf-8") as css:
        css.write("\n.slide { outline: 1px solid rgb(1, 2, 3); }\n")
    expect(slide).to_have_css("outline-color", "rgb(1, 2, 3)", timeout=DEADLINE * 1000)
    assert page.evaluate("window.notReloaded") is True
    # One stylesheet each, the new one: the old is gone once the new one has loaded.
    hrefs = page.eval_on_selector_all(
        "head link[rel=stylesheet]", "links => links.map(l => l.getAttribute('href'))"
    )
    assert [href.split("?")[0] for href in hrefs] == ["deck.css", "hotspots.css"]
    assert errors == []


def test_browser_prints_one_slide_per_page(
    served: PreviewServer, tab: tuple[Page, list[str]]
) -> None:
    page, _ = tab
    page.goto(served.url, wait_until="networkidle")
    pdf = PdfReader(io.BytesIO(page.pdf(prefer_css_page_size=True, print_background=True)))
    assert len(pdf.pages) == page.locator("section.slide").count()
    # 10in x 5.625in in points; no page carries the preview's bar.
    for sheet in pdf.pages:
        assert (round(sheet.mediabox.width), round(sheet.mediabox.height)) == (720, 405)
        assert "Download PDF" not in sheet.extract_text()


# -- the error panel and the slide list ----------------------------------------------

# Two tie-outs broken at once in 1Q08: corporate connectivity by service, and net income.
TWO_TIE_OUTS = (
    ('revenue_ip_service,"2,270"', 'revenue_ip_service,"2,370"'),
    ("income_tax,213", "income_tax,313"),
)


def break_two_tie_outs(data: Path) -> tuple[str, ...]:
    """Break two tie-outs in ``data``; every error message the checks then give."""
    for old, new in TWO_TIE_OUTS:
        edit(data / "figures" / "1Q08.csv", old, new)
    with pytest.raises(TieOutError) as failed:
        validate(load_dataset(data))
    return failed.value.details


def test_a_tie_out_error_is_one_line_and_carries_every_failure(data_copy: Path) -> None:
    details = break_two_tie_outs(data_copy)
    assert len(details) >= 2
    assert any("tie-out 'corporate connectivity revenue by service' fails" in d for d in details)
    assert any("tie-out 'net income' fails for 1Q08" in d for d in details)
    assert all("more; run" not in d and "1Q08.csv" in d for d in details)
    # The CLI's line names the first and counts the rest.
    with pytest.raises(TieOutError) as failed:
        validate(load_dataset(data_copy))
    assert str(failed.value) == f"{details[0]} (and {len(details) - 1} more; run 'reportgen check')"


def test_every_tie_out_error_reaches_the_page(preview: PreviewServer, data_copy: Path) -> None:
    details = break_two_tie_outs(data_copy)
    html = unescape(text_of(wait_for_page(preview, lambda html: "preview-error" in html)))
    for message in details:
        assert message in html
    assert "more; run" not in html
    assert preview.preview.epoch.status.details == details


def test_slides_of_data_that_fails_its_checks_are_never_shown(
    preview: PreviewServer, data_copy: Path
) -> None:
    """The checks run while the edit's charts are drawn; failing, they publish nothing."""
    # The figure the first broken tie-out changes, as the slides print it before and after.
    shown, broken = (row.split(",", 1)[1].strip('"') for row in TWO_TIE_OUTS[0])
    assert shown in text_of(page(preview))
    break_two_tie_outs(data_copy)
    html = wait_for_page(preview, lambda html: "preview-error" in html)
    slides = html[html.index('<section class="slide') :]
    assert shown in text_of(slides)
    assert broken not in text_of(slides)


def test_browser_error_panel_stays_in_view_and_lists_every_error(
    preview: PreviewServer, data_copy: Path, tab: tuple[Page, list[str]]
) -> None:
    page, errors = tab
    page.goto(preview.url, wait_until="networkidle")
    bottom = "window.scrollTo(0, document.documentElement.scrollHeight)"
    page.evaluate(bottom)
    assert page.evaluate("window.scrollY") > 10 * VIEWPORT["height"]
    details = break_two_tie_outs(data_copy)
    panel = page.locator(".preview-error")
    expect(panel).to_contain_text("tie-out 'net income'", timeout=DEADLINE * 1000)
    page.wait_for_load_state("networkidle")
    page.evaluate(bottom)  # wherever the reload left the reader: at the bottom again
    assert page.evaluate("window.scrollY") > 10 * VIEWPORT["height"]
    box = panel.bounding_box()
    assert box is not None
    assert 0 <= box["y"] < VIEWPORT["height"]
    assert box["y"] + box["height"] <= VIEWPORT["height"] / 2, "the panel hides the slides"
    expect(panel).to_be_in_viewport()
    # Every error, each its own item naming its file; no "and 1 more".
    items = panel.locator(".preview-message")
    expect(items).to_have_count(len(details))
    for item, message in zip(items.all(), details, strict=True):
        expect(item).to_have_text(f"error: {message}")
        expect(item.locator(".preview-where")).to_have_text(re.compile(r"figures/1Q08\.csv$"))
    expect(panel).not_to_contain_text("more; run")
    # The slide list beside it stays in view.
    expect(page.locator("nav.slide-list a[href='#slide-2']")).to_be_in_viewport()
    assert errors == []


def test_a_file_and_line_are_set_in_bold(preview: PreviewServer, data_copy: Path) -> None:
    edit(data_copy / "figures" / "1Q08.csv", 'revenue,"16,328"', "revenue,16.3.28")
    html = wait_for_page(preview, lambda html: "preview-error" in html)
    assert re.search(r'<strong class="preview-where">[^<]*1Q08\.csv, line 2</strong>', html)


def test_a_deck_files_line_and_column_are_set_in_bold(
    preview: PreviewServer, data_copy: Path
) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    edit(deck, "{{ 'sga'|yoy }}", "{{ 'sga'|yoy_dri }}")
    html = wait_for_page(preview, lambda html: "preview-error" in html)
    where = rf"1Q08\.yaml:{written_at(deck, 'yoy_dri')}"
    assert re.search(rf'<strong class="preview-where">[^<]*{where}</strong>, slide ', html)


def test_browser_slide_list_is_numbered_once_as_printed(
    served: PreviewServer, tab: tuple[Page, list[str]]
) -> None:
    page, errors = tab
    page.goto(served.url, wait_until="networkidle")
    items = page.locator("nav.slide-list li")
    assert items.count() == SLIDES
    # What the reader sees: each item's marker (if the list draws one) and its text.
    seen = items.evaluate_all(
        """items => items.map(li => {
            const style = getComputedStyle(li);
            const marker = style.display === "list-item" && style.listStyleType !== "none";
            return (marker ? `${[...li.parentNode.children].indexOf(li) + 1}. ` : "")
                + li.innerText.trim();
        })"""
    )
    assert seen[0] == "1st Quarter FY2008 Consolidated Financial Results"  # the cover
    assert seen[1] == "1 Consolidated Financial Results for 1Q FY2008"
    assert "Ref. 1 Forecast for FY2008" in seen
    assert not [text for text in seen if re.match(r"\d+\. (\d+|Ref\.)", text)]
    assert not [text for text in seen if re.match(r"(\d+|Ref\. \d+)\. ", text)]
    assert errors == []


def test_every_error_of_a_bad_row_reaches_the_page(preview: PreviewServer, data_copy: Path) -> None:
    """A row that breaks two rules: the CLI says "(and 1 more)", the panel shows both."""
    edit(
        data_copy / "figures" / "1Q08.csv",
        'revenue,"16,328",S1,published,',
        "revenue,16.3.28,S1,bogus,",
    )
    html = wait_for_page(preview, lambda html: "preview-error" in html)
    assert html.count('<li class="preview-message">') == 2
    shown = unescape(text_of(html))
    assert "1Q08.csv, line 2 (1Q08): status: Input should be 'published'" in shown
    assert "1Q08.csv, line 2 (1Q08): value: '16.3.28' is not a number" in shown
    assert "(and 1 more)" not in shown
    assert (preview.preview.epoch.status.error or "").endswith("(and 1 more)")


def test_browser_slide_list_jumps_below_the_error_panel(
    preview: PreviewServer, data_copy: Path, tab: tuple[Page, list[str]]
) -> None:
    page, errors = tab
    page.goto(preview.url, wait_until="networkidle")
    break_two_tie_outs(data_copy)
    panel = page.locator(".preview-error")
    expect(panel).to_contain_text("tie-out 'net income'", timeout=DEADLINE * 1000)
    page.wait_for_load_state("networkidle")
    page.click("nav.slide-list a[href='#slide-14']")
    shown = panel.bounding_box()
    slide = page.locator("#slide-14").bounding_box()
    assert shown is not None
    assert slide is not None
    assert shown["y"] + shown["height"] <= slide["y"] < VIEWPORT["height"] / 2
    # Folded, the panel is one line and the slide still lands just below it.
    page.click("summary.preview-lead")
    page.click("nav.slide-list a[href='#slide-3']")
    shown = panel.bounding_box()
    slide = page.locator("#slide-3").bounding_box()
    assert shown is not None
    assert slide is not None
    assert shown["height"] < 60
    assert shown["y"] + shown["height"] <= slide["y"] < shown["y"] + shown["height"] + 40
    assert errors == []


def test_a_missing_figure_in_a_sentence_shows_marked_and_its_error_listed(
    templates_copy: Path, tmp_path: Path
) -> None:
    """The preview shows the new slides with the sentence marked and lists the error
    the distribution build fails with; the CLI build of the same data still fails."""
    data = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, data)
    server = PreviewServer(
        data, Quarter.parse("1Q25"), port=0, templates=templates_copy, cache_dir=tmp_path / "c"
    )
    with server:
        assert server.ready.wait(DEADLINE), "the preview did not build and watch in time"
        assert "preview-error" not in page(server)
        assert "<mark" not in page(server)
        # Without them, SG&A for 1Q24 cannot be derived: its YoY change is missing.
        drop_rows(data, "1Q24", "sga", "sga_rnd", "operating_income")
        html = wait_for_page(server, lambda html: "preview-error" in html)
        marked = server.preview.epoch.status.marked
        # The PDF is the distribution build: it still fails.
        status, _, body = request(server, "/_preview/pdf")
        assert status == 500
        assert "sga 1Q24 is not available in this data set" in unescape(body.decode())
    # The new slides (not the last good ones), the figure marked inside its bullet.
    assert html.count('<section class="slide') == len(
        load_deck_spec(load_dataset(data), Quarter.parse("1Q25")).slides
    )
    mark = (
        '<mark class="fig missing st-missing" title="sga 1Q24 is not available in this '
        'data set">n/a</mark>'
    )
    bullets = re.findall(r'<li class="[^"]*\bmissing">(.*?)</li>', html, re.S)
    assert any(b.startswith("SG&amp;A expenses were " + mark + " YoY") for b in bullets)
    text = unescape(text_of(html))
    assert "Figures are missing in the sentences marked below" in text
    assert "could not be built" not in text
    # The panel lists the very line the CLI prints, each marked figure's.
    code, _, err = run(
        "build", "--quarter", "1Q25", "--data", str(data), "--out", str(tmp_path / "out")
    )
    assert code == 2
    (line,) = [x for x in err.splitlines() if x.startswith("error: ")]
    assert line.removeprefix("error: ") == marked[0]
    assert re.search(r"decks/1Q25\.yaml:\d+:\d+, slide 1 \(statement, 1Q25\) ", line)
    assert "placeholder 'sga'|yoy_dir: sga 1Q24 is not available in this data set" in line
    assert len(marked) == 3
    for message in marked:
        assert f"error: {message}" in text
    assert not (tmp_path / "out" / "1Q25").exists()


def test_browser_marks_a_missing_figure_in_place(
    templates_copy: Path, tmp_path: Path, tab: tuple[Page, list[str]]
) -> None:
    """A figure gone missing: the new slides arrive with it marked, and the panel says why."""
    data = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, data)
    server = PreviewServer(
        data, Quarter.parse("1Q25"), port=0, templates=templates_copy, cache_dir=tmp_path / "c"
    )
    page, errors = tab
    with server:
        assert server.ready.wait(DEADLINE), "the preview did not build and watch in time"
        page.goto(server.url, wait_until="networkidle")
        page.evaluate("window.notReloaded = true")
        drop_rows(data, "1Q24", "sga", "sga_rnd", "operating_income")
        mark = page.locator("main > section.slide li.missing mark.fig.missing")
        expect(mark.first).to_be_visible(timeout=DEADLINE * 1000)
        expect(page.locator(".preview-panel .preview-message").first).to_contain_text(
            "sga 1Q24 is not available in this data set"
        )
        assert page.evaluate("window.notReloaded") is True
    assert errors == []


def test_only_a_placeholder_whose_figure_is_missing_is_lenient() -> None:
    # SG&A for 1Q25 only: its year-ago figure (1Q24) is missing.
    figure = Figure("sga", "1Q25", 100.0, "published", "S1")
    model = QuarterModel(
        Figures({("sga", "1Q25"): figure}, catalogue_of(EXAMPLE)),
        Quarter.parse("1Q25"),
        FiscalCalendar(4),
    )
    messages = Messages.load(TEMPLATES, "en")
    strict = Commentary(model, "deck.yaml", messages)
    with pytest.raises(CommentaryError) as failed:
        strict.text("SG&A was {{ 'sga'|yoy_dir }} YoY")
    lenient = Commentary(model, "deck.yaml", messages, lenient=True)
    shown = lenient.text("SG&A was {{ 'sga'|yoy_dir }} YoY")
    assert shown == (
        'SG&amp;A was <mark class="fig missing st-missing" '
        'title="sga 1Q24 is not available in this data set">n/a</mark> YoY'
    )
    assert lenient.marked() == (str(failed.value),)
    (bullet,) = lenient.bullets(("{{ 'sga'|m }} and {{ 'sga'|qoq }}",))
    assert bullet.missing
    assert len(lenient.marked()) == 2
    # An unknown item, or a test on a missing figure, fails even here.
    with pytest.raises(CommentaryError, match="unknown item"):
        lenient.text("{{ 'sgaa'|m }}")
    with pytest.raises(CommentaryError, match="not available"):
        lenient.text("{% if 'sga'|is_loss('1Q24') %}loss{% endif %}")


# -- chart values hover (issue 17) -------------------------------------------------------


def test_browser_chart_value_hovers_and_links_its_document(
    served: PreviewServer, tab: tuple[Page, list[str]]
) -> None:
    """Over the revenue chart's 1Q08 SI label: a hotspot naming the item, period and document.

    The label's place is read from the chart's SVG, the value and document from the
    data files: the test points where the label is printed, as a reader would.
    """
    page, errors = tab
    page.goto(served.url, wait_until="networkidle")
    value = figure_as_typed("revenue_si", "1Q08")
    document = source_document("revenue_si", "1Q08")
    chart = page.locator("section[data-label^='2. '] figure.chart")
    chart.scroll_into_view_if_needed()
    image = chart.locator("img")
    box = image.bounding_box()
    assert box is not None
    # The hotspots' layer lies exactly over the image.
    assert chart.locator(".hotspots").bounding_box() == box
    src = image.get_attribute("src")
    assert src is not None
    ((x, y),) = label_points(served.preview.site / src)[value]
    page.mouse.move(box["x"] + x * box["width"], box["y"] + y * box["height"])
    hovered = page.locator(".hotspot:hover")
    expect(hovered).to_have_count(1)
    title = hovered.get_attribute("title") or ""
    assert title.startswith(f"{catalogue_of(IIJ).label('revenue_si')}, 1Q08 · published · ")
    assert f"Source: {document['title']}, {document['date']}" in title
    assert (hovered.get_attribute("aria-label") or "").startswith(f"{value}: {title}")
    # Focused (Tab, or a click), it opens the popover: the same facts and the link.
    hovered.focus()
    popover = page.locator(".figure-popover")
    expect(popover).to_be_visible()
    expect(popover).to_contain_text(f"{catalogue_of(IIJ).label('revenue_si')}, 1Q08")
    link = popover.locator(f"a[href='{document['url']}']")
    expect(link).to_have_text(f"{document['title']}, {document['date']}")
    page.keyboard.press("Escape")
    expect(popover).to_be_hidden()
    # A table cell opens it too, on a click.
    page.locator("td[data-docs]").first.click()
    expect(popover).to_be_visible()
    expect(popover.locator("a[href^='https://']").first).to_be_attached()
    assert errors == []
