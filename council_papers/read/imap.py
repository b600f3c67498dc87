"""IMAP: a folder's messages, fetched read-only (EXAMINE, BODY.PEEK[]) over verified TLS.

Nothing is deleted, moved or marked: the folder is opened with EXAMINE and each
message fetched with BODY.PEEK[], which leaves its \\Seen flag alone. Every failure
is a MailboxError whose message starts with the folder's address and says in one
line what a clerk can do about it.
"""

from __future__ import annotations

import base64
import datetime as dt
import imaplib
import logging
import re
import socket
import ssl
from collections.abc import Iterator
from typing import TYPE_CHECKING

from council_papers.errors import MailboxError
from council_papers.read.mailbox import PASSWORD_VARIABLE, Message, stored_password, too_large

if TYPE_CHECKING:
    from council_papers.read.mailbox import ImapMailbox, MailOptions

log = logging.getLogger(__name__)

SIZES_PER_COMMAND = 200  # UIDs per FETCH (RFC822.SIZE): keeps each command line short
CHECK_EVERY = 100  # messages between checks that the folder is still the one examined
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_UID = re.compile(rb"\bUID (\d+)")
_SIZE = re.compile(rb"\bRFC822\.SIZE (\d+)")
_VALIDITY = re.compile(rb"\bUIDVALIDITY (\d+)")
_TIMING = re.compile(r"\s*\([\d.]+ \+ [\d.]+(?: \+ [\d.]+)? secs\)")


def imap_date(day: dt.date) -> str:
    """A date as IMAP SEARCH writes it (5-Jul-2022), whatever the locale."""
    return f"{day.day}-{_MONTHS[day.month - 1]}-{day.year}"


def quote_folder(name: str) -> str:
    """A folder name as an IMAP quoted string, non-ASCII in modified UTF-7 (RFC 3501 5.1.3)."""
    out, run = [], ""
    for char in name + "\x00":  # the sentinel flushes a last non-ASCII run
        if char != "\x00" and not 0x20 <= ord(char) <= 0x7E:
            run += char
            continue
        if run:
            encoded = base64.b64encode(run.encode("utf-16-be")).rstrip(b"=").replace(b"/", b",")
            out.append("&" + encoded.decode("ascii") + "-")
            run = ""
        if char != "\x00":
            out.append("&-" if char == "&" else char)
    text = "".join(out).replace("\\", "\\\\").replace('"', '\\"')
    return f'"{text}"'


def _text(data: object) -> str:
    """A server's reply as one line of text."""
    if isinstance(data, list):
        data = b" ".join(d for d in data if isinstance(d, bytes))
    if isinstance(data, bytes):
        data = data.decode("utf-8", "replace")
    text = _TIMING.sub("", " ".join(str(data).split()))  # Dovecot's "(0.001 + 0.000 secs)."
    return text.rstrip(" .")[:200]


def _connect(box: ImapMailbox, context: ssl.SSLContext, timeout: float) -> imaplib.IMAP4:
    """Open the connection (TLS from the start, or STARTTLS), turning failures into one line."""
    where = f"{box.host}:{box.real_port}"
    try:
        if box.security == "tls":
            return imaplib.IMAP4_SSL(box.host, box.real_port, ssl_context=context, timeout=timeout)
        client = imaplib.IMAP4(box.host, box.real_port, timeout=timeout)
        if box.security == "starttls":
            if "STARTTLS" not in client.capabilities:
                client.shutdown()
                raise MailboxError(
                    f"{box.label}: the server does not offer STARTTLS, so the "
                    "connection would not be encrypted: use imaps:// instead"
                )
            client.starttls(ssl_context=context)
        else:
            log.warning(
                '%s: unencrypted connection (security = "unencrypted" in council.toml): '
                "the password and the messages cross the network readable by anyone",
                box.label,
            )
        return client
    except ssl.SSLCertVerificationError as err:
        raise MailboxError(
            f"{box.label}: the server's certificate is not trusted ({err.verify_message}); if the "
            "council's mail server uses its own certificate authority, set SSL_CERT_FILE to its "
            "certificate"
        ) from err
    except ssl.SSLError as err:
        raise MailboxError(
            f"{box.label}: the secure connection to {where} failed "
            f"({err.reason or err}): is this the IMAPS port?"
        ) from err
    except socket.gaierror as err:
        raise MailboxError(
            f"{box.label}: server {box.host} not found (check its name and the internet connection)"
        ) from err
    except ConnectionRefusedError as err:
        raise MailboxError(
            f"{box.label}: {where} refused the connection: the server is down "
            "or the address or port is wrong"
        ) from err
    except TimeoutError as err:
        raise MailboxError(
            f"{box.label}: no answer from {where} within {timeout:g} seconds: "
            "the server is unreachable or too slow"
        ) from err
    except OSError as err:
        raise MailboxError(f"{box.label}: cannot reach {where} ({err.strerror or err})") from err
    except imaplib.IMAP4.error as err:  # not an IMAP greeting
        raise MailboxError(
            f"{box.label}: {where} did not answer as an IMAP server ({_text(str(err))})"
        ) from err


