"""The review cycle: approvals, the release gate (build --final) and the draft mark.

Each kind of open item is planted on its own in a copy of the IIJ data, which is then
approved as it stands, so that the planted item is the one line the gate prints.
"""

from __future__ import annotations

import hashlib
import io
import re
import subprocess
from datetime import UTC, datetime
from pathlib import Path

import pytest
import yaml
from pypdf import PdfReader

from reportgen.build import build
from reportgen.cli import main
from reportgen.errors import ReleaseBlockedError
from reportgen.quarters import Quarter
from reportgen.review.approvals import GitRevision, git_revision
from reportgen.review.snapshot import Snapshot
from tests.conftest import BuiltDeck, edit, pdf_pages, require_tool, written_at

APPROVED_AT = datetime(2008, 8, 11, 9, 30, tzinfo=UTC)
FIRST_BULLET = "      - Recurring revenues increased by"


def run(*argv: str) -> tuple[int, list[str]]:
    """Run the CLI in process, quietly; return its exit code and stderr's lines."""
    stderr = io.StringIO()
    code = main(["-q", *argv], io.StringIO(), stderr, clock=lambda: APPROVED_AT)
    return code, stderr.getvalue().splitlines()


def approve(data: Path, *extra: str) -> None:
    code, err = run(
        "approve", "--quarter", "1Q08", "--data", str(data), "--by", "Ann Reviewer", *extra
    )
    assert code == 0, err


def release(data: Path, out: Path, edition: str = "en") -> tuple[int, list[str]]:
    """``build --final``; the open items it lists (each ``open: `` line), or its errors."""
    code, err = run(
        "build", "--final", "--quarter", "1Q08", "--data", str(data), "--out", str(out),
        "--edition", edition,
    )  # fmt: skip
    return code, [line.removeprefix("open: ") for line in err if line.startswith("open: ")]


def xmp(pdf: Path) -> str:
    metadata = PdfReader(pdf).trailer["/Root"]["/Metadata"].get_object()
    return metadata.get_data().decode()


def xmp_value(pdf: Path, name: str) -> str | None:
    found = re.search(rf"<reportgen:{name}>([^<]*)</reportgen:{name}>", xmp(pdf))
    return found[1] if found else None


def approvals(data: Path) -> list[dict[str, object]]:
    return yaml.safe_load((data / "approvals" / "1Q08.yaml").read_text(encoding="utf-8"))[
        "approvals"
    ]


def test_a_clean_deck_is_released_and_its_xmp_says_so(data_copy: Path, tmp_path: Path) -> None:
    approve(data_copy)
    code, items = release(data_copy, tmp_path / "out")
    assert (code, items) == (0, [])
    pdf = tmp_path / "out" / "1Q08" / "IIJ-1Q08-results-en.pdf"
    assert xmp_value(pdf, "status") == "final"
    assert xmp_value(pdf, "gate") == "passed"
    # The hash the approval recorded is the one the final deck passed with.
    assert xmp_value(pdf, "contentHash") == approvals(data_copy)[0]["content_hash"]
    # PDF/A admits reportgen's properties only through an extension schema naming them.
    assert "<pdfaSchema:prefix>reportgen</pdfaSchema:prefix>" in xmp(pdf)
    pages = pdf_pages(pdf)
    assert len(pages) == 22
    assert not [i for i, page in enumerate(pages, 1) if "Draft" in page]
    # A final is as reproducible as a draft: the same inputs give the same bytes.
    assert release(data_copy, tmp_path / "again") == (0, [])
    assert (tmp_path / "again" / "1Q08" / pdf.name).read_bytes() == pdf.read_bytes()


def test_every_page_of_a_draft_is_marked(iij_1q08: BuiltDeck) -> None:
    assert len(iij_1q08.pages) == 22
    assert [i for i, page in enumerate(iij_1q08.pages, 1) if "Draft" not in page] == []
    pdf = iij_1q08.result.output.pdf
    assert pdf is not None
    assert xmp_value(pdf, "status") == "draft"
    assert xmp_value(pdf, "contentHash") is None
    # The preview is the same slides: each one's footer carries the mark.
    assert iij_1q08.html.count('class="footer-draft"') == 22


def test_nothing_approved_is_one_open_item(data_copy: Path, tmp_path: Path) -> None:
    code, items = release(data_copy, tmp_path / "out")
    assert code == 2
    assert items == [
        f"{data_copy / 'approvals' / '1Q08.yaml'}: no approval of the 1Q08 deck (en); "
        "once reviewed: make approve QUARTER=1Q08 BY=<name>"
    ]
    assert not (tmp_path / "out" / "1Q08").exists()


def test_slides_left_out_of_an_approval_are_open(data_copy: Path, tmp_path: Path) -> None:
    approve(data_copy, "--slides", "1,2")
    code, items = release(data_copy, tmp_path / "out")
    assert code == 2
    unapproved = [re.search(r", slide (.+?): not approved", line) for line in items]
    labels = [found[1] for found in unapproved if found]
    assert len(labels) == len(items) == 20
    assert "1" not in labels
    assert "2" not in labels
    assert {"cover", "3", "Ref. 1", "contact"} <= set(labels)


