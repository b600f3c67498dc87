"""The key that identifies a message across runs: its Message-ID, else a content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata
from pathlib import PurePath

from council_papers.models import Correspondence


def normalise_text(text: str) -> str:
    """Lower-case words only: the same message pasted or saved differently compares equal."""
    if not text.isascii():  # NFKC changes no ASCII text: skip it for the common case
        text = unicodedata.normalize("NFKC", text)
    text = text.casefold()
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a link's address is not its content
    return " ".join(re.findall(r"[^\W_]+", text))


def record_key(record: Correspondence) -> str:
    """Return ``mid:<Message-ID>``, ``sha:<hash of subject and text>``, or ``file:<name>``."""
    if record.message_id:
        return "mid:" + record.message_id.strip().strip("<>").lower()
    content = normalise_text(f"{record.subject or ''}\n{record.text}")
    if not content:
        # nothing to compare (a scan with no text layer): two such files are not one
        # message, so the file's name stands for it
        return "file:" + PurePath(record.path).name.casefold()
    return "sha:" + hashlib.sha256(content.encode("utf-8")).hexdigest()[:32]
