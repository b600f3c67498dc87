"""Mailboxes as inputs: an IMAP folder, an mbox file or a Maildir, each yielding its messages.

Each message comes out as a label (where it is: mailbox, folder, UID or position) and
its bytes exactly as a saved .eml would hold them, so it goes through the same reader,
limits and hostile-input checks as a saved file. Nothing here changes a mailbox.
"""

from __future__ import annotations

import datetime as dt
import email.utils
import logging
import os
from collections.abc import Iterator
from dataclasses import dataclass
from email import policy
from email.parser import BytesParser
from pathlib import Path
from typing import IO, Any
from urllib.parse import quote, unquote

from council_papers.errors import MailboxError

log = logging.getLogger(__name__)

PASSWORD_VARIABLE = "COUNCIL_PAPERS_IMAP_PASSWORD"
SECURITY_CHOICES = ("tls", "starttls", "unencrypted")
DEFAULT_PORTS = {"tls": 993, "starttls": 143, "unencrypted": 143}
DEFAULT_TIMEOUT = 30.0  # seconds without an answer before a server counts as unreachable


@dataclass(frozen=True)
class Message:
    """One message taken from a mailbox: its label and bytes, or why it was not taken."""

    label: str
    data: bytes | None
    number: int  # its place among the messages considered, from 1
    total: int
    problem: str | None = None  # set (and data None) when the message was not downloaded


@dataclass(frozen=True)
class MailOptions:
    """How the mailboxes among a run's inputs are read."""

    since: dt.date | None = None  # from this day on; None: from the last meeting in the log
    everything: bool = False  # every message, however old (the config's since still applies)
    password: str | None = None  # else $COUNCIL_PAPERS_IMAP_PASSWORD, else the system keyring
    ssl_context: Any = None  # an ssl.SSLContext; default: the system's trust store
    timeout: float | None = None  # seconds; default: the mailbox's own


@dataclass(frozen=True)
class ImapMailbox:
    """An IMAP folder: where it is, who logs in, and which messages to consider."""

    host: str
    user: str
    folder: str = "INBOX"
    port: int | None = None
    security: str = "tls"  # tls (IMAPS) | starttls | unencrypted
    since: dt.date | None = None  # never fetch mail older than this
    gmail_label: str | None = None
    timeout: float = DEFAULT_TIMEOUT

    @property
    def real_port(self) -> int:
        """The port connected to: the one given, else the usual one for the security."""
        return self.port or DEFAULT_PORTS[self.security]

    def _base(self) -> str:
        scheme = "imaps" if self.security == "tls" else "imap"
        port = "" if self.port in (None, DEFAULT_PORTS[self.security]) else f":{self.port}"
        host = f"[{self.host}]" if ":" in self.host else self.host
        return f"{scheme}://{quote(self.user, safe='')}@{host}{port}/{quote(self.folder, safe='/')}"

    @property
    def label(self) -> str:
        """The folder as a URL: ``imaps://user@host/Folder``."""
        return self._base()

    def message_label(self, validity: int, uid: int) -> str:
        """One message as an RFC 5092 IMAP URL: mailbox, folder, UIDVALIDITY and UID."""
        return f"{self._base()};UIDVALIDITY={validity}/;UID={uid}"

    def messages(
        self, options: MailOptions, since: dt.date | None, max_bytes: int
    ) -> Iterator[Message]:
        """Yield the folder's messages from *since* on, read-only; MailboxError if it cannot."""
        from council_papers.read.imap import fetch

        return fetch(self, options, since, max_bytes)


def keyring_entry(box: ImapMailbox) -> tuple[str, str]:
    """The (service, user name) a mailbox's password is stored under in the system keyring."""
    return f"council-papers:{box.host}", box.user


def stored_password(box: ImapMailbox) -> str | None:
    """The password from $COUNCIL_PAPERS_IMAP_PASSWORD, else the system keyring, else None.

    The keyring is asked only when the optional ``keyring`` package is installed.
    """
    if os.environ.get(PASSWORD_VARIABLE):
        return os.environ[PASSWORD_VARIABLE]
    try:
        import keyring
    except ImportError:
        return None
    try:
        return keyring.get_password(*keyring_entry(box)) or None
    except Exception as err:  # no keyring service on this machine, or it is locked: ask instead
        log.info("system keyring not available (%s)", err)
        return None


def is_mailbox_url(text: str) -> bool:
    """True when *text* is written as an IMAP address (imaps:// or imap://)."""
    return text.lower().startswith(("imaps://", "imap://"))


