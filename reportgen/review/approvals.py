"""``approvals/<quarter>.yaml``: who signed off which slides of which content, and when.

``reportgen approve`` appends one record per sign-off; git keeps the file's history.
A record holds the content hash of everything the deck read (``content.py``), each
part's hash and each data file's short digest (so a stale approval can say what
changed), the project's git revision where there is one, and the approved deck's
deck's snapshot beside it (``approvals/<quarter>.<edition>.content.json``: every slide's
texts and figures, as the PDF attaches it; the latest approval's, ``snapshot_sha256``
finds an earlier one in git's history), so
that a later comparison can find the approved version without rebuilding it.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
from collections.abc import Callable, Sequence
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

import yaml
from pydantic import Field

from reportgen import __version__
from reportgen.data.load import parse_record, read_yaml, shown
from reportgen.data.schema import Strict
from reportgen.errors import DataError
from reportgen.quarters import Quarter
from reportgen.review.content import ContentHash
from reportgen.review.snapshot import snapshot
from reportgen.slides.deck import Deck

Clock = Callable[[], datetime]
ALL = "all"
HEADER = (
    "# Sign-offs of the {quarter} deck, one per `reportgen approve` (make approve), oldest\n"
    "# first. Written by reportgen: do not edit. Commit it with the data it approves.\n"
)


class GitRevision(Strict):
    revision: str
    # Uncommitted changes to the data folder or templates: the revision alone does not
    # rebuild what was approved (the snapshot still shows it).
    dirty: bool


class Approval(Strict):
    """One sign-off, as stored."""

    by: str = Field(min_length=1)
    at: str
    edition: str
    slides: Literal["all"] | tuple[str, ...]
    content_hash: str
    parts: dict[str, str]
    files: dict[str, str] = Field(default_factory=dict)
    reportgen: str = ""
    git: GitRevision | None = None
    snapshot: str = ""
    snapshot_sha256: str = ""

    def covers(self, slide: str) -> bool:
        return self.slides == ALL or slide in self.slides

    @property
    def slides_text(self) -> str:
        return "every slide" if self.slides == ALL else "slides " + ", ".join(self.slides)


class ApprovalsFile(Strict):
    approvals: tuple[Approval, ...] = ()


def approvals_path(root: Path, quarter: Quarter) -> Path:
    return root / "approvals" / f"{quarter.name}.yaml"


def load_approvals(root: Path, quarter: Quarter) -> tuple[Approval, ...]:
    """Every approval of ``quarter``, oldest first (none if its file does not exist)."""
    path = approvals_path(root, quarter)
    if not path.exists():
        return ()
    raw = read_yaml(path, root)
    return parse_record(path, ApprovalsFile, {} if raw is None else raw).approvals


def slide_label(number: str, kind: str) -> str:
    """A slide as ``--slides`` and the gate name it: its printed number, else its kind."""
    return number or kind


def system_clock() -> datetime:
    return datetime.now(UTC)


def _timestamp(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def approved_path(root: Path, quarter: Quarter, edition: str) -> Path:
    """``approvals/1Q08.en.content.json``: the snapshot of the version last approved."""
    return approvals_path(root, quarter).parent / f"{quarter.name}.{edition}.content.json"


def _git(folder: Path, *args: str) -> str | None:
    """``git -C folder args...``'s output, or ``None`` if git fails or is not there."""
    try:
        done = subprocess.run(
            ["git", "-C", str(folder), *args],
            capture_output=True,
            text=True,
            timeout=30,
            check=False,
        )
    except (OSError, subprocess.TimeoutExpired):
        return None
    return done.stdout.strip() if done.returncode == 0 else None


def git_revision(root: Path, templates: Path) -> GitRevision | None:
    """The commit checked out where the data folder ``root`` lives, if in a git work tree.

    Dirty if the data folder (its approvals aside) or the templates (in whichever
    work tree holds them) have changes not committed: the revision alone would then
    not rebuild what is approved.
    """
    head = _git(root, "rev-parse", "HEAD")
    if not head:
        return None
    exclude = f":(exclude){(root / 'approvals').resolve()}"
    changes = [
        _git(root, "status", "--porcelain", "--", str(root.resolve()), exclude),
        _git(templates, "status", "--porcelain", "--", str(templates.resolve())),
    ]
    return GitRevision(revision=head, dirty=any(changes))


def _write_atomically(path: Path, text: str) -> None:
    # A failed write leaves the previous sign-offs as they were.
    temporary = path.with_name(f".{path.name}.tmp")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def check_slides(deck: Deck, wanted: Sequence[str]) -> tuple[str, ...]:
    """``wanted`` as the deck numbers its slides; an unknown one is an input error."""
    labels = [slide_label(s.number, s.kind) for s in deck.slides]
    for label in wanted:
        if label not in labels:
            raise DataError(
                f"--slides {label}: no such slide in the {deck.quarter.name} deck; expected "
                f"one of {', '.join(labels)}"
            )
    return tuple(dict.fromkeys(wanted))


def record_approval(
    deck: Deck,
    content: ContentHash,
    by: str,
    *,
    slides: Sequence[str] | None = None,
    templates: Path,
    clock: Clock = system_clock,
) -> tuple[Path, Approval]:
    """Append a sign-off of ``slides`` (every slide if ``None``) of ``deck`` by ``by``."""
    root, quarter, edition = deck.dataset.root, deck.quarter, deck.messages.language
    if not by.strip():
        raise DataError(f"approve {quarter.name}: --by is empty; expected the approver's name")
    chosen: str | tuple[str, ...] = ALL if slides is None else check_slides(deck, slides)
    path = approvals_path(root, quarter)
    earlier = load_approvals(root, quarter)
    git = git_revision(root, templates)
    path.parent.mkdir(exist_ok=True)
    content_json = snapshot(deck).to_json()
    stored_at = approved_path(root, quarter, edition)
    _write_atomically(stored_at, content_json)
    approval = Approval(
        by=by.strip(),
        at=_timestamp(clock()),
        edition=edition,
        slides=chosen,
        content_hash=content.digest,
        parts=dict(content.parts),
        files=dict(content.files),
        reportgen=__version__,
        git=git,
        snapshot=stored_at.name,
        snapshot_sha256=hashlib.sha256(content_json.encode()).hexdigest(),
    )
    stored = [a.model_dump(mode="json", exclude_none=True) for a in (*earlier, approval)]
    text = HEADER.format(quarter=quarter.name) + yaml.safe_dump(
        {"approvals": stored}, allow_unicode=True, sort_keys=False, width=100
    )
    _write_atomically(path, text)
    return path, approval


def where(root: Path, quarter: Quarter) -> str:
    return shown(approvals_path(root, quarter))
