"""``reportgen diff``: compare this build of a deck with an earlier version of it.

Builds the current deck into a scratch folder, reads the other side (see ``refs``),
compares the two snapshots (``changes``), prints the change list, and writes
``diff.json`` and the blackline (``blackline.html``, ``blackline.pdf``) into
``OUT/diff/<quarter>-<edition>/``, replacing the last diff of that quarter whole.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from reportgen.charts.cache import chart_cache_dir
from reportgen.quarters import Quarter
from reportgen.review.blackline import write_blackline
from reportgen.review.changes import Changes, compare, compare_periods
from reportgen.review.refs import Side, resolve
from reportgen.review.snapshot import read_pdf_snapshot


def diff(
    quarter: Quarter,
    against: str,
    *,
    data: Path,
    out: Path,
    edition: str = "en",
    approved: Path | None = None,
    blackline: bool = True,
    write: Callable[[str], object] = print,
) -> Changes:
    """Compare and report; return the changes (empty when the versions say the same)."""
    from reportgen.build import build
    from reportgen.review.approvals import approved_path

    if approved is None:
        approved = approved_path(data, quarter, edition)
    folder = out / "diff" / f"{quarter.name}-{edition}"
    work = out / ".cache" / "diff" / "work"
    work.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=work) as scratch:
        scratch_dir = Path(scratch)
        other = resolve(
            against,
            quarter=quarter,
            edition=edition,
            data=data,
            work=scratch_dir,
            approved=approved,
        )
        result = build(
            data, quarter, scratch_dir / "now", edition=edition, cache_dir=chart_cache_dir(out)
        )
        pdf = result.output.pdf
        assert pdf is not None
        now = Side(f"{quarter.name} ({edition}, this build)", read_pdf_snapshot(pdf), pdf)
        if other.other_quarter:
            changes = compare_periods(other.snapshot, now.snapshot, other.name, quarter.name)
        else:
            changes = compare(other.snapshot, now.snapshot, other.name, now.name)
        staged = Path(tempfile.mkdtemp(dir=work))
        (staged / "diff.json").write_text(
            json.dumps(changes.to_dict(), ensure_ascii=False, indent=1) + "\n", encoding="utf-8"
        )
        if blackline and not changes.empty and not other.other_quarter:
            write_blackline(
                changes, other.snapshot.slides, now.snapshot.slides, other.pdf, pdf, staged
            )
        if folder.exists():
            shutil.rmtree(folder)
        folder.parent.mkdir(parents=True, exist_ok=True)
        staged.replace(folder)
    for line in format_changes(changes):
        write(line)
    write(f"wrote {folder}")
    return changes


def format_changes(changes: Changes) -> list[str]:
    """The change list as the terminal shows it: one line per change, the summary last."""
    lines = []
    for f in changes.figures:
        where = " | ".join(p for p in (f.row, f.column) if p)
        lines.append(
            f"figure  {f.slide} | {where} ({f.item}, {f.period}): "
            f"{f.old or '(none)'} → {f.new or '(none)'}"
            + (f" · source {f.new_source}" if f.new_source and f.new_source != f.old_source else "")
        )
    for t in changes.texts:
        lines.append(f"text    {t.slide}: {t.words}")
    for s in changes.slides:
        lines.append(f"slide   {s.slide}: {s.change}" + (f" ({s.detail})" if s.detail else ""))
    for c in changes.checks:
        lines.append(f"check   {c.period} {c.name}: {c.old or 'ok'} → {c.new or 'ok'}")
    lines.append(changes.summary())
    return lines
