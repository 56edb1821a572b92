"""The command line: exit codes, one-line errors, nothing written on failure."""

from __future__ import annotations

import hashlib
import io
from pathlib import Path

import pytest

from reportgen.cli import main
from tests.conftest import IIJ


def run(*argv: str) -> tuple[int, str, str]:
    out, err = io.StringIO(), io.StringIO()
    code = main(list(argv), stdout=out, stderr=err)
    return code, out.getvalue(), err.getvalue()


@pytest.mark.parametrize(
    "quarter",
    ["5Q08", "1Q8", "Q108", "../x", "../../etc", "", "1Q08/../../x", "1Q\u09e6\u09ee"],
    ids=["5Q08", "1Q8", "Q108", "traversal", "deep-traversal", "empty", "suffix", "bengali"],
)
def test_bad_quarter_exits_2_and_writes_nothing(tmp_path: Path, quarter: str) -> None:
    out = tmp_path / "out"
    code, _, err = run("build", "--quarter", quarter, "--data", str(IIJ), "--out", str(out))
    assert code == 2
    assert err.count("\n") == 1
    assert err.startswith("error: quarter ")
    assert "Traceback" not in err
    assert not out.exists()


LONG = "A" * 256  # one more byte than any Linux file system allows in a name


@pytest.mark.parametrize(
    "argv",
    [
        ["build", "--quarter", "1Q08", "--data", LONG],
        ["build", "--quarter", "1Q08", "--out", f"out/{LONG}"],
        ["build", "--all", "--data", f"x/{LONG}"],
        ["check", "--quarter", "1Q08", "--data", LONG],
        ["items", "--data", LONG],
        ["verify", LONG],
        ["placeholders", "--out", f"docs/{LONG}"],
        ["diff", "--quarter", "1Q08", "--data", str(IIJ), "--against", LONG],
    ],
    ids=["build-data", "build-out", "all-data", "check", "items", "verify", "placeholders", "diff"],
)
def test_a_name_too_long_for_any_file_system_is_one_line_exit_2(
    argv: list[str],
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.chdir(tmp_path)
    if "diff" in argv:
        argv = [*argv, "--out", str(tmp_path / "out")]
    code, _, err = run(*argv)
    err += capsys.readouterr().err  # argparse writes its own errors to sys.stderr
    assert code == 2, err
    assert "Traceback" not in err
    (line,) = [x for x in err.splitlines() if "error:" in x]
    assert "too long" in line
    assert not list(tmp_path.rglob("*.pdf"))


def test_quarter_without_a_deck(tmp_path: Path) -> None:
    code, _, err = run("build", "--quarter", "3Q09", "--data", str(IIJ), "--out", str(tmp_path))
    assert code == 2
    assert "quarter 3Q09: no deck file" in err
    assert "decks exist for 1Q08" in err


def test_bad_data_keeps_the_last_good_deck(tmp_path: Path, data_copy: Path) -> None:
    out = tmp_path / "out"
    assert (
        run("-q", "build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(out))[0] == 0
    )
    pdf = next((out / "1Q08").glob("*.pdf"))
    before = hashlib.sha256(pdf.read_bytes()).hexdigest()
    figures = data_copy / "figures" / "1Q08.csv"
    figures.write_text(figures.read_text().replace('revenue,"16,328"', "revenue,16.3.28"))
    code, _, err = run("build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(out))
    assert code == 2
    assert "1Q08.csv, line 2 (1Q08): value: '16.3.28' is not a number" in err
    assert hashlib.sha256(pdf.read_bytes()).hexdigest() == before
    assert sorted(p.name for p in (out).iterdir()) == [".cache", "1Q08"]


def test_check_prints_the_table(tmp_path: Path) -> None:
    code, out, _ = run("check", "--quarter", "1Q08", "--data", str(IIJ), "--all")
    assert code == 0
    assert "tie-out 'net income'" in out
    assert "WARNING  1Q08    cash movement vs cash flows" in out
    assert "errors" in out.splitlines()[-2] or "errors" in out


def test_check_warns_about_a_typed_figure(data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    text = deck.read_text()
    deck.write_text(text.replace("{{ 'revenue_recurring'|yoy }}", "22.5%", 1))
    code, out, _ = run("check", "--quarter", "1Q08", "--data", str(data_copy))
    assert code == 0
    assert "typed number '22.5%' equals revenue_recurring:yoy" in out


def test_sources_lists_each_figure_with_its_source() -> None:
    code, out, _ = run("-q", "sources", "--quarter", "1Q08", "--data", str(IIJ))
    assert code == 0
    assert (
        "1 | Operating Income | YoY: (40.5%) · Operating Income, YoY change (%), 1Q08 · published"
        in out
    )
    assert "13 | Cash | Changes: (1,528) · Cash, change, 1Q08 · derived" in out


def one_error_line(err: str) -> str:
    """The error, which must be exactly one line, with no traceback around it."""
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("error:")]
    return line


# Characters a file URL must escape, and a percent sign that looks like an escape.
AWKWARD_FOLDERS = ["a%41b", "100%", "two words", "no#fragment", "no?query", "日本語 é"]


@pytest.mark.parametrize("folder", AWKWARD_FOLDERS)
def test_fetcher_reads_files_under_awkward_folder_names(tmp_path: Path, folder: str) -> None:
    from weasyprint.urls import path2url

    from reportgen.fetch import ProjectFetcher

    css = tmp_path / folder / "deck.css"
    css.parent.mkdir()
    css.write_text("body {}", encoding="utf-8")
    fetcher = ProjectFetcher([tmp_path / folder])
    assert fetcher.fetch(path2url(str(css))).read() == b"body {}"
    assert fetcher.refused == []


def test_pdf_builds_under_an_awkward_output_path(tmp_path: Path) -> None:
    out = tmp_path / " ".join(AWKWARD_FOLDERS)
    code, _, err = run("-q", "build", "--quarter", "1Q08", "--data", str(IIJ), "--out", str(out))
    assert code == 0, err
    assert (out / "1Q08" / "IIJ-1Q08-results-en.pdf").stat().st_size > 0


def test_edition_all_builds_the_editions_that_have_a_deck(tmp_path: Path, data_copy: Path) -> None:
    (data_copy / "decks" / "1Q08.ja.yaml").unlink()
    out = tmp_path / "out"
    code, _, err = run(
        "-q", "build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(out),
        "--edition", "all", "--no-pdf",
    )  # fmt: skip
    assert code == 0, err
    assert sorted(p.name for p in (out / "1Q08").iterdir()) == ["html"]


def test_edition_all_without_any_deck_is_an_input_error(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        "build", "--quarter", "3Q09", "--data", str(IIJ), "--out", str(out), "--edition", "all"
    )
    assert code == 2
    line = one_error_line(err)
    assert "quarter 3Q09: no deck file in any edition" in line
    assert "3Q09.yaml or" in line
    assert "3Q09.ja.yaml" in line
    assert "decks exist for 1Q08" in line
    assert not out.exists()


def test_build_all_without_pdf_writes_no_pdf(tmp_path: Path) -> None:
    out = tmp_path / "out"
    code, _, err = run(
        "-q", "build", "--all", "--data", str(IIJ), "--out", str(out), "--no-pdf", "--jobs", "1"
    )
    assert code == 0, err
    assert (out / "1Q08" / "html" / "index.html").is_file()
    assert list(out.rglob("*.pdf")) == []
    assert list(out.rglob("*.xlsx")) == []


def test_a_full_disk_names_the_destination_not_the_font(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Fonts are copied where they cannot be linked; the copy fails on a full disk."""
    import errno
    import os

    from reportgen.render import FONTS

    real_link = os.link

    def link(source: str, target: str, **kwargs: object) -> None:
        if Path(source).parent == FONTS:
            raise OSError(errno.EXDEV, "Invalid cross-device link", source, None, target)
        real_link(source, target)

    def sendfile(*_args: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "link", link)
    monkeypatch.setattr(os, "sendfile", sendfile)
    out = tmp_path / "out"
    code, _, err = run(
        "build", "--quarter", "1Q08", "--data", str(IIJ), "--out", str(out), "--no-pdf"
    )
    assert code == 1
    line = one_error_line(err)
    assert line.startswith(f"error: {out / '1Q08' / 'html' / 'fonts'}/Lato-")
    assert "No space left on device" in line
    assert str(FONTS) not in line
    assert not (out / "1Q08").exists()
    assert [p.name for p in out.iterdir()] == [".cache"]
