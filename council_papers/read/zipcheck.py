"""Guard for zip-based formats (.docx, .xlsx): refuse bombs before a library opens them."""

from __future__ import annotations

import zipfile
from pathlib import Path
from typing import IO

from council_papers.errors import ReadError

MAX_MEMBERS = 2000
MAX_UNPACKED = 200 * 1024 * 1024
MAX_RATIO = 200


def check_zip(path: Path, source: IO[bytes], *, what: str) -> None:
    """Raise ReadError if *source* is not a zip or would unpack to far more than it is."""
    try:
        with zipfile.ZipFile(source) as zf:
            infos = zf.infolist()
    except (zipfile.BadZipFile, OSError, ValueError) as err:
        raise ReadError(f"{path}: not a valid {what} (damaged or not a zip: {err})") from err
    finally:
        source.seek(0)
    if len(infos) > MAX_MEMBERS:
        raise ReadError(f"{path}: refused: {len(infos)} parts inside (limit {MAX_MEMBERS})")
    unpacked = sum(i.file_size for i in infos)
    packed = sum(i.compress_size for i in infos) or 1
    if unpacked > MAX_UNPACKED or (unpacked > 10 * 1024 * 1024 and unpacked / packed > MAX_RATIO):
        raise ReadError(
            f"{path}: refused: would unpack to {unpacked // (1024 * 1024)} MB "
            f"(a zip bomb or far larger than a {what})"
        )
