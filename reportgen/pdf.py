"""The PDF for distribution: PDF/A-3a (tagged, archivable) with the deck's data attached.

WeasyPrint does the layout; this module adds what an IR deck needs on top:
page labels equal to the slide numbers, a producer line naming reportgen, and
the figures behind every slide as an attached CSV file (PDF/A-3 allows it).
Nothing here reads the clock, so the same data gives a byte-identical file.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import pydyf
from weasyprint import Attachment, Document
from weasyprint import __version__ as weasyprint_version

from reportgen import __version__

VARIANT = "pdf/a-3a"


@dataclass(frozen=True, slots=True)
class DataFile:
    """A file attached to the PDF, such as the CSV of the deck's figures."""

    name: str
    content: str
    description: str


def producer() -> str:
    return f"reportgen {__version__} (WeasyPrint {weasyprint_version})"


def _finisher(labels: Sequence[str]) -> Any:
    def finish(document: Document, pdf: pydyf.PDF) -> None:
        # Page labels let a reader type "13" to reach slide 13, as printed on it.
        numbers = pydyf.Array()
        for index, label in enumerate(labels):
            numbers.extend([index, pydyf.Dictionary({"P": pydyf.String(label)})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})
        # The producer is in both the info dictionary and the XMP packet; PDF/A
        # requires the two to agree, so both are rewritten.
        old, new = f"WeasyPrint {weasyprint_version}", producer()
        pdf.info["Producer"] = pydyf.String(new)
        reference = pdf.catalog.get("Metadata")
        if reference:
            text = reference.decode() if isinstance(reference, bytes) else str(reference)
            stream = pdf.objects[int(text.split()[0])]
            stream.stream = [part.replace(old.encode(), new.encode()) for part in stream.stream]

    return finish


def write(
    document: Document,
    target: Path,
    *,
    labels: Sequence[str],
    attachments: Sequence[DataFile],
    created: datetime,
) -> None:
    """Write ``document`` as PDF/A-3a to ``target`` with ``attachments`` embedded."""
    files = [
        Attachment(
            string=data.content,
            name=data.name,
            description=data.description,
            created=created,
            modified=created,
            relationship="Data",
        )
        for data in attachments
    ]
    document.write_pdf(
        target,
        pdf_variant=VARIANT,
        attachments=files,
        finisher=_finisher(labels),
    )
