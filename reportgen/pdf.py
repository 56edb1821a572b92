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
from typing import TYPE_CHECKING, Any

import pydyf

from reportgen import __version__

if TYPE_CHECKING:
    from weasyprint import Document

VARIANT = "pdf/a-3a"
# reportgen's own XMP properties: whether the file passed the release gate, and the
# content hash it passed with. PDF/A admits a property outside its predefined schemas
# only if the packet describes its schema (ISO 19005-3, 6.6.2.3), hence the extension.
RELEASE_NS = "urn:reportgen:ns:release:1.0#"
_RELEASE_PROPERTIES = (
    ("status", "final: the deck passed reportgen's release gate; draft: it did not go through it"),
    ("gate", "passed, for a final deck"),
    ("contentHash", "the content hash of the data, deck file, templates, fonts and code"),
)


@dataclass(frozen=True, slots=True)
class DataFile:
    """A file attached to the PDF, such as the CSV of the deck's figures."""

    name: str
    content: str
    description: str


def _weasyprint_version() -> str:
    # Imported when used: a build names its attachments before WeasyPrint is loaded.
    from weasyprint import __version__ as version

    return version


def producer() -> str:
    return f"reportgen {__version__} (WeasyPrint {_weasyprint_version()})"


def release_xmp(released: str) -> bytes:
    """The XMP descriptions of a deck's release state (``released``: its content hash, or "")."""
    properties = "".join(
        '<rdf:li rdf:parseType="Resource">'
        f"<pdfaProperty:name>{name}</pdfaProperty:name>"
        "<pdfaProperty:valueType>Text</pdfaProperty:valueType>"
        "<pdfaProperty:category>external</pdfaProperty:category>"
        f"<pdfaProperty:description>{description}</pdfaProperty:description>"
        "</rdf:li>"
        for name, description in _RELEASE_PROPERTIES
    )
    schema = (
        '<rdf:Description rdf:about="" '
        'xmlns:pdfaExtension="http://www.aiim.org/pdfa/ns/extension/" '
        'xmlns:pdfaSchema="http://www.aiim.org/pdfa/ns/schema#" '
        'xmlns:pdfaProperty="http://www.aiim.org/pdfa/ns/property#">'
        '<pdfaExtension:schemas><rdf:Bag><rdf:li rdf:parseType="Resource">'
        "<pdfaSchema:schema>reportgen release</pdfaSchema:schema>"
        f"<pdfaSchema:namespaceURI>{RELEASE_NS}</pdfaSchema:namespaceURI>"
        "<pdfaSchema:prefix>reportgen</pdfaSchema:prefix>"
        f"<pdfaSchema:property><rdf:Seq>{properties}</rdf:Seq></pdfaSchema:property>"
        "</rdf:li></rdf:Bag></pdfaExtension:schemas></rdf:Description>"
    )
    state = (
        f"<reportgen:status>final</reportgen:status><reportgen:gate>passed</reportgen:gate>"
        f"<reportgen:contentHash>{released}</reportgen:contentHash>"
        if released
        else "<reportgen:status>draft</reportgen:status>"
    )
    values = f'<rdf:Description rdf:about="" xmlns:reportgen="{RELEASE_NS}">{state}'
    values += "</rdf:Description>"
    return (schema + values).encode()


def _finisher(labels: Sequence[str], released: str) -> Any:
    def finish(document: Document, pdf: pydyf.PDF) -> None:
        # Page labels let a reader type "13" to reach slide 13, as printed on it.
        numbers = pydyf.Array()
        for index, label in enumerate(labels):
            numbers.extend([index, pydyf.Dictionary({"P": pydyf.String(label)})])
        pdf.catalog["PageLabels"] = pydyf.Dictionary({"Nums": numbers})
        # The producer is in both the info dictionary and the XMP packet; PDF/A
        # requires the two to agree, so both are rewritten.
        old, new = f"WeasyPrint {_weasyprint_version()}", producer()
        pdf.info["Producer"] = pydyf.String(new)
        reference = pdf.catalog.get("Metadata")
        if reference:
            text = reference.decode() if isinstance(reference, bytes) else str(reference)
            stream = pdf.objects[int(text.split()[0])]
            stream.stream = [
                part.replace(old.encode(), new.encode()).replace(
                    b"</rdf:RDF>", release_xmp(released) + b"</rdf:RDF>", 1
                )
                for part in stream.stream
            ]

    return finish


def write(
    document: Document,
    target: Path,
    *,
    labels: Sequence[str],
    attachments: Sequence[DataFile],
    created: datetime,
    released: str = "",
) -> None:
    """Write ``document`` as PDF/A-3a to ``target`` with ``attachments`` embedded.

    ``released``: the content hash a final deck passed the release gate with (XMP says
    so); empty for a draft (XMP says draft).
    """
    from weasyprint import Attachment

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
        finisher=_finisher(labels, released),
    )
