"""The key that identifies a message across runs: its Message-ID, else a content hash."""

from __future__ import annotations

import hashlib
import re
import unicodedata

from council_papers.models import Correspondence


def normalise_text(text: str) -> str:
    """Lower-case words only: the same message pasted or saved differently compares equal."""
    text = unicodedata.normalize("NFKC", text).casefold()
    text = re.sub(r"\]\([^)]*\)", "]", text)  # a link's address is not its content
    return " ".join(re.findall(r"[^\W_]+", text))


def record_key(record: Correspondence) -> str:
    """Return ``mid:<Message-ID>`` or ``sha:<hash of subject and text>``."""
    if record.message_id:
        return "mid:" + record.message_id.strip().strip("<>").lower()
    digest = hashlib.sha256(
        normalise_text(f"{record.subject or ''}\n{record.text}").encode("utf-8")
    ).hexdigest()
    return "sha:" + digest[:32]
