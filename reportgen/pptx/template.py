"""The company's own PowerPoint template, where its data folder has one.

``template.pptx`` or ``template.potx`` in the data folder gives the edition its slide
masters, layouts and theme: the slides are laid on its blank layout, so its logo,
bars and background show under them. Its own slides, if any, are dropped. The
slides are laid out at the PDF's page size (10 x 5.625 in), so a 16:9 template of
another size (PowerPoint's 13.33 x 7.5 in) has its masters and layouts scaled to it;
a template of another shape is an input error. Without a template, python-pptx's
clean default takes the deck's brand theme (``deck._theme``).
"""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

from pptx import Presentation
from pptx.presentation import Presentation as PresentationType
from pptx.slide import SlideLayout

from reportgen.data.load import read_bytes, shown
from reportgen.errors import DataError

NAMES = ("template.pptx", "template.potx")
_TEMPLATE_TYPE = b"presentationml.template.main+xml"
_PRESENTATION_TYPE = b"presentationml.presentation.main+xml"


def find(root: Path) -> Path | None:
    """The data folder's template, if it has one."""
    return next((root / name for name in NAMES if (root / name).exists()), None)


def _as_presentation(data: bytes) -> bytes:
    """A .potx read as a .pptx: the two differ only in the main part's content type."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "[Content_Types].xml":
                content = content.replace(_TEMPLATE_TYPE, _PRESENTATION_TYPE)
            target.writestr(info, content)
    return out.getvalue()


def open_template(path: Path, root: Path, width: int, height: int) -> PresentationType:
    """The template at ``path``, without its slides, its masters fitted to the page size."""
    data = read_bytes(path, root)
    try:
        if path.suffix == ".potx":
            data = _as_presentation(data)
        presentation = Presentation(io.BytesIO(data))
    except (zipfile.BadZipFile, KeyError, ValueError) as exc:
        raise DataError(
            f"{shown(path)}: not a PowerPoint template ({exc}); expected a .pptx or .potx"
        ) from None
    own_w, own_h = presentation.slide_width or width, presentation.slide_height or height
    if abs(own_w / own_h - width / height) > 0.01:
        raise DataError(
            f"{shown(path)}: its slides are {own_w / 914400:.2f} x {own_h / 914400:.2f} in; "
            "expected 16:9 (as 13.33 x 7.5 in), the deck's shape"
        )
    _drop_slides(presentation)
    factor = width / own_w
    if abs(factor - 1) > 1e-6:
        for master in presentation.slide_masters:
            _scale(master.shapes, factor)
            for layout in master.slide_layouts:
                _scale(layout.shapes, factor)
    presentation.slide_width, presentation.slide_height = width, height
    return presentation


def _drop_slides(presentation: PresentationType) -> None:
    listing = presentation.slides._sldIdLst  # python-pptx has no API to delete a slide
    for entry in list(listing):
        presentation.part.drop_rel(entry.rId)
        listing.remove(entry)


def _scale(shapes: object, factor: float) -> None:
    for shape in shapes:  # type: ignore[attr-defined]
        for name in ("left", "top", "width", "height"):
            value = getattr(shape, name)
            if value is not None:  # a placeholder that inherits its place keeps it
                setattr(shape, name, int(value * factor))


def blank_layout(presentation: PresentationType) -> SlideLayout:
    """The layout slides are laid on: one named "Blank", else the one with fewest placeholders."""
    layouts = list(presentation.slide_layouts)
    named = [layout for layout in layouts if layout.name.strip().lower() == "blank"]
    if named:
        return named[0]
    return min(layouts, key=lambda layout: len(layout.placeholders))
