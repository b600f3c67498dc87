"""The meeting pack: the Police Matters item as a Word document on the clerk's template, and PDF.

    from council_papers.pack import PackItem, PackSpec, write_pack, export_pdf
    written = write_pack(spec, agenda_items, circulated_items, Path("police-matters.docx"))
    written.path, written.styles_added  # the pack, and the styles its template lacked

python-docx and LibreOffice are only loaded when a pack is written or exported.
"""

from __future__ import annotations

from council_papers.pack.deadline import long_date, publication_deadline
from council_papers.pack.items import PackItem, PackSpec
from council_papers.pack.pdf import export_pdf
from council_papers.pack.template import (
    REQUIRED_STYLES,
    check_template,
    default_template,
)
from council_papers.pack.writer import WrittenPack, pack_title, write_pack

__all__ = [
    "REQUIRED_STYLES",
    "PackItem",
    "PackSpec",
    "WrittenPack",
    "check_template",
    "default_template",
    "export_pdf",
    "long_date",
    "pack_title",
    "publication_deadline",
    "write_pack",
]