def test_a_changed_figure_makes_the_approval_stale(data_copy: Path, tmp_path: Path) -> None:
    approve(data_copy)
    # The SG&A of the four new subsidiaries: a figure slide 4 states, in no tie-out.
    edit(
        data_copy / "figures" / "1Q08.csv", "new_subsidiaries_sga,111,", "new_subsidiaries_sga,112,"
    )
    code, items = release(data_copy, tmp_path / "out")
    assert code == 2
    assert items == [
        f"{data_copy / 'approvals' / '1Q08.yaml'}: approval of every slide by Ann Reviewer at "
        "2008-08-11T09:30:00Z (en) is stale: data changed since (figures/1Q08.csv); review the "
        "changes, then make approve QUARTER=1Q08 BY=<name>"
    ]
    # Approved again, the deck is released with the new figure.
    approve(data_copy)
    assert release(data_copy, tmp_path / "out") == (0, [])
    assert len(approvals(data_copy)) == 2


def test_a_copy_of_approved_data_stays_approved(data_copy: Path, tmp_path: Path) -> None:
    """Paths are relative to the data folder: moving it (a fresh clone) changes nothing."""
    approve(data_copy)
    moved = data_copy.rename(tmp_path / "elsewhere")
    assert release(moved, tmp_path / "out") == (0, [])


@pytest.mark.parametrize(
    ("acknowledgements", "reason"),
    [(None, "none"), ("difference: 26", "another gap")],
    ids=["unacknowledged", "acknowledged-gap-differs"],
)
def test_a_warning_must_be_acknowledged(
    data_copy: Path, tmp_path: Path, acknowledgements: str | None, reason: str
) -> None:
    path = data_copy / "acknowledgements.yaml"
    if acknowledgements is None:
        path.unlink()
    else:
        edit(path, acknowledgements, "difference: 25")
    approve(data_copy)
    code, items = release(data_copy, tmp_path / "out")
    assert code == 2
    [item] = items
    assert item.startswith(f"{data_copy / 'figures' / '1Q08.csv'}: cash movement vs cash flows ")
    assert "for 1Q08" in item
    assert f"a warning not acknowledged; add to {path} under acknowledgements:" in item


