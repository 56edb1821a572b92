"""The command line lays the PDF out in a worker started early (``reportgen.layout``).

The test suite's own builds run in process (``lay_out`` directly); these tests run
the command line in new processes, where the worker is used, and check that it
writes what an in-process build writes and fails as one fails.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest

from tests.conftest import ROOT, BuiltDeck, cli_command, edit, written_at

PDF = Path("1Q08") / "IIJ-1Q08-results-en.pdf"
XLSX = Path("1Q08") / "IIJ-1Q08-data.xlsx"


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_worker_writes_the_same_files_as_an_in_process_build(
    tmp_path: Path, iij_1q08: BuiltDeck
) -> None:
    """PDF (labels, attachments, XMP) and data pack byte-identical to the shared build's."""
    result = subprocess.run(cli_command(tmp_path), cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    shared = iij_1q08.out_root
    assert _sha(tmp_path / PDF) == _sha(shared / PDF)
    assert _sha(tmp_path / XLSX) == _sha(shared / XLSX)


def test_worker_reports_an_overflowing_slide_and_keeps_the_last_deck(
    tmp_path: Path, data_copy: Path, iij_1q08: BuiltDeck
) -> None:
    out = iij_1q08.copied_to(tmp_path / "out").out_root
    before = _sha(out / PDF)
    deck = data_copy / "decks" / "1Q08.yaml"
    long_text = "Long commentary. " * 120
    edit(
        deck,
        "    title: Consolidated Balance Sheets\n",
        f"    title: Consolidated Balance Sheets\n    bullets:\n      - '{long_text}'\n",
    )
    result = subprocess.run(
        cli_command(out, data=data_copy), cwd=ROOT, capture_output=True, text=True
    )
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    # As tests/test_bad_input.py::test_long_bullet_fails_clearly: the slide's ``- kind:`` line.
    row = int(written_at(deck, "title: Consolidated Balance Sheets").split(":")[0]) - 2
    where = f'1Q08.yaml:{row}:5, slide 13 (statement, 1Q08) "Consolidated Balance Sheets"'
    assert f"{where}: does not fit on one page (23 pages for 22 slides)" in line
    assert _sha(out / PDF) == before


def test_a_worker_that_dies_fails_the_build_in_one_line(
    tmp_path: Path, iij_1q08: BuiltDeck
) -> None:
    """No hang and no traceback: the build names the PDF and keeps the last deck."""
    out = iij_1q08.copied_to(tmp_path / "out").out_root
    before = _sha(out / PDF)
    # The worker is forked after the patch, so its layout is the dying one.
    argv = cli_command(out)[3:]
    script = textwrap.dedent(
        f"""
        import os, sys
        from reportgen import cli, layout
        layout.lay_out = lambda job, details: os._exit(3)
        layout.allow_prestart()
        sys.exit(cli.main({argv!r}))
        """
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, capture_output=True, text=True, timeout=300
    )
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    (line,) = [line for line in result.stderr.splitlines() if line.startswith("error:")]
    assert "IIJ-1Q08-results-en.pdf: the layout process ended unexpectedly (exit code 3)" in line
    assert _sha(out / PDF) == before
    # No staging folder left behind (they are named ``.1Q08...``).
    assert not [p.name for p in out.iterdir() if p.name.startswith(".1Q08")]


def _debug_build(out: Path) -> subprocess.CompletedProcess[str]:
    command = cli_command(out)
    command[command.index("-q")] = "--debug"
    result = subprocess.run(command, cwd=ROOT, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result


EARLY = "charts: drawn by processes forked from the matplotlib server"


@pytest.mark.usefixtures("own_chart_cache")
def test_a_first_build_draws_its_charts_from_the_early_server_as_a_build_in_process(
    tmp_path: Path, iij_1q08: BuiltDeck
) -> None:
    """An empty chart cache: matplotlib is imported at once, the drawings are the same."""
    first = _debug_build(tmp_path)
    assert EARLY in first.stderr
    drawn = sorted((tmp_path / "1Q08" / "html" / "charts").glob("*.svg"))
    shared = iij_1q08.out_root / "1Q08" / "html" / "charts"
    assert drawn
    assert [p.name for p in drawn] == sorted(p.name for p in shared.glob("*.svg"))
    assert all(p.read_bytes() == (shared / p.name).read_bytes() for p in drawn)
    # Its log is the build's: matplotlib's font warnings stay hidden, as in process.
    assert "findfont" not in first.stderr
    # With the cache full, nothing is started early.
    again = _debug_build(tmp_path)
    assert EARLY not in again.stderr
    assert "charts: 0 drawn" in again.stderr


def _group(pgid: int) -> list[int]:
    """The processes still in process group ``pgid``."""
    found = []
    for stat_file in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat_file.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid:
            found.append(int(stat_file.parent.name))
    return found


def _gone(pgid: int, seconds: float = 10.0) -> bool:
    deadline = time.monotonic() + seconds
    while _group(pgid):
        if time.monotonic() > deadline:
            return False
        time.sleep(0.05)
    return True


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")
@pytest.mark.usefixtures("own_chart_cache")
def test_no_process_outlives_a_build_even_one_killed_while_drawing(tmp_path: Path) -> None:
    """The layout worker, the matplotlib server and its drawing processes end with the build."""
    done = subprocess.Popen(cli_command(tmp_path / "done"), cwd=ROOT, start_new_session=True)
    assert done.wait(timeout=120) == 0
    assert _gone(done.pid), f"left behind: {_group(done.pid)}"
    killed = subprocess.Popen(
        cli_command(tmp_path / "killed"),
        cwd=ROOT,
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    # Killed once the drawing processes exist (the server forks them after the slides).
    deadline = time.monotonic() + 60
    while len(_group(killed.pid)) < 4 and killed.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    assert len(_group(killed.pid)) >= 4, "the build ended before its drawing processes started"
    killed.kill()
    killed.wait()
    assert _gone(killed.pid), f"left behind: {_group(killed.pid)}"
