"""Bad input never crashes, never lies, never loses the last good deck (issue catalogue)."""

from __future__ import annotations

import csv
import hashlib
import io
import shutil
import subprocess
import tempfile
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pypdf import PdfReader

from reportgen import render
from reportgen.build import build
from reportgen.cli import main
from reportgen.data.load import load_figures
from reportgen.data.schema import Source
from reportgen.errors import DataError, RenderError, SlideError
from reportgen.quarters import Quarter
from tests.conftest import IIJ, ROOT, BuiltDeck, catalogue_of, cli_command, written_at

Q = Quarter.parse("1Q08")


def run(*argv: str) -> tuple[int, str]:
    err = io.StringIO()
    code = main(list(argv), stdout=io.StringIO(), stderr=err)
    return code, err.getvalue()


def one_error_line(err: str) -> str:
    """The error, which must be exactly one line, with no traceback around it."""
    assert "Traceback" not in err
    (line,) = [line for line in err.splitlines() if line.startswith("error:")]
    return line


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def built(tmp_path: Path, data_copy: Path, iij_1q08: BuiltDeck) -> tuple[Path, Path, str]:
    """A good deck already in the output folder: (data, out, sha256 of its PDF)."""
    out = iij_1q08.copied_to(tmp_path / "out").out_root
    pdf = out / "1Q08" / "IIJ-1Q08-results-en.pdf"
    return data_copy, out, sha(pdf)


def _pdf(out: Path) -> Path:
    return out / "1Q08" / "IIJ-1Q08-results-en.pdf"


def _leftovers(out: Path) -> list[str]:
    return sorted(p.name for p in out.iterdir() if p.name.startswith(".1Q08"))


def test_lowercase_quarter_is_accepted(tmp_path: Path) -> None:
    code, err = run(
        "-q", "build", "--quarter", "1q08", "--data", str(IIJ), "--out", str(tmp_path), "--no-pdf"
    )
    assert code == 0, err
    assert (tmp_path / "1Q08" / "html" / "index.html").is_file()


