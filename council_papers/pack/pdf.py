"""Export the pack to a tagged PDF with LibreOffice, when it is installed.

LibreOffice exits 0 even when it fails to convert, so success is judged by the
output file, never by the exit code. Each run uses a private, throw-away
profile, so it works while the clerk has LibreOffice open and leaves nothing
behind.
"""

from __future__ import annotations

import logging
import os
import shutil
import signal
import subprocess
import tempfile
from pathlib import Path

from council_papers.errors import PackError

log = logging.getLogger(__name__)

INSTALL_HINT = (
    "LibreOffice is not installed: install it (e.g. apt install libreoffice-writer-nogui, "
    "or from libreoffice.org) to export PDF"
)
# Tagged PDF (headings, tables and reading order for screen readers), PDF/UA.
PDF_FILTER = (
    'pdf:writer_pdf_Export:{"UseTaggedPDF":{"type":"boolean","value":"true"},'
    '"PDFUACompliance":{"type":"boolean","value":"true"}}'
)
TIMEOUT_SECONDS = 180


def find_soffice() -> str | None:
    """Return the LibreOffice program on PATH, or None."""
    return shutil.which("soffice") or shutil.which("libreoffice")


def export_pdf(docx: Path, pdf: Path | None = None, *, timeout: float = TIMEOUT_SECONDS) -> Path:
    """Convert *docx* to a tagged PDF (default: beside it, .pdf) and return the PDF's path."""
    docx = Path(docx)
    pdf = Path(pdf) if pdf is not None else docx.with_suffix(".pdf")
    program = find_soffice()
    if program is None:
        raise PackError(INSTALL_HINT)
    if not docx.is_file():
        raise PackError(f"{docx}: file not found")
    with tempfile.TemporaryDirectory(prefix="council-papers-lo-") as tmp:
        work = Path(tmp)
        outdir = work / "out"
        command = [
            program,
            "--headless",
            "--norestore",
            "--nolockcheck",
            "--nodefault",
            "--nologo",
            f"-env:UserInstallation={(work / 'profile').as_uri()}",
            "--convert-to",
            PDF_FILTER,
            "--outdir",
            str(outdir),
            str(docx.resolve()),
        ]
        log.debug("running %s", " ".join(command))
        output = _run(command, timeout, docx)
        produced = outdir / f"{docx.stem}.pdf"
        if not produced.is_file():
            raise PackError(f"{docx}: LibreOffice did not write a PDF{_detail(output)}")
        with produced.open("rb") as fh:
            if fh.read(5) != b"%PDF-":
                raise PackError(f"{docx}: LibreOffice wrote {produced.name}, but it is not a PDF")
        try:
            pdf.parent.mkdir(parents=True, exist_ok=True)
            shutil.move(str(produced), str(pdf))
        except OSError as err:
            raise PackError(f"{pdf}: cannot be written ({err.strerror or err})") from err
    return pdf


def _run(command: list[str], timeout: float, docx: Path) -> str:
    """Run LibreOffice in its own process group, so a timeout stops all of it."""
    try:
        proc = subprocess.Popen(
            command,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    except OSError as err:
        raise PackError(f"{docx}: LibreOffice could not be started ({err})") from err
    try:
        out, _ = proc.communicate(timeout=timeout)
    except subprocess.TimeoutExpired as err:
        _stop(proc)
        raise PackError(
            f"{docx}: LibreOffice took more than {timeout:.0f} s and was stopped"
        ) from err
    return out.decode("utf-8", "replace")


def _stop(proc: subprocess.Popen[bytes]) -> None:
    try:
        if hasattr(os, "killpg"):
            os.killpg(proc.pid, signal.SIGKILL)  # the group we started: soffice and soffice.bin
        else:  # Windows
            proc.kill()
    except ProcessLookupError:
        pass
    proc.communicate()


def _detail(output: str) -> str:
    lines = [line.strip() for line in output.splitlines() if line.strip()]
    return f" ({lines[-1]})" if lines else ""
