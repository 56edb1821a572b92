"""What ``reportgen diff --against REF`` compares with, and how each kind is read.

A reference is, in the order tried:

- ``approved``: the version last approved for the quarter (``reportgen approve``);
- a PDF built by reportgen: its attached snapshot, no data or code needed;
- a build's output folder: the edition's PDF in it (or in its quarter's folder);
- a data folder (one with ``company.yaml``): that data, built with this code;
- a quarter name (``4Q07``): the same data's deck for that quarter, to compare the
  figures both decks show for the same periods (restatements, corrections);
- a git revision of the project: the project as it was, built in a temporary
  worktree with that revision's own code and data, cached by commit.
"""

from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from reportgen.errors import InputError, QuarterError
from reportgen.quarters import Quarter
from reportgen.review.snapshot import Snapshot, SnapshotError, read_pdf_snapshot

log = logging.getLogger(__name__)

PROJECT_ROOT = Path(__file__).resolve().parents[2]


class ReferenceError(InputError):
    """``--against`` names nothing that holds an earlier version of the deck."""


@dataclass(frozen=True, slots=True)
class Side:
    """One version of the deck: what it says, and its PDF where there is one (blackline)."""

    name: str
    snapshot: Snapshot
    pdf: Path | None
    # A quarter name: compare the periods both decks show, not slide by slide.
    other_quarter: bool = False


def _pdf_in(folder: Path, quarter: Quarter, edition: str) -> Path | None:
    for where in (folder, folder / quarter.name):
        found = sorted(where.glob(f"*-{quarter.name}-results-{edition}.pdf"))
        if found:
            return found[0]
    return None


def _git(*args: str, cwd: Path = PROJECT_ROOT) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        ["git", *args], cwd=cwd, capture_output=True, text=True, check=False, timeout=120
    )


def _commit(ref: str) -> str | None:
    if shutil.which("git") is None or ref.startswith("-"):
        return None
    found = _git("rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}")
    return found.stdout.strip() if found.returncode == 0 else None


def _build_pdf(
    data: Path, quarter: Quarter, edition: str, out: Path, code: Path = PROJECT_ROOT
) -> Path:
    """Build a deck in a new process with the code under ``code``; return its PDF."""
    env = {**os.environ, "PYTHONPATH": str(code)}
    command = [
        sys.executable,
        "-m",
        "reportgen",
        "-q",
        "build",
        "--quarter",
        quarter.name,
        "--data",
        str(data),
        "--out",
        str(out),
        "--edition",
        edition,
    ]
    done = subprocess.run(
        command, cwd=code, env=env, capture_output=True, text=True, check=False, timeout=900
    )
    pdf = _pdf_in(out, quarter, edition)
    if done.returncode != 0 or pdf is None:
        last = (done.stderr.strip().splitlines() or ["no output"])[-1]
        raise ReferenceError(f"cannot build {quarter.name} ({edition}) from {data}: {last}")
    return pdf


def _from_revision(
    ref: str, commit: str, data: Path, quarter: Quarter, edition: str, cache: Path
) -> Side:
    """The deck as the project was at ``commit``: built once, then kept in ``cache``."""
    try:
        inside = data.resolve().relative_to(PROJECT_ROOT)
    except ValueError:
        inside = None  # data outside the project: that revision's code on this data
    tag = hashlib.sha256(f"{commit}:{inside or data.resolve()}".encode()).hexdigest()[:16]
    out = cache / f"{tag}-{edition}"
    pdf = _pdf_in(out, quarter, edition)
    if pdf is None:
        tree = cache / f"{tag}-tree"
        if tree.exists():
            _git("worktree", "remove", "--force", str(tree))
            shutil.rmtree(tree, ignore_errors=True)
        cache.mkdir(parents=True, exist_ok=True)
        added = _git("worktree", "add", "--detach", str(tree), commit)
        if added.returncode != 0:
            raise ReferenceError(f"git revision {ref!r}: {added.stderr.strip()}")
        try:
            log.info("building %s at %s (%s)", quarter.name, ref, commit[:10])
            source = tree / inside if inside is not None else data
            pdf = _build_pdf(source, quarter, edition, out, code=tree)
        finally:
            _git("worktree", "remove", "--force", str(tree))
            shutil.rmtree(tree, ignore_errors=True)
    return Side(f"{ref} ({commit[:10]})", read_pdf_snapshot(pdf), pdf)


def resolve(
    ref: str,
    *,
    quarter: Quarter,
    edition: str,
    data: Path,
    work: Path,
    approved: Path | None = None,
) -> Side:
    """The version of the deck ``ref`` names; ``work`` holds what must be built for it."""
    try:
        if ref == "approved":
            if approved is None or not approved.exists():
                raise ReferenceError(
                    f"--against approved: no approved version of {quarter.name} ({edition}); "
                    f"approve one first (reportgen approve --quarter {quarter.name} --by NAME)"
                )
            text = approved.read_text(encoding="utf-8")
            return Side("the approved version", Snapshot.from_json(text, str(approved)), None)
        path = Path(ref)
        if path.is_file():
            if path.suffix.lower() != ".pdf":
                raise ReferenceError(f"--against {ref}: expected a PDF built by reportgen")
            return Side(ref, read_pdf_snapshot(path), path)
        if path.is_dir():
            if (path / "company.yaml").is_file():
                pdf = _build_pdf(path, quarter, edition, work / "data")
                return Side(ref, read_pdf_snapshot(pdf), pdf)
            pdf = _pdf_in(path, quarter, edition)
            if pdf is None:
                raise ReferenceError(
                    f"--against {ref}: no {quarter.name} PDF of the {edition} edition in it "
                    "(expected a build's output folder or a data folder with company.yaml)"
                )
            return Side(ref, read_pdf_snapshot(pdf), pdf)
        try:
            other = Quarter.parse(ref)
        except QuarterError:
            other = None
        if other is not None:
            if other == quarter:
                raise ReferenceError(f"--against {ref}: that is the quarter being compared")
            pdf = _build_pdf(data, other, edition, work / "quarter")
            return Side(other.name, read_pdf_snapshot(pdf), pdf, other_quarter=True)
        commit = _commit(ref)
        if commit is not None:
            return _from_revision(ref, commit, data, quarter, edition, work.parent / "revisions")
    except SnapshotError as exc:
        raise ReferenceError(f"--against {ref}: {exc}") from None
    raise ReferenceError(
        f"--against {ref!r}: not a PDF, an output or data folder, a quarter or a git revision; "
        "expected one of those, or 'approved'"
    )