def test_hostile_text_stays_text(tmp_path: Path, data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    hostile = "<script>alert(1)</script> <img src=x onerror=alert(2)> </div>"
    deck.write_text(
        deck.read_text().replace(
            "    title: Consolidated Balance Sheets\n",
            f"    title: Consolidated Balance Sheets\n    bullets:\n      - '{hostile}'\n",
        )
    )
    company = data_copy / "company.yaml"
    company.write_text(
        company.read_text().replace(
            "display_name: Internet Initiative Japan", "display_name: IIJ </div><b>bold</b>"
        )
    )
    result = build(data_copy, Q, tmp_path)
    html = result.output.html.read_text()
    assert "<script>alert(1)" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "IIJ &lt;/div&gt;&lt;b&gt;bold&lt;/b&gt;" in html
    assert result.output.pdf is not None
    text = " ".join(page.extract_text() for page in PdfReader(result.output.pdf).pages)
    assert "<script>alert(1)</script>" in text


def test_placeholders_cannot_reach_python(tmp_path: Path, data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    deck.write_text(
        deck.read_text().replace(
            "{{ 'sga'|yoy }}", "{{ ''.__class__.__mro__[1].__subclasses__() }}"
        )
    )
    code, err = run("build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(tmp_path))
    assert code == 2
    line = one_error_line(err)
    assert f"1Q08.yaml:{written_at(deck, '__subclasses__')}, slide " in line
    assert "attribute access (.__class__) is not allowed in commentary" in line


@pytest.fixture
def templates(tmp_path: Path) -> Path:
    copy = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", copy)
    return copy


@pytest.mark.parametrize(
    "url",
    ["file:///etc/passwd", "http://example.com/x.png", "https://example.com/x.css"],
    ids=["file-outside", "http", "https"],
)
def test_resources_outside_the_project_are_refused(
    tmp_path: Path, templates: Path, url: str
) -> None:
    (templates / "css" / "99-hostile.css").write_text(f"body {{ background: url({url}); }}\n")
    with pytest.raises(RenderError, match=f"the deck refers to {url}, outside the project"):
        build(IIJ, Q, tmp_path / "out", templates=templates)


def test_template_typo_names_file_and_line(tmp_path: Path, templates: Path) -> None:
    path = templates / "slides" / "statement.html"
    path.write_text(path.read_text().replace("slide.body.unit", "slide.body.unti"))
    with pytest.raises(
        SlideError,
        match=r"templates/slides/statement\.html, line 1 "
        r"\(in templates/macros\.html, line \d+\): .*unti",
    ):
        build(IIJ, Q, tmp_path / "out", templates=templates)


def test_missing_translation_key_names_key_and_language(tmp_path: Path, templates: Path) -> None:
    path = templates / "i18n" / "en" / "common.yaml"
    path.write_text(path.read_text().replace('  changes: "Changes"\n', ""))
    with pytest.raises(SlideError, match=r"message 'column.changes' is missing from the 'en'"):
        build(IIJ, Q, tmp_path / "out", templates=templates)


def test_unwritable_output_folder(tmp_path: Path) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code, err = run("build", "--quarter", "1Q08", "--data", str(IIJ), "--out", str(blocker / "out"))
    assert code == 1
    assert "cannot write the deck (Not a directory" in one_error_line(err)


def test_failing_write_keeps_the_last_good_deck(
    built: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out, before = built

    def disk_full(*_args: object, **_kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr("reportgen.datapack.write_xlsx", disk_full)
    code, err = run("build", "--quarter", "1Q08", "--data", str(data), "--out", str(out))
    assert code == 1
    assert "No space left on device" in one_error_line(err)
    assert sha(_pdf(out)) == before
    assert _leftovers(out) == []


def test_interrupted_build_leaves_nothing_behind(
    built: tuple[Path, Path, str], monkeypatch: pytest.MonkeyPatch
) -> None:
    data, out, before = built

    def interrupt(*_args: object, **_kwargs: object) -> int:
        raise KeyboardInterrupt

    monkeypatch.setattr(render, "write_pdf", interrupt)
    code, err = run("build", "--quarter", "1Q08", "--data", str(data), "--out", str(out))
    assert code == 130
    assert err.splitlines()[-1] == "interrupted"
    assert sha(_pdf(out)) == before
    assert _leftovers(out) == []


def test_long_bullet_fails_clearly(tmp_path: Path, data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    long_text = "Long commentary. " * 120
    deck.write_text(
        deck.read_text().replace(
            "    title: Consolidated Balance Sheets\n",
            f"    title: Consolidated Balance Sheets\n    bullets:\n      - '{long_text}'\n",
        )
    )
    code, err = run("build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(tmp_path))
    assert code == 2
    row = int(written_at(deck, "title: Consolidated Balance Sheets").split(":")[0]) - 2
    where = f'1Q08.yaml:{row}:5, slide 13 (statement, 1Q08) "Consolidated Balance Sheets"'
    assert f"{where}: does not fit on one page" in one_error_line(err)


def test_two_builds_at_once_do_not_corrupt_each_other(tmp_path: Path) -> None:
    command = cli_command(tmp_path)
    first = subprocess.Popen(command, cwd=ROOT)
    second = subprocess.Popen(command, cwd=ROOT)
    assert first.wait() == 0
    assert second.wait() == 0
    reader = PdfReader(_pdf(tmp_path))
    assert len(reader.pages) > 0
    assert _leftovers(tmp_path) == []


# Values as analysts type them, with the number each must load as: integers and
# up to four decimals, with thousands separators, parentheses, spaces, full width.
ASCII_FORMS = "0123456789,.()-"
FULL_WIDTH_FORMS = "".join(chr(0xFF10 + d) for d in range(10)) + "\uff0c\uff0e\uff08\uff09\uff0d"
FULL_WIDTH = str.maketrans(ASCII_FORMS, FULL_WIDTH_FORMS)
NUMBERS = st.tuples(
    st.integers(min_value=-(10**12) + 1, max_value=10**12 - 1), st.integers(0, 4)
).flatmap(
    lambda case: st.sampled_from(
        [
            (f"{Decimal(case[0]).scaleb(-case[1])}", Decimal(case[0]).scaleb(-case[1])),
            (f"{Decimal(case[0]).scaleb(-case[1]):,}", Decimal(case[0]).scaleb(-case[1])),
            (
                f"({abs(Decimal(case[0]).scaleb(-case[1])):,})"
                if case[0] < 0
                else f"{Decimal(case[0]).scaleb(-case[1]):,}",
                Decimal(case[0]).scaleb(-case[1]),
            ),
            (f" {Decimal(case[0]).scaleb(-case[1])} ", Decimal(case[0]).scaleb(-case[1])),
            (
                f"{Decimal(case[0]).scaleb(-case[1]):,}".translate(FULL_WIDTH),
                Decimal(case[0]).scaleb(-case[1]),
            ),
        ]
    )
)
GARBAGE = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs",)), max_size=12
).map(lambda s: (s, None))
# A valid number with one character slipped in: the near misses a parser guesses at
# (a superscript, another script's digit, a letter, a second sign).
NEAR_MISSES = st.tuples(
    NUMBERS, st.characters(codec="utf-8", exclude_categories=("Cs",)), st.integers(0, 20)
).map(lambda t: (t[0][0][: t[2]] + t[1] + t[0][0][t[2] :], None))


def written_number(raw: str) -> Decimal | None:
    """The number ``raw`` spells, read by hand: ASCII or full-width digits, a sign, commas.

    None if it is made of anything else: such text may only fail to load.
    """
    text = raw.translate(str.maketrans(FULL_WIDTH_FORMS, ASCII_FORMS)).strip()
    if text.startswith("(") and text.endswith(")"):
        # Spaces are allowed inside the parentheses, as around the number: ( 1) is (1).
        text = f"({text[1:-1].strip()})"
    if not text or not set(text) <= set(ASCII_FORMS):
        return None
    negative = text[0] in "(-"
    try:
        return (
            -Decimal(text.strip("()-").replace(",", ""))
            if negative
            else Decimal(text.strip("()-").replace(",", ""))
        )
    except InvalidOperation:
        return None


@settings(max_examples=300, deadline=None)
@given(st.one_of(NUMBERS, GARBAGE, NEAR_MISSES))
def test_loader_loads_the_number_written_or_fails_cleanly(
    case: tuple[str, Decimal | None],
) -> None:
    raw, expected = case
    sources = {"S1": Source(title="t", date=date(2008, 1, 1))}
    with tempfile.TemporaryDirectory() as folder:
        figures = Path(folder) / "figures"
        figures.mkdir()
        buffer = io.StringIO()
        csv.writer(buffer).writerows(
            [("item", "value", "source", "status", "note"), ("revenue", raw, "S1", "published", "")]
        )
        (figures / "1Q08.csv").write_text(buffer.getvalue(), encoding="utf-8")
        try:
            stored = load_figures(Path(folder), sources, catalogue_of(IIJ))
        except DataError as exc:
            error = str(exc)
        else:
            error = ""
    if error:
        assert "\n" not in error
        # The row, or for a NUL byte the file as a whole (binary: never quoted).
        assert "1Q08.csv, line 2" in error or error.endswith(
            "1Q08.csv: a binary file; expected UTF-8 text"
        )
        assert expected is None, f"{raw!r} should load as {expected}"
        return
    value = stored[("revenue", "1Q08")].value
    assert value is not None
    # Loaded means it is exactly the number written, whatever strategy made the text.
    written = expected if expected is not None else written_number(raw)
    assert written is not None, f"{raw!r} is not a number, yet it loaded as {value}"
    assert Decimal(repr(value)) == written, f"{raw!r} loaded as {value}"


def test_ten_thousand_press_releases_fail_clearly(tmp_path: Path, data_copy: Path) -> None:
    deck = data_copy / "decks" / "1Q08.yaml"
    rows = "".join(f"        - {{date: 2008-06-01, title: Release {n}}}\n" for n in range(10_000))
    text = deck.read_text()
    start = text.index("      releases:\n") + len("      releases:\n")
    end = text.index("\n\n", start) + 1
    deck.write_text(text[:start] + rows + text[end:])
    code, err = run("build", "--quarter", "1Q08", "--data", str(data_copy), "--out", str(tmp_path))
    assert code == 2
    line = one_error_line(err)
    # The list, which starts at the first item's dash.
    releases = written_at(deck, "Release 0}").split(":")[0]
    assert f'1Q08.yaml:{releases}:9, slide Ref. 4 (press_releases, 1Q08) "Press Releases": ' in line
    assert "content.releases: Tuple" in line
    assert "at most 16 items" in line
    assert not (tmp_path / "1Q08").exists()


@pytest.mark.parametrize(
    ("deck", "old", "new", "message"),
    [
        (
            "1Q08.yaml",
            '  - kind: group_companies\n    number: "Ref. 3"\n',
            '  - kind: group_companies\n    number: "Ref. 3"\n    content:\n'
            "      factors: [Cash rose]\n",
            '1Q08.yaml:{}:7, slide Ref. 3 (group_companies, 1Q08) "IIJ Group Companies": '
            "content.factors: unknown key; "
            "the group_companies slide reads no content",
        ),
        (
            "1Q08.yaml",
            "      total: revenue\n",
            "      total: revenue\n      factor: [Cash rose]\n",
            '1Q08.yaml:{}:7, slide 2 (breakdown, 1Q08) "Revenues": content.factor: unknown key '
            "(did you mean 'factors'?); the breakdown slide reads total, parts, lines, quarters, "
            "chart, text_column, title_size, callout, factors_title, factors",
        ),
        (
            "1Q08.ja.yaml",
            '  - kind: group_companies\n    number: "Ref. 3"\n',
            '  - kind: group_companies\n    number: "Ref. 3"\n    content:\n      impacts: []\n',
            '1Q08.ja.yaml:{}:7, slide Ref. 3 (group_companies, 1Q08) "IIJグループ会社": '
            "content.impacts: unknown key; "
            "the group_companies slide reads no content",
        ),
    ],
    ids=["kind-reads-none", "misspelt-key", "japanese-deck"],
)
def test_content_a_slide_does_not_read_is_an_error(
    tmp_path: Path, data_copy: Path, deck: str, old: str, new: str, message: str
) -> None:
    path = data_copy / "decks" / deck
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    code, err = run(
        "build",
        "--quarter",
        "1Q08",
        "--edition",
        "ja" if ".ja." in deck else "en",
        "--data",
        str(data_copy),
        "--out",
        str(tmp_path),
        "--no-pdf",
    )
    assert code == 2
    # The line of the unknown key, the line after ``content:``.
    line = text.count("\n", 0, text.index(old)) + new.count("\n")
    assert one_error_line(err).endswith(message.format(line))
    assert not (tmp_path / "1Q08").exists()