def _login(client: imaplib.IMAP4, box: ImapMailbox, password: str) -> None:
    try:
        if "AUTH=PLAIN" in client.capabilities:  # PLAIN carries a UTF-8 password; LOGIN only ASCII
            secret = f"\x00{box.user}\x00{password}".encode()
            client.authenticate("PLAIN", lambda _challenge: secret)
        else:
            client.login(box.user, password)
    except UnicodeEncodeError as err:
        raise MailboxError(
            f"{box.label}: this server only accepts a password of plain ASCII characters"
        ) from err
    except imaplib.IMAP4.error as err:
        raise MailboxError(
            f"{box.label}: the server refused the user name or password ({_text(str(err))}); "
            "for Gmail use an app password"
        ) from err


def _folders(client: imaplib.IMAP4) -> list[str]:
    typ, data = client.list()
    names = []
    for line in data if typ == "OK" else []:
        if isinstance(line, bytes):
            name = line.rsplit(b" ", 1)[-1].strip(b'"').decode("utf-8", "replace")
            names.append(name)
    return sorted(names)[:20]


def _examine(client: imaplib.IMAP4, box: ImapMailbox) -> int:
    """Open the folder read-only (EXAMINE); return its UIDVALIDITY."""
    typ, data = client.select(quote_folder(box.folder), readonly=True)
    if typ != "OK":
        known = ", ".join(_folders(client)) or "none listed"
        raise MailboxError(
            f"{box.label}: no folder '{box.folder}' on the server "
            f"({_text(data)}); its folders: {known}"
        )
    _, values = client.response("UIDVALIDITY")
    try:
        return int(values[-1])
    except (TypeError, ValueError, IndexError) as err:
        raise MailboxError(f"{box.label}: the server gave no UIDVALIDITY for the folder") from err


def _search(client: imaplib.IMAP4, box: ImapMailbox, since: dt.date | None) -> list[int]:
    criteria = []
    if since is not None:
        criteria += ["SINCE", imap_date(since)]
    if box.gmail_label:
        if "X-GM-EXT-1" not in client.capabilities:
            raise MailboxError(f"{box.label}: gmail_label works only with Gmail's server")
        criteria += ["X-GM-LABELS", quote_folder(box.gmail_label)]
    typ, data = client.uid("SEARCH", *(criteria or ["ALL"]))
    if typ != "OK":
        raise MailboxError(f"{box.label}: the server refused the search ({_text(data)})")
    found = b" ".join(d for d in data if isinstance(d, bytes)).split()
    return sorted(int(uid) for uid in found if uid.isdigit())


def _sizes(client: imaplib.IMAP4, uids: list[int]) -> dict[int, int]:
    sizes: dict[int, int] = {}
    for start in range(0, len(uids), SIZES_PER_COMMAND):
        chunk = ",".join(str(u) for u in uids[start : start + SIZES_PER_COMMAND])
        typ, data = client.uid("FETCH", chunk, "(RFC822.SIZE)")
        for item in data if typ == "OK" else []:
            line = item[0] if isinstance(item, tuple) else item
            uid, size = _UID.search(line or b""), _SIZE.search(line or b"")
            if uid and size:
                sizes[int(uid[1])] = int(size[1])
    return sizes


