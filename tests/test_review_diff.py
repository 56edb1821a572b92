"""``reportgen diff``: the change list and blackline between two versions of a deck.

Each test edits a copy of the data the way a reviewer's colleagues would (finance
revises a figure, legal rewords a bullet, the CFO drops or moves a slide) and checks
that the change list names exactly that, once, and that the blackline shows only the
slides concerned.
"""

from __future__ import annotations

import io
import json
import re
import shutil
from pathlib import Path

import pytest

from reportgen.cli import main
from reportgen.review.changes import compare, word_diff
from reportgen.review.snapshot import read_pdf_snapshot, snapshot
from tests.conftest import EXAMPLE, IIJ, BuiltDeck, edit
from tests.data.test_restatements import restate_2q24


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(["-q", *argv], stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


def diff(data: Path, against: str | Path, out: Path, quarter: str = "1Q08") -> dict[str, list]:
    code, text, err = run(
        "diff", "--quarter", quarter, "--data", str(data), "--against", str(against),
        "--out", str(out),
    )  # fmt: skip
    assert code == 0, err
    assert text.splitlines()[-1].startswith("wrote ")
    folder = out / "diff" / f"{quarter}-en"
    return json.loads((folder / "diff.json").read_text(encoding="utf-8"))


@pytest.fixture
def iij_copy(tmp_path: Path) -> Path:
    target = tmp_path / "iij"
    shutil.copytree(IIJ, target)
    return target


def test_a_deck_against_itself_is_empty(iij_1q08: BuiltDeck, tmp_path: Path) -> None:
    pdf = iij_1q08.result.output.pdf
    assert pdf is not None
    code, text, _ = run(
        "diff", "--quarter", "1Q08", "--data", str(IIJ), "--against", str(pdf),
        "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 0
    assert f"no changes against {pdf}" in text
    found = json.loads((tmp_path / "diff" / "1Q08-en" / "diff.json").read_text())
    assert not any(found[k] for k in ("figures", "texts", "slides", "checks"))


def test_one_changed_figure_is_named_once(
    iij_1q08: BuiltDeck, iij_copy: Path, tmp_path: Path
) -> None:
    """Finance revises the number of employees: that figure, on its slide, and nothing else."""
    pdf = iij_1q08.result.output.pdf
    assert pdf is not None
    before = read_pdf_snapshot(pdf)
    (slide,) = [s for s in before.slides if any(f.item == "employees" for f in s.figures)]
    (shown,) = [f for f in slide.figures if (f.item, f.period) == ("employees", "1Q08")]
    revised = shown.value + 10  # type: ignore[operator]
    edit(
        iij_copy / "figures" / "1Q08.csv", f'employees,"{shown.shown}"', f"employees,{revised:.0f}"
    )
    found = diff(iij_copy, pdf, tmp_path / "out")
    (change,) = found["figures"]
    assert (change["item"], change["period"]) == ("employees", "1Q08")
    assert (change["old_value"], change["new_value"]) == (shown.value, revised)
    assert found["texts"] == []
    assert found["changed_slides"] == [slide.number]
    # The blackline has that slide's pages only, and a box on each.
    folder = tmp_path / "out" / "diff" / "1Q08-en"
    pages = sorted(p.name for p in folder.glob("*.png"))
    assert pages == [f"new-{slide.number}.png", f"old-{slide.number}.png"]
    assert (folder / "blackline.pdf").stat().st_size > 0


def test_reworded_dropped_and_moved_slides_each_reported_once(
    iij_1q08: BuiltDeck, iij_copy: Path, tmp_path: Path
) -> None:
    pdf = iij_1q08.result.output.pdf
    assert pdf is not None
    deck = iij_copy / "decks" / "1Q08.yaml"
    text = deck.read_text(encoding="utf-8")
    # Legal rewords a bullet.
    text = text.replace(
        "One-time revenues from systems construction increased by",
        "One-time revenues from systems construction grew by",
        1,
    )
    # The CFO drops the forward-looking statements and moves the contact slide up.
    blocks = re.split(r"(?m)^(?=  - kind: )", text)
    head, slides = blocks[0], blocks[1:]
    slides = [s for s in slides if not s.startswith("  - kind: forward_looking")]
    contact = next(i for i, s in enumerate(slides) if s.startswith("  - kind: contact"))
    slides.insert(contact - 1, slides.pop(contact))
    deck.write_text(head + "".join(slides), encoding="utf-8")
    found = diff(iij_copy, pdf, tmp_path / "out")
    (reworded,) = found["texts"]
    assert "[-increased-] {+grew+}" in reworded["words"]
    kinds = sorted(s["change"] for s in found["slides"])
    assert kinds == ["moved", "removed"]
    assert found["figures"] == []


def test_an_unknown_reference_is_an_input_error(tmp_path: Path) -> None:
    code, _, err = run(
        "diff", "--quarter", "1Q08", "--data", str(IIJ), "--against", "no-such-ref",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert "'no-such-ref'" in line
    assert "Traceback" not in err


def test_against_a_data_folder(iij_copy: Path, tmp_path: Path) -> None:
    """The other side built from another data folder: here the same data, so no change."""
    found = diff(IIJ, iij_copy, tmp_path / "out")
    assert found["figures"] == []
    assert found["texts"] == []


def test_a_restated_figure_stands_out_across_quarters(tmp_path: Path) -> None:
    """The 2Q25 deck shows 2Q24 as restated; the 1Q25 deck showed it as first published."""
    data = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, data)
    restate_2q24(data)
    found = diff(data, "1Q25", tmp_path / "out", quarter="2Q25")
    restated = {(f["item"], f["period"]) for f in found["figures"]}
    assert ("revenue", "2Q24") in restated
    assert all(f["period"] != "2Q25" for f in found["figures"])


def test_against_a_git_revision(tmp_path: Path) -> None:
    """HEAD built in a temporary worktree with its own code: a clean checkout differs in nothing
    it did not change, and the revision is named in the summary."""
    if shutil.which("git") is None or not (Path(__file__).parents[1] / ".git").exists():
        pytest.skip("not a git checkout")
    code, text, err = run(
        "diff", "--quarter", "1Q08", "--data", str(IIJ), "--against", "HEAD",
        "--out", str(tmp_path), "--no-blackline",
    )  # fmt: skip
    if code != 0 and "has no deck snapshot attached" in err:
        pytest.skip("HEAD predates the deck snapshot")
    assert code == 0, err
    assert "against HEAD (" in text


def test_word_diff_marks_words_in_place() -> None:
    assert (
        word_diff("up 26.8% from 1Q07", "up 27.1% from 1Q07") == "up [-26.8%-] {+27.1%+} from 1Q07"
    )


def test_a_snapshot_compared_with_itself_is_empty(iij_1q08: BuiltDeck) -> None:
    pdf = iij_1q08.result.output.pdf
    assert pdf is not None
    snap = read_pdf_snapshot(pdf)
    assert compare(snap, snap, "same").empty


def test_against_approved_shows_what_changed_since(iij_copy: Path, tmp_path: Path) -> None:
    """Approve, then finance revises one figure: the diff against the approval names it."""
    code, _, err = run("approve", "--quarter", "1Q08", "--data", str(iij_copy), "--by", "Ann")
    assert code == 0, err
    figures = iij_copy / "figures" / "1Q08.csv"
    row = next(
        r for r in figures.read_text(encoding="utf-8").splitlines() if r.startswith("employees,")
    )
    count = float(row.split('"')[1].replace(",", ""))
    edit(figures, row, row.replace(row.split('"')[1], f"{count + 10:.0f}"))
    found = diff(iij_copy, "approved", tmp_path / "out")
    (change,) = found["figures"]
    assert (change["item"], change["old_value"], change["new_value"]) == (
        "employees",
        count,
        count + 10,
    )
    assert found["old"] == "the approved version"


def test_against_approved_without_an_approval_names_the_command(tmp_path: Path) -> None:
    code, _, err = run(
        "diff", "--quarter", "1Q08", "--data", str(IIJ), "--against", "approved",
        "--out", str(tmp_path),
    )  # fmt: skip
    assert code == 2
    assert "reportgen approve --quarter 1Q08" in err


def test_the_snapshot_does_not_depend_on_where_the_data_sits(iij_1q08: BuiltDeck) -> None:
    """A warning's file path (relative to the working folder) stays out of the PDF."""
    snap = snapshot(iij_1q08.result.deck)
    assert snap.checks, "IIJ 1Q08 warns about its cash-flow gap"
    for check in snap.checks:
        assert "figures/" not in check.message
        assert check.message.startswith(check.name)
