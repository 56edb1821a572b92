"""Publishing is all or nothing: a quarter folder shows the old deck or the new one, not a mix."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TypeVar

import pytest

from reportgen import pdf, publish
from reportgen.build import build
from reportgen.data.load import load_dataset
from reportgen.errors import RenderError
from reportgen.quarters import Quarter
from tests.conftest import (
    EXAMPLE,
    IIJ,
    RETAILER,
    ROOT,
    BuiltDeck,
    DeckShelf,
    cli_command,
    edit,
    pdf_pages,
)
from tests.test_cli import run

Q = Quarter.parse("1Q08")
T = TypeVar("T")
TITLE = "1st Quarter FY2008 Consolidated Financial Results"
NEW_TITLE = "1st Quarter FY2008 Results, Revised Edition"


def snapshot(folder: Path) -> dict[str, str]:
    """Every file under ``folder`` (relative path) with the sha256 of its bytes."""
    return {
        str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
        for p in sorted(folder.rglob("*"))
        if p.is_file()
    }


def leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name not in (".cache", "1Q08"))


@dataclass(frozen=True)
class Builds:
    """An output folder with the English and Japanese decks, and a newer English deck."""

    old: Path  # out root holding 1Q08 in both editions
    new: Path  # out root holding 1Q08 (English) built from data whose title changed
    new_data: Path


@pytest.fixture(scope="module")
def builds(shelf: DeckShelf, iij_1q08: BuiltDeck) -> Builds:
    """Made once for the run (conftest's shelf); tests copy the folders they change."""
    return shelf.once("publish-builds", lambda root: _builds(root, iij_1q08))


def _builds(root: Path, iij_1q08: BuiltDeck) -> Builds:
    old, new, data = root / "old", root / "new", root / "data"
    iij_1q08.copied_to(old)  # the English deck, as `build(IIJ, Q, old)` leaves it
    english = snapshot(old / "1Q08")
    build(IIJ, Q, old, edition="ja")
    # The Japanese build publishes its files beside the English ones, which stay as they were.
    assert {k: v for k, v in snapshot(old / "1Q08").items() if k in english} == english
    assert "IIJ-1Q08-results-ja.pdf" in snapshot(old / "1Q08")
    shutil.copytree(IIJ, data)
    edit(data / "decks" / "1Q08.yaml", f"title: {TITLE}", f"title: {NEW_TITLE}")
    build(data, Q, new)
    assert NEW_TITLE in pdf_pages(new / "1Q08" / "IIJ-1Q08-results-en.pdf")[0]
    old_files, new_files = snapshot(old / "1Q08"), snapshot(new / "1Q08")
    # The new deck differs in every English file, so an in-place overwrite shows.
    for name in ("IIJ-1Q08-results-en.pdf", "IIJ-1Q08-data.xlsx", "html/index.html"):
        assert old_files[name] != new_files[name]
    return Builds(old, new, data)


def failing_on(call: int, error: BaseException) -> Callable[..., bool]:
    """``publish._move`` that raises ``error`` on its ``call``-th call (1-based)."""
    real = publish._move
    calls = [0]

    def move(source: Path, target: Path, *, exchange: bool = False) -> bool:
        calls[0] += 1
        if calls[0] == call:
            raise error
        return real(source, target, exchange=exchange)

    return move


def count_moves(monkeypatch: pytest.MonkeyPatch, out: Path, builds: Builds) -> int:
    """How many moves a successful publish of the new deck makes."""
    real, calls = publish._move, [0]

    def move(source: Path, target: Path, *, exchange: bool = False) -> bool:
        calls[0] += 1
        return real(source, target, exchange=exchange)

    monkeypatch.setattr(publish, "_move", move)
    publish_new(out, builds)
    monkeypatch.setattr(publish, "_move", real)
    return calls[0]


def publish_new(out: Path, builds: Builds) -> None:
    """Stage the new English deck's files as a build does, then publish them."""
    with publish.staging(out, "1Q08") as stage:
        for entry in (builds.new / "1Q08").iterdir():
            target = stage / "new" / entry.name
            if entry.is_dir():
                shutil.copytree(entry, target)
            else:
                shutil.copyfile(entry, target)
        publish.publish(stage, out / "1Q08")


def no_exchange(first: Path, second: Path) -> bool:
    return False


@pytest.mark.parametrize("exchange", [True, False], ids=["renameat2", "two-renames"])
@pytest.mark.parametrize(
    "error", [OSError(28, "No space left on device"), KeyboardInterrupt()], ids=["enospc", "ctrl-c"]
)
def test_a_failure_at_any_step_leaves_exactly_the_old_deck(
    builds: Builds,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    exchange: bool,
    error: BaseException,
) -> None:
    if not exchange:
        monkeypatch.setattr(publish, "_exchange", no_exchange)
    before = snapshot(builds.old / "1Q08")
    out = tmp_path / "counted"
    shutil.copytree(builds.old, out)
    steps = count_moves(monkeypatch, out, builds)
    assert steps >= (4 if exchange else 6)
    for call in range(1, steps + 1):
        out = tmp_path / f"fail-{call}"
        shutil.copytree(builds.old, out)
        monkeypatch.setattr(publish, "_move", failing_on(call, error))
        with pytest.raises(type(error)):
            publish_new(out, builds)
        assert snapshot(out / "1Q08") == before, f"a mix after a failure at step {call}"
        assert leftovers(out) == []
    # And once nothing fails, the new English files replace the old ones, the
    # Japanese ones stay as they were.
    monkeypatch.setattr(publish, "_move", failing_on(0, error))
    out = tmp_path / "ok"
    shutil.copytree(builds.old, out)
    publish_new(out, builds)
    after, new = snapshot(out / "1Q08"), snapshot(builds.new / "1Q08")
    assert {k: v for k, v in after.items() if k in new} == new
    assert {k: v for k, v in after.items() if k not in new} == {
        k: v for k, v in before.items() if k not in new
    }
    assert any("-ja" in k for k in after)


def test_a_build_that_fails_while_publishing_keeps_the_old_deck(
    builds: Builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Through ``build``: the last step (the swap) fails, and the PDF, xlsx and HTML are old."""
    out = tmp_path / "out"
    shutil.copytree(builds.old, out)
    before = snapshot(out / "1Q08")
    steps = count_moves(monkeypatch, tmp_path / "counted", builds)
    monkeypatch.setattr(publish, "_move", failing_on(steps, OSError(5, "Input/output error")))
    with pytest.raises(RenderError, match=r"1Q08.*: cannot write the deck \(Input/output error\)"):
        build(builds.new_data, Q, out)
    assert snapshot(out / "1Q08") == before
    assert TITLE in pdf_pages(out / "1Q08" / "IIJ-1Q08-results-en.pdf")[0]
    assert leftovers(out) == []


def test_a_pdf_that_fails_after_its_bytes_are_written_publishes_nothing(
    builds: Builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The PDF is written into staging, never straight into the output folder."""
    out = tmp_path / "out"
    shutil.copytree(builds.old, out)
    before = snapshot(out / "1Q08")
    real_write = pdf.write

    def write_then_fail(document: object, target: Path, **kwargs: object) -> None:
        real_write(document, target, **kwargs)  # type: ignore[arg-type]
        assert target.stat().st_size > 0
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(pdf, "write", write_then_fail)
    with pytest.raises(
        RenderError,
        match=r"out/1Q08/IIJ-1Q08-results-en\.pdf: cannot write the deck \(No space left",
    ):
        build(builds.new_data, Q, out)
    assert snapshot(out / "1Q08") == before
    assert leftovers(out) == []


def living(pids: set[int]) -> set[int]:
    """Those of ``pids`` still running (a zombie has ended)."""
    alive = set()
    for pid in pids:
        try:
            stat = Path(f"/proc/{pid}/stat").read_text()
        except OSError:
            continue
        if stat.rsplit(")", 1)[1].split()[0] != "Z":
            alive.add(pid)
    return alive


def children(pid: int) -> set[int]:
    """Every running process that descends from ``pid``."""
    parents = {}
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            # The command name, in parentheses, may hold spaces: split after it.
            state, ppid = stat.read_text().rsplit(")", 1)[1].split()[:2]
        except (OSError, ValueError):
            continue
        if state != "Z":
            parents[int(stat.parent.name)] = int(ppid)
    found: set[int] = set()
    frontier = {pid}
    while frontier:
        frontier = {p for p, parent in parents.items() if parent in frontier} - found
        found |= frontier
    return found


def wait_for(probe: Callable[[], T], seconds: float, what: str) -> T:
    """Poll ``probe`` until it returns something true; fail after ``seconds``."""
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if value := probe():
            return value
        time.sleep(0.01)
    pytest.fail(f"waited {seconds} s for {what}")


def staging_folders(out: Path) -> list[Path]:
    return sorted(out.glob(".1Q08-*")) if out.is_dir() else []


def dead_pid() -> int:
    process = subprocess.Popen(["true"])
    process.wait()
    return process.pid


LINUX = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads /proc")


@LINUX
def test_chart_workers_die_with_a_killed_build(tmp_path: Path) -> None:
    out = tmp_path / "out"  # no chart cache: the build starts chart workers
    build_process = subprocess.Popen(cli_command(out), cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        workers = wait_for(lambda: children(build_process.pid), 120, "chart workers to start")
    finally:
        build_process.kill()
        build_process.wait()
    wait_for(lambda: not living(workers), 5, f"orphaned workers {living(workers)} to end")


@LINUX
def test_the_next_build_removes_a_killed_builds_staging_folder(
    builds: Builds, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    shutil.copytree(builds.old, out)
    build_process = subprocess.Popen(cli_command(out), cwd=ROOT, stderr=subprocess.DEVNULL)
    try:
        (stale,) = wait_for(lambda: staging_folders(out), 120, "the build to stage its files")
    finally:
        build_process.kill()
        build_process.wait()
    assert stale.is_dir()
    # A build still running (this process) keeps its staging folder.
    live = out / f".1Q08-{os.getpid()}-running"
    (live / "new").mkdir(parents=True)
    build(IIJ, Q, out, pdf=False)
    assert staging_folders(out) == [live]


def test_a_build_killed_between_two_renames_gets_its_deck_back(
    builds: Builds, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Killed after moving the old folder aside: the next build puts it back first."""
    out = tmp_path / "out"
    shutil.copytree(builds.old, out)
    before = snapshot(out / "1Q08")
    stale = out / f".1Q08-{dead_pid()}-killed"
    stale.mkdir()
    (out / "1Q08").rename(stale / "old")
    # This build fails at its first move: what the folder shows is what the clean-up restored.
    monkeypatch.setattr(publish, "_move", failing_on(1, OSError(5, "Input/output error")))
    with pytest.raises(RenderError):
        build(IIJ, Q, out, pdf=False)
    assert snapshot(out / "1Q08") == before
    assert leftovers(out) == []


@LINUX
def test_sigterm_stops_a_build_like_ctrl_c(builds: Builds, tmp_path: Path) -> None:
    out = tmp_path / "out"
    shutil.copytree(builds.old, out)
    before = snapshot(out / "1Q08")
    build_process = subprocess.Popen(cli_command(out), cwd=ROOT, stderr=subprocess.PIPE, text=True)
    try:
        wait_for(lambda: staging_folders(out), 120, "the build to stage its files")
        workers = children(build_process.pid)
        build_process.terminate()
        _, err = build_process.communicate(timeout=60)
    finally:
        build_process.kill()
    assert build_process.returncode == 143
    assert err.splitlines()[-1] == "terminated"
    assert "Traceback" not in err
    assert snapshot(out / "1Q08") == before
    assert leftovers(out) == []
    wait_for(lambda: not living(workers), 5, "workers to end")


@pytest.mark.parametrize("first_pdf", [True, False], ids=["deck", "preview-only"])
def test_another_companys_deck_of_the_quarter_is_never_replaced(
    tmp_path: Path, example_1q25: BuiltDeck, first_pdf: bool
) -> None:
    """Two companies' decks of one quarter would share its preview folder: the second
    build is refused (exit 2, one line naming both), and the first stays as it was."""
    quarter = example_1q25.result.deck.quarter.name
    if first_pdf:
        out = example_1q25.copied_to(tmp_path / "out").out_root
    else:
        out = tmp_path / "out"
        argv = ["build", "--quarter", quarter, "--data", str(EXAMPLE), "--out", str(out)]
        assert run(*argv, "--no-pdf")[0] == 0
    before = snapshot(out / quarter)
    theirs = load_dataset(EXAMPLE).company.short_name
    ours = load_dataset(RETAILER).company.short_name

    code, _, err = run(
        "build", "--quarter", quarter, "--data", str(RETAILER), "--out", str(out), "--no-pdf"
    )

    assert code == 2, err
    assert "Traceback" not in err
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert f"{out / quarter} holds {theirs}'s {quarter} deck" in line
    assert f"build {ours} into another folder" in line
    assert snapshot(out / quarter) == before
    # Into its own folder, as the README says, it builds.
    argv = ["build", "--quarter", quarter, "--data", str(RETAILER), "--no-pdf"]
    assert run(*argv, "--out", str(tmp_path / ours.lower()))[0] == 0
