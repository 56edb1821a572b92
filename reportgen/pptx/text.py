"""Text frames: paragraphs with levels and bullets, in the look of their role."""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass

from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_ANCHOR, MSO_AUTO_SIZE, PP_ALIGN
from pptx.oxml.ns import qn
from pptx.shapes.shapetree import SlideShapes
from pptx.util import Emu, Pt

from reportgen import brand
from reportgen.pptx.bodies import Paragraph, TextBlock


@dataclass(frozen=True, slots=True)
class Role:
    """How a text frame of one role looks (sizes as in ``templates/css``).

    Colours are names of the brand's colours (``brand.COLORS``), looked up in the
    deck's ``Brand`` when the frame is written.
    """

    size: float
    bold: bool = False
    color: str = "ink"
    fill: str = ""
    align: str = "left"


ROLES: dict[str, Role] = {
    "body": Role(9),
    "bullets": Role(10),
    "note": Role(7, color="muted"),
    "unit": Role(7, color="muted", align="right"),
    "heading": Role(9, bold=True, color="navy"),
    "lead": Role(9.5),
    "box": Role(8, fill="pale"),
    "target": Role(9, bold=True, color="white", fill="navy"),
    "disclaimer": Role(9),
    "cover-title": Role(26, bold=True, color="navy"),
    "cover-company": Role(16, color="navy"),
    "cover-meta": Role(11),
    "title": Role(15, bold=True, color="navy"),
    "number": Role(13, bold=True, color="white", fill="navy", align="center"),
    "footer": Role(7, color="muted"),
    "draft": Role(7, bold=True, color="neg", align="right"),
}
_ALIGN = {"left": PP_ALIGN.LEFT, "right": PP_ALIGN.RIGHT, "center": PP_ALIGN.CENTER}
_INDENT_PT = 12.0
_PADDING_PT = 3.6


def rgb(color: str) -> RGBColor:
    return RGBColor.from_string(brand.hex_rgb(color))


def _em(text: str) -> float:
    """Width of ``text`` in ems, roughly: wide (CJK) characters are one em, others half."""
    return sum(1.0 if unicodedata.east_asian_width(c) in "WF" else 0.52 for c in text)


def height_pt(block: TextBlock, width_pt: float, scale: float = 1.0) -> float:
    """The height ``block`` needs at ``width_pt``: its wrapped lines at its role's size."""
    role = scaled(ROLES[block.role], scale)
    lines = 0
    for p in block.paragraphs:
        usable = max(width_pt - 2 * _PADDING_PT - _INDENT_PT * (p.level + p.bullet), 20.0)
        lines += max(1, math.ceil(_em(p.text) * role.size / usable))
    spacing = 2.0 * len(block.paragraphs)
    return lines * role.size * 1.22 + spacing + 2 * _PADDING_PT


def scaled(role: Role, scale: float) -> Role:
    return Role(role.size * scale, role.bold, role.color, role.fill, role.align)


def add_text(
    shapes: SlideShapes,
    block: TextBlock,
    left: int,
    top: int,
    width: int,
    height: int,
    scale: float = 1.0,
    look: brand.Brand = brand.DEFAULT,
) -> None:
    role = scaled(ROLES[block.role], scale)
    box = shapes.add_textbox(Emu(left), Emu(top), Emu(width), Emu(height))
    box.name = block.name
    if role.fill:
        box.fill.solid()
        box.fill.fore_color.rgb = rgb(look.colors[role.fill])
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.TEXT_TO_FIT_SHAPE
    frame.vertical_anchor = MSO_ANCHOR.MIDDLE if block.role == "number" else MSO_ANCHOR.TOP
    for margin in ("margin_left", "margin_right", "margin_top", "margin_bottom"):
        setattr(frame, margin, Pt(_PADDING_PT))
    for index, paragraph in enumerate(block.paragraphs):
        target = frame.paragraphs[0] if index == 0 else frame.add_paragraph()
        write_paragraph(target, paragraph, role, look)


def write_paragraph(
    target: object, paragraph: Paragraph, role: Role, look: brand.Brand = brand.DEFAULT
) -> None:
    target.level = paragraph.level  # type: ignore[attr-defined]
    target.alignment = _ALIGN[role.align]  # type: ignore[attr-defined]
    target.space_after = Pt(2)  # type: ignore[attr-defined]
    size = Pt(role.size if paragraph.level == 0 else role.size * 0.92)
    # The paragraph's own size too, or its line keeps the default (18pt) height.
    target.font.size = size  # type: ignore[attr-defined]
    run = target.add_run()  # type: ignore[attr-defined]
    run.text = paragraph.text
    font = run.font
    font.size = size
    font.bold = role.bold or paragraph.bold
    font.color.rgb = rgb(look.colors[role.color])
    if paragraph.bullet:
        _bullet(target, paragraph.level)


def _bullet(paragraph: object, level: int) -> None:
    """A bullet character with a hanging indent (python-pptx has no API for it)."""
    p_pr = paragraph._p.get_or_add_pPr()  # type: ignore[attr-defined]
    indent = int(Pt(_INDENT_PT))
    p_pr.set("marL", str(indent * (level + 1)))
    p_pr.set("indent", str(-indent))
    for tag in ("a:buNone", "a:buChar", "a:buAutoNum"):
        for old in p_pr.findall(qn(tag)):
            p_pr.remove(old)
    char = p_pr.makeelement(qn("a:buChar"), {"char": "\u2022" if level == 0 else "\u2013"})
    # CT_TextParagraphProperties: lnSpc, spcBef, spcAft, bu*... come before tabLst/defRPr.
    successors = [p_pr.find(qn(t)) for t in ("a:tabLst", "a:defRPr", "a:extLst")]
    following = next((e for e in successors if e is not None), None)
    if following is None:
        p_pr.append(char)
    else:
        following.addprevious(char)