def test_a_slide_marked_for_review_is_open(data_copy: Path, tmp_path: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    edit(deck, '    number: "1"\n', '    number: "1"\n    review: pending\n')
    approve(data_copy)
    code, items = release(data_copy, tmp_path / "out")
    assert code == 2
    assert items == [
        f'{deck}, slide 1 "Consolidated Financial Results for 1Q FY2008": review: pending; '
        "review the slide, then set review: done"
    ]


def test_a_typed_number_is_open(data_copy: Path, tmp_path: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    edit(deck, FIRST_BULLET, f"      - Revenues were JPY 16,328 million.\n{FIRST_BULLET}")
    approve(data_copy)
    code, items = release(data_copy, tmp_path / "out")
    assert code == 2
    [item] = items
    at = written_at(deck, "Revenues were JPY 16,328 million.")
    assert item.startswith(f"{deck}:{at}, slide 1 (statement, 1Q08) ")
    assert ": typed number '16,328' equals revenue 1Q08" in item


def test_every_placeholder_on_a_missing_figure_is_open(data_copy: Path, tmp_path: Path) -> None:
    approve(data_copy)
    deck = data_copy / "decks" / "1Q08.yaml"
    # 1Q08's capital expenditure is not in the data set; two sentences ask for it.
    capex = "      - Capital expenditure was JPY {{ 'capex'|m }} million.\n"
    edit(deck, FIRST_BULLET, capex + capex.replace("was", "came to") + FIRST_BULLET)
    code, items = release(data_copy, tmp_path / "out")
    assert code == 2
    missing = [line for line in items if "placeholder 'capex'|m" in line]
    assert len(missing) == 2
    # Each names where it is written (file:line:column), then the slide as printed.
    lines = [written_at(deck, text) for text in ("Capital expenditure was", "came to")]
    for line, at in zip(missing, lines, strict=True):
        assert line.startswith(f"{deck}:{at}, slide 1 (statement, 1Q08)")
    # The deck changed too: the approval is stale, and that is the only other item.
    [other] = [line for line in items if line not in missing]
    assert other.endswith(
        "is stale: deck changed since (decks/1Q08.yaml); review the changes, then "
        "make approve QUARTER=1Q08 BY=<name>"
    )


def test_translations_are_reviewed_against_the_current_english(
    data_copy: Path, tmp_path: Path
) -> None:
    """Pending, then done with the English text's hash the gate names, then stale."""
    approve(data_copy, "--edition", "ja")
    deck, company = data_copy / "decks" / "1Q08.ja.yaml", data_copy / "company.yaml"
    code, items = release(data_copy, tmp_path / "out", "ja")
    assert code == 2
    assert len(items) == 2
    assert items[0].startswith(f"{deck}: the ja deck translated from en has review: pending;")
    assert items[1].startswith(f"{company}: editions: ja: translated from en has review: pending;")
    # The reviewer closes both as the lines say: review: done and the hash they print.
    for path, line in ((deck, items[0]), (company, items[1])):
        source_hash = line.rsplit("source_hash: ", 1)[1]
        indent = "" if path == deck else "    "
        edit(path, "review: pending", f"review: done\n{indent}source_hash: {source_hash}")
    approve(data_copy, "--edition", "ja")
    assert release(data_copy, tmp_path / "out", "ja") == (0, [])
    # An English bullet changes after the review: the Japanese deck is open again.
    english = data_copy / "decks" / "1Q08.yaml"
    edit(english, "due to business expansion.", "due to the expansion of the business.")
    approve(data_copy, "--edition", "ja")
    code, items = release(data_copy, tmp_path / "out", "ja")
    assert code == 2
    [item] = items
    assert item.startswith(f"{deck}: the ja deck was reviewed, but the English text changed since")


def test_an_approval_records_who_when_and_what(data_copy: Path) -> None:
    approve(data_copy, "--slides", "1,Ref. 1")
    [record] = approvals(data_copy)
    assert record["by"] == "Ann Reviewer"
    assert record["at"] == "2008-08-11T09:30:00Z"
    assert record["slides"] == ["1", "Ref. 1"]
    assert str(record["content_hash"]).startswith("sha256:")
    assert set(record["parts"]) == {"data", "deck", "templates", "fonts", "code"}  # type: ignore[arg-type]
    assert "figures/1Q08.csv" in record["files"]  # type: ignore[operator]
    # What the approved deck says (its snapshot), found from the record, with its hash.
    stored = data_copy / "approvals" / str(record["snapshot"])
    text = stored.read_text(encoding="utf-8")
    assert hashlib.sha256(text.encode()).hexdigest() == record["snapshot_sha256"]
    approved = Snapshot.from_json(text, str(stored))
    (summary,) = [s for s in approved.slides if s.number == "1"]
    revenue = next(f for f in summary.figures if (f.item, f.period) == ("revenue", "1Q08"))
    # IIJ's 1Q08 revenue as the release (S1) gives it, shown in JPY billion.
    assert (revenue.source, revenue.status, revenue.place) == ("S1", "published", "table")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (
            ("approve", "--quarter", "1Q08", "--by", "A", "--slides", "1,99"),
            "error: --slides 99: no such slide in the 1Q08 deck; expected one of cover, 1, 2,",
        ),
        (("approve", "--quarter", "1Q08", "--by", " "), "error: approve 1Q08: --by is empty"),
        (("build", "--all", "--final"), "error: build --final releases one quarter"),
    ],
    ids=["unknown-slide", "no-name", "final-all"],
)
def test_bad_review_commands_exit_2(data_copy: Path, argv: tuple[str, ...], message: str) -> None:
    code, err = run(*argv, "--data", str(data_copy))
    assert code == 2
    assert err[-1].startswith(message)
    assert not (data_copy / "approvals").exists()


def test_a_blocked_final_build_leaves_the_last_deck(data_copy: Path, tmp_path: Path) -> None:
    """``build(final=True)`` gates too (not only the CLI), and writes nothing when blocked."""
    draft = build(data_copy, Quarter.parse("1Q08"), tmp_path)
    assert draft.output.pdf is not None
    before = draft.output.pdf.read_bytes()
    with pytest.raises(
        ReleaseBlockedError,
        match=r"^1Q08 \(en\): 1 open item blocks the release; nothing was written$",
    ) as error:
        build(data_copy, Quarter.parse("1Q08"), tmp_path, final=True)
    assert error.value.details[0].endswith("once reviewed: make approve QUARTER=1Q08 BY=<name>")
    assert draft.output.pdf.read_bytes() == before


def test_an_approval_in_a_git_checkout_names_its_revision(data_copy: Path) -> None:
    """So that the approved version can be rebuilt from the revision when it was clean."""
    git = str(require_tool("git"))

    def sh(*argv: str) -> str:
        done = subprocess.run(
            [git, "-C", str(data_copy), "-c", "user.name=t", "-c", "user.email=t@example.com",
             *argv],
            capture_output=True, text=True, check=True,
        )  # fmt: skip
        return done.stdout.strip()

    sh("init", "-q")
    sh("add", ".")
    sh("commit", "-qm", "data")
    approve(data_copy)
    assert approvals(data_copy)[0]["git"]["revision"] == sh("rev-parse", "HEAD")  # type: ignore[index]
    # Dirty or not, by the data folder alone (templates outside any work tree count as clean):
    # the approvals just written are not a change to what was approved; a figure is.
    templates = data_copy.parent / "templates"
    templates.mkdir()
    assert git_revision(data_copy, templates) == GitRevision(
        revision=sh("rev-parse", "HEAD"), dirty=False
    )
    edit(
        data_copy / "figures" / "1Q08.csv", "new_subsidiaries_sga,111,", "new_subsidiaries_sga,112,"
    )
    assert git_revision(data_copy, templates) == GitRevision(
        revision=sh("rev-parse", "HEAD"), dirty=True
    )