def _body(client: imaplib.IMAP4, uid: int) -> bytes | None:
    """The message's bytes as sent (BODY.PEEK[]: its flags untouched), None if it is gone."""
    typ, data = client.uid("FETCH", str(uid), "(BODY.PEEK[])")
    if typ != "OK":
        return None
    for item in data:
        if isinstance(item, tuple) and len(item) == 2 and b"BODY[]" in item[0]:
            found = _UID.search(item[0])
            if found is None or int(found[1]) == uid:
                return bytes(item[1])
    return None


def _check_unchanged(
    client: imaplib.IMAP4, box: ImapMailbox, validity: int, done: int, total: int
) -> None:
    """Raise MailboxError if the folder was replaced since it was examined (new UIDVALIDITY)."""
    typ, data = client.status(quote_folder(box.folder), "(UIDVALIDITY)")
    found = (
        _VALIDITY.search(b" ".join(d for d in data if isinstance(d, bytes)))
        if typ == "OK"
        else None
    )
    if found is None or int(found[1]) != validity:
        raise MailboxError(
            f"{box.label}: the folder changed on the server during the fetch (it was deleted, "
            f"renamed or rebuilt): {done} of {total} message(s) taken; run again for the rest"
        )


def fetch(
    box: ImapMailbox, options: MailOptions, since: dt.date | None, max_bytes: int
) -> Iterator[Message]:
    """Yield the folder's messages received from *since* on (all if None), in UID order."""
    password = options.password or stored_password(box)
    if not password:
        raise MailboxError(
            f"{box.label}: no password: set {PASSWORD_VARIABLE} or store it in the "
            "system keyring (it is never read from council.toml)"
        )
    timeout = options.timeout or box.timeout
    context = options.ssl_context or ssl.create_default_context()  # honours SSL_CERT_FILE
    client = _connect(box, context, timeout)
    done = total = 0
    try:
        _login(client, box, password)
        validity = _examine(client, box)
        uids = _search(client, box, max(filter(None, (since, box.since)), default=None))
        total = len(uids)
        sizes = _sizes(client, uids)
        for n, uid in enumerate(uids, start=1):
            if n % CHECK_EVERY == 0:
                _check_unchanged(client, box, validity, done, total)
            label = box.message_label(validity, uid)
            size = sizes.get(uid)
            if size is None:  # expunged since the search: nothing left to take
                log.info("%s: no longer in the folder", label)
                continue
            if size > max_bytes:
                yield Message(label, None, n, total, too_large(size, max_bytes))
                continue
            data = _body(client, uid)
            if data is None:
                log.info("%s: no longer in the folder", label)
                continue
            done += 1
            yield Message(label, data, n, total)
        _check_unchanged(client, box, validity, done, total)
    except TimeoutError as err:
        raise MailboxError(
            f"{box.label}: the server stopped answering (nothing within "
            f"{timeout:g} seconds): {done} of {total} message(s) taken"
        ) from err
    except imaplib.IMAP4.abort as err:  # the server's BYE: how Dovecot answers a new UIDVALIDITY
        reason = _text(str(err)).split(" => ", 1)[-1]
        raise MailboxError(
            f"{box.label}: the server ended the session during the fetch ({reason}): "
            f"the folder may have changed; {done} of {total} message(s) taken; "
            "run again for the rest"
        ) from err
    except OSError as err:
        raise MailboxError(
            f"{box.label}: the connection was lost ({_text(str(err))}): "
            f"{done} of {total} message(s) taken; run again for the rest"
        ) from err
    except imaplib.IMAP4.error as err:
        raise MailboxError(
            f"{box.label}: the server refused a command ({_text(str(err))}): "
            f"{done} of {total} message(s) taken"
        ) from err
    finally:
        try:
            client.logout()
        except (imaplib.IMAP4.error, OSError):
            pass  # already closed: nothing to tidy