def parse_mailbox_url(text: str) -> ImapMailbox:
    """Read ``imaps://USER@HOST[:PORT]/FOLDER`` (or imap://, then with STARTTLS)."""
    scheme, _, rest = text.partition("://")
    security = "tls" if scheme.lower() == "imaps" else "starttls"
    where, _, folder = rest.partition("/")
    user, at, hostport = where.rpartition("@")  # a user can be an address: the last @ ends it
    if not at or not user or not hostport:
        raise MailboxError(f"{text}: a mailbox is written imaps://USER@HOST/FOLDER")
    if ":" in user:  # imaps://user:password@host would put the password in the log
        raise MailboxError(
            f"{scheme}://{user.partition(':')[0]}:…@{hostport}/…: the password does not "
            f"go in the address; set {PASSWORD_VARIABLE} or type it when asked"
        )
    if hostport.startswith("["):  # an IPv6 address: [::1]:993
        host, _, tail = hostport[1:].partition("]")
        if tail and not tail.startswith(":"):
            raise MailboxError(f"{text}: cannot read the server's address")
        number: str | None = tail[1:] if tail else None
    else:
        host, colon, number = hostport.partition(":")
        number = number if colon else None
    port = None
    if number is not None:
        if not number.isdigit() or not 0 < int(number) < 65536:
            raise MailboxError(f"{text}: the port must be a number from 1 to 65535")
        port = int(number)
    if "?" in folder or "#" in folder or ";" in folder:
        raise MailboxError(f"{text}: only a folder may follow the server (no ?, # or ;)")
    return ImapMailbox(
        host=host,
        user=unquote(user),
        folder=unquote(folder.strip("/")) or "INBOX",
        port=port,
        security=security,
    )


# -- files: mbox and Maildir ---------------------------------------------------------


def is_maildir(path: Path) -> bool:
    """True for a Maildir directory (it holds cur/ and new/)."""
    return (path / "cur").is_dir() and (path / "new").is_dir()


def is_mbox(path: Path) -> bool:
    """True for an mbox file: named .mbox, or starting with an mbox "From " line."""
    if path.suffix.lower() == ".mbox":
        return True
    try:
        with path.open("rb") as fh:
            return fh.read(5) == b"From "
    except OSError:
        return False


def sent_on(data: bytes) -> dt.date | None:
    """The day a message's Date header says it was sent, or None if it has none it can read."""
    head = data[: data.find(b"\n\n") + 1 or 65536][:65536]
    try:
        value = BytesParser(policy=policy.compat32).parsebytes(head, headersonly=True)["Date"]
        return email.utils.parsedate_to_datetime(str(value)).date() if value else None
    except (TypeError, ValueError, IndexError, OverflowError):
        return None


def too_large(size: int, max_bytes: int) -> str:
    """The reason a message over the size limit is not read (as for a saved file)."""
    return (
        f"too large ({size / 1048576:.1f} MB; the limit is {max_bytes / 1048576:.0f} MB, "
        "set by [limits] max_file_mb)"
    )


@dataclass(frozen=True)
class FileMailbox:
    """An mbox file or a Maildir directory on disk."""

    path: Path
    kind: str  # "mbox" | "maildir"

    @property
    def label(self) -> str:
        """The mailbox's path."""
        return str(self.path)

    def messages(
        self, options: MailOptions, since: dt.date | None, max_bytes: int
    ) -> Iterator[Message]:
        """Yield the messages sent from *since* on (no date: always), in file order."""
        import mailbox

        try:
            box: Any = (
                mailbox.mbox(self.path, create=False)
                if self.kind == "mbox"
                else mailbox.Maildir(self.path, factory=None, create=False)
            )
            keys = list(box.keys())
        except (OSError, mailbox.Error) as err:
            raise MailboxError(f"{self.path}: cannot be opened as {self.kind} ({err})") from err
        if self.kind == "maildir":
            keys.sort()  # Maildir names start with the time of delivery
        try:
            for n, key in enumerate(keys, start=1):
                label = f"{self.path}#{n if self.kind == 'mbox' else key}"
                fh: IO[bytes] = box.get_file(key)
                try:
                    fh.seek(0, 2)
                    size = fh.tell()
                    if size > max_bytes:
                        yield Message(label, None, n, len(keys), too_large(size, max_bytes))
                        continue
                    fh.seek(0)
                    data = fh.read()
                finally:
                    fh.close()
                sent = sent_on(data)
                if since is not None and sent is not None and sent < since:
                    continue
                yield Message(label, data, n, len(keys))
        except (OSError, KeyError) as err:  # the file changed under us
            raise MailboxError(f"{self.path}: could not be read to the end ({err})") from err
        finally:
            box.close()
