"""A company's own PowerPoint template: its masters and layouts under the deck's slides."""

from __future__ import annotations

import copy
import io
import shutil
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.util import Inches

from reportgen.cli import main
from reportgen.data.load import load_dataset
from reportgen.quarters import Quarter
from reportgen.render import TEMPLATES
from reportgen.review.content import content_hash
from tests.conftest import EXAMPLE

BRAND_TEXT = "EXAMPLE TEMPLATE BAR"


def _template(path: Path, width: float, height: float) -> None:
    """A template of ``width`` x ``height`` in: a text box on its master, one slide of its own."""
    presentation = Presentation()
    presentation.slide_width, presentation.slide_height = Inches(width), Inches(height)
    scratch = presentation.slides.add_slide(presentation.slide_layouts[6])
    box = scratch.shapes.add_textbox(Inches(1), Inches(0.2), Inches(4), Inches(0.4))
    box.text_frame.text = BRAND_TEXT
    # python-pptx adds shapes to slides only: move a copy onto the master.
    presentation.slide_master.shapes._spTree.append(copy.deepcopy(box._element))
    presentation.save(str(path))


def _build(data: Path, out: Path) -> tuple[int, str]:
    err = io.StringIO()
    argv = ["-q", "build", "--quarter", "1Q25", "--data", str(data), "--out", str(out), "--pptx"]
    return main(argv, io.StringIO(), err), err.getvalue()


def _deck_slides(data: Path) -> list[str]:
    text = (data / "decks" / "1Q25.yaml").read_text(encoding="utf-8")
    return [line for line in text.splitlines() if line.startswith("  - kind: ")]


@pytest.fixture
def fictional(tmp_path: Path) -> Path:
    target = tmp_path / "fictional"
    shutil.copytree(EXAMPLE, target)
    return target


def test_slides_use_the_company_template(fictional: Path, tmp_path: Path) -> None:
    _template(fictional / "template.pptx", 13.333, 7.5)
    code, err = _build(fictional, tmp_path / "out")
    assert code == 0, err
    (path,) = (tmp_path / "out" / "1Q25").glob("*-results-en.pptx")
    built = Presentation(str(path))
    # The template's own slide is gone: one slide per deck slide, at the PDF's page size.
    assert len(built.slides) == len(_deck_slides(fictional))
    assert (built.slide_width, built.slide_height) == (Inches(10), Inches(5.625))
    master = built.slide_master
    (bar,) = [s for s in master.shapes if s.has_text_frame and s.text_frame.text == BRAND_TEXT]
    # Scaled with the page: 1 in from the left on 13.333 in is 0.75 in on 10 in.
    assert bar.left == pytest.approx(Inches(0.75), rel=0.01)
    assert all(slide.slide_layout.slide_master.part is master.part for slide in built.slides)
    assert BRAND_TEXT not in {
        shape.text_frame.text
        for slide in built.slides
        for shape in slide.shapes
        if shape.has_text_frame
    }


def test_a_template_of_another_shape_is_an_input_error(fictional: Path, tmp_path: Path) -> None:
    _template(fictional / "template.pptx", 10, 7.5)
    code, err = _build(fictional, tmp_path / "out")
    assert code == 2
    (line,) = [x for x in err.splitlines() if x.startswith("error:")]
    assert "template.pptx: its slides are 10.00 x 7.50 in; expected 16:9" in line
    assert "Traceback" not in err


def test_a_broken_template_is_an_input_error(fictional: Path, tmp_path: Path) -> None:
    (fictional / "template.potx").write_bytes(b"not a zip")
    code, err = _build(fictional, tmp_path / "out")
    assert code == 2
    assert "template.potx: not a PowerPoint template" in err


def test_the_template_is_part_of_what_is_approved(fictional: Path) -> None:
    """A new or changed template makes an approval stale, as any data file does."""
    quarter = Quarter.parse("1Q25")
    before = content_hash(load_dataset(fictional), quarter, "en", TEMPLATES)
    _template(fictional / "template.pptx", 13.333, 7.5)
    after = content_hash(load_dataset(fictional), quarter, "en", TEMPLATES)
    assert before.digest != after.digest
    assert after.changed_files(dict(before.files)) == ["template.pptx"]
