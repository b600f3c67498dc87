"""What is inside a workbook: refuse files that are not logs or are hostile; count what might be lost.

Reads the zip directly; nothing here needs openpyxl.
"""

from __future__ import annotations

import re
import zipfile
import zlib
from collections import Counter
from pathlib import Path

from council_papers.errors import ReadError, RegisterError
from council_papers.limits import MAX_LOG_UNPACKED_MB
from council_papers.zipcheck import check_zip, doctype_part

_DRAWING_NS = "http://schemas.openxmlformats.org/drawingml/2006/spreadsheetDrawing"
_SHAPES = {f"{{{_DRAWING_NS}}}{tag}" for tag in ("sp", "grpSp", "cxnSp")}
# Parts a clerk may have put in the workbook, by what the clerk would call them.
# Each is counted before and after a save; any count that drops is a loss.
_PARTS = (
    (re.compile(r"xl/slicers/[^/]+\.xml$"), "slicers"),
    (re.compile(r"xl/slicerCaches/[^/]+\.xml$"), "slicers"),
    (re.compile(r"xl/timelines/[^/]+\.xml$"), "timelines"),
    (re.compile(r"xl/ctrlProps/[^/]+\.xml$"), "form controls (buttons, check boxes)"),
    (re.compile(r"xl/activeX/[^/]+\.xml$"), "ActiveX controls"),
    (re.compile(r"xl/vbaProject\.bin$"), "macros"),
    (re.compile(r"xl/pivotTables/[^/]+\.xml$"), "pivot tables"),
    (re.compile(r"xl/charts/chart\d+\.xml$"), "charts"),
    (re.compile(r"xl/media/[^/]+$"), "pictures"),
    (re.compile(r"xl/embeddings/[^/]+$"), "embedded objects"),
    (re.compile(r"xl/comments[^/]*(/[^/]+)?\.xml$"), "notes (comments)"),
    (re.compile(r"xl/externalLinks/[^/]+\.xml$"), "links to other workbooks"),
    (re.compile(r"xl/model/"), "a data model (Power Pivot)"),
    (re.compile(r"xl/connections\.xml$"), "data connections"),
    (re.compile(r"xl/queryTables/[^/]+\.xml$"), "query tables"),
)
_OLE = bytes.fromhex("D0CF11E0A1B11AE1")  # how encrypted .xlsx and old .xls files start


def check_archive(path: Path, max_unpacked_mb: float = MAX_LOG_UNPACKED_MB) -> None:
    """Refuse a file that is not a zip, is a zip bomb, or is a zip but not a workbook."""
    try:
        with path.open("rb") as fh:
            if fh.read(8) == _OLE:
                raise RegisterError(
                    f"{path}: a password-protected or old-style (.xls) workbook: "
                    "save it unprotected as .xlsx and run again"
                )
            fh.seek(0)
            check_zip(
                path,
                fh,
                what="Excel workbook",
                max_unpacked=int(max_unpacked_mb * 1024 * 1024),
                setting="max_log_unpacked_mb",
            )
            with zipfile.ZipFile(fh) as zf:
                if "xl/workbook.xml" not in zf.namelist():
                    raise RegisterError(
                        f"{path}: not an Excel workbook (.xlsx): no xl/workbook.xml inside"
                    )
                _check_doctypes(path, zf)
    except ReadError as err:
        raise RegisterError(str(err)) from err
    # a damaged member: bad data, truncation, encryption or an unknown compression
    except (
        OSError,
        EOFError,
        zipfile.BadZipFile,
        zlib.error,
        RuntimeError,
        NotImplementedError,
    ) as err:
        raise RegisterError(f"{path}: cannot be read ({err})") from err


def _check_doctypes(path: Path, zf: zipfile.ZipFile) -> None:
    """Refuse XML parts that declare a DOCTYPE: no workbook needs one, entity attacks do.

    openpyxl parses most parts with lxml when it is installed, not defusedxml, so
    entity declarations are stopped here.
    """
    part = doctype_part(zf)
    if part is not None:
        raise RegisterError(
            f"{path}: refused: {part} declares XML entities (a DOCTYPE), "
            "which no Excel workbook needs"
        )


def _shapes(data: bytes) -> int:
    from defusedxml.ElementTree import fromstring

    try:
        return sum(1 for el in fromstring(data).iter() if el.tag in _SHAPES)
    except Exception:  # an unreadable drawing: count it, so a save that drops it is refused
        return 1


def count_parts(path: Path) -> Counter[str]:
    """Count what a workbook holds that openpyxl might not write back."""
    found: Counter[str] = Counter()
    with zipfile.ZipFile(path) as zf:
        for name in zf.namelist():
            if re.fullmatch(r"xl/drawings/[^/]+\.xml", name):
                found["shapes or text boxes"] += _shapes(zf.read(name))
            for pattern, what in _PARTS:
                if pattern.match(name):
                    found[what] += 1
    return found
