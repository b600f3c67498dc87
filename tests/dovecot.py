"""A private Dovecot IMAP server for the tests: loopback only, its own TLS CA and test user.

Started from a config written into its own folder (never /etc/dovecot), on free
ports of 127.0.0.1, and stopped at the end of the test session. The folder is
$COUNCIL_PAPERS_DOVECOT_DIR when set (.ci/run sets it, so its exit trap can stop a
server a killed test run left behind), else a new temporary folder.
"""

from __future__ import annotations

import contextlib
import imaplib
import os
import shutil
import socket
import ssl
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

USER = "clerk@cambourne.test"  # an address as user name, as at Gmail: the URL must cope
PASSWORD = "Parish-pump 2022 £"  # a space and a non-ASCII character: sent as UTF-8 (PLAIN)
HOST = "127.0.0.1"
START_SECONDS = 20  # longest wait for the server to listen


def binary() -> str | None:
    """The dovecot binary, if installed (it lives in /usr/sbin, off a non-root PATH)."""
    return shutil.which("dovecot") or next(
        (p for p in ("/usr/sbin/dovecot", "/usr/local/sbin/dovecot") if os.access(p, os.X_OK)), None
    )


def free_port() -> int:
    """A port on the loopback address nothing listens on now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _openssl(*args: str, cwd: Path) -> None:
    subprocess.run(["openssl", *args], cwd=cwd, check=True, capture_output=True, timeout=60)


def make_certificates(folder: Path) -> None:
    """A test CA (ca.crt) and a server certificate it signed for localhost and 127.0.0.1."""
    _openssl(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "ca.key",
        "-out",
        "ca.crt",
        "-days",
        "2",
        "-subj",
        "/CN=council-papers test CA",
        "-addext",
        "basicConstraints=critical,CA:TRUE",
        "-addext",
        "keyUsage=critical,keyCertSign,cRLSign",
        cwd=folder,
    )
    _openssl(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-keyout",
        "server.key",
        "-out",
        "server.csr",
        "-subj",
        "/CN=localhost",
        cwd=folder,
    )
    (folder / "server.ext").write_text(
        "basicConstraints=CA:FALSE\nkeyUsage=critical,digitalSignature,keyEncipherment\n"
        "extendedKeyUsage=serverAuth\nsubjectAltName=DNS:localhost,IP:127.0.0.1\n"
        "subjectKeyIdentifier=hash\nauthorityKeyIdentifier=keyid\n"
    )
    _openssl(
        "x509",
        "-req",
        "-in",
        "server.csr",
        "-CA",
        "ca.crt",
        "-CAkey",
        "ca.key",
        "-CAcreateserial",
        "-out",
        "server.crt",
        "-days",
        "2",
        "-extfile",
        "server.ext",
        cwd=folder,
    )


def _config(folder: Path, imap_port: int, imaps_port: int) -> str:
    root = os.geteuid() == 0
    # as root, mail belongs to nobody (Dovecot refuses root as a mail user); otherwise
    # everything runs as the current user and nothing chroots
    uid, gid = (65534, 65534) if root else (os.getuid(), os.getgid())
    users = (
        ""
        if root
        else (
            f"default_internal_user = {os.environ.get('USER', 'nobody')}\n"
            f"default_login_user = {os.environ.get('USER', 'nobody')}\n"
            "service imap-login {\n  chroot =\n}\nservice anvil {\n  chroot =\n}\n"
        )
    )
    return f"""# written by tests/dovecot.py for one test session
protocols = imap
listen = {HOST}
base_dir = {folder}/run
state_dir = {folder}/state
log_path = {folder}/dovecot.log
ssl = yes
ssl_cert = <{folder}/server.crt
ssl_key = <{folder}/server.key
disable_plaintext_auth = no
auth_mechanisms = plain login
mail_location = maildir:{folder}/mail/%u
first_valid_uid = 1
passdb {{
  driver = passwd-file
  args = scheme=PLAIN username_format=%u {folder}/passwd
}}
userdb {{
  driver = static
  args = uid={uid} gid={gid} home={folder}/home/%u
}}
service imap-login {{
  inet_listener imap {{
    address = {HOST}
    port = {imap_port}
  }}
  inet_listener imaps {{
    address = {HOST}
    port = {imaps_port}
    ssl = yes
  }}
}}
{users}"""


@dataclass
class Dovecot:
    """A running private Dovecot: its ports, CA certificate and a way to stop it."""

    folder: Path
    imap_port: int
    imaps_port: int
    process: subprocess.Popen[bytes]

    @property
    def ca(self) -> Path:
        """The test CA's certificate (for SSL_CERT_FILE)."""
        return self.folder / "ca.crt"

    def url(self, folder: str, *, user: str = USER, scheme: str = "imaps") -> str:
        """The address of *folder* as a clerk writes it."""
        port = self.imaps_port if scheme == "imaps" else self.imap_port
        return f"{scheme}://{user}@{HOST}:{port}/{folder}"

    def client(self) -> imaplib.IMAP4_SSL:
        """A logged-in connection for setting up a test (APPEND, CREATE, DELETE)."""
        context = ssl.create_default_context(cafile=str(self.ca))
        client = imaplib.IMAP4_SSL(HOST, self.imaps_port, ssl_context=context, timeout=10)
        client.authenticate("PLAIN", lambda _: f"\0{USER}\0{PASSWORD}".encode())
        return client

    def fill(self, folder: str, messages: list[bytes], *, when: list[float] | None = None) -> None:
        """Create *folder* (if need be) and APPEND *messages*, received at *when* (epoch seconds)."""
        with self.client() as client:  # logs out at the end
            client.create(f'"{folder}"')
            for n, data in enumerate(messages):
                stamp = imaplib.Time2Internaldate(when[n]) if when else None
                typ, info = client.append(f'"{folder}"', "", stamp, data)
                assert typ == "OK", info

    def flags(self, folder: str) -> list[bytes]:
        """Every message's flags in *folder* (read-only)."""
        with self.client() as client:
            client.select(f'"{folder}"', readonly=True)
            _, data = client.fetch("1:*", "(FLAGS)")
        return [d for d in data if isinstance(d, bytes)]

    def stop(self) -> None:
        """Stop the server and wait for it (bounded)."""
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)


def start(dovecot: str, folder: Path) -> Dovecot:
    """Write the config, certificates and user into *folder* and start Dovecot there."""
    folder.mkdir(parents=True, exist_ok=True)
    folder.chmod(0o755)  # the login and mail processes run as other users and must get in
    make_certificates(folder)
    (folder / "passwd").write_text(f"{USER}:{{PLAIN}}{PASSWORD}\n", encoding="utf-8")
    mail = folder / "mail"
    for place in (mail, folder / "home"):  # a folder used before starts empty again
        shutil.rmtree(place, ignore_errors=True)
        place.mkdir()
    if os.geteuid() == 0:
        for place in (mail, folder / "home"):
            os.chown(place, 65534, 65534)
    imap_port, imaps_port = free_port(), free_port()
    conf = folder / "dovecot.conf"
    conf.write_text(_config(folder, imap_port, imaps_port), encoding="utf-8")
    with (folder / "dovecot.stderr").open("wb") as log:  # the server keeps its own copy
        process = subprocess.Popen([dovecot, "-F", "-c", str(conf)], stdout=log, stderr=log)
    server = Dovecot(folder, imap_port, imaps_port, process)
    deadline = time.monotonic() + START_SECONDS
    while time.monotonic() < deadline:  # bounded: the server listens within seconds or fails
        if process.poll() is not None:
            break
        with contextlib.suppress(OSError), socket.create_connection((HOST, imaps_port), timeout=1):
            return server
        time.sleep(0.1)
    server.stop()
    problem = (folder / "dovecot.stderr").read_text(errors="replace")[-2000:]
    raise RuntimeError(f"Dovecot did not start: {problem}")


def new_folder() -> tuple[Path, bool]:
    """Where the server keeps its files, and whether it is a temporary folder to remove."""
    given = os.environ.get("COUNCIL_PAPERS_DOVECOT_DIR")
    if given:
        return Path(given), False
    return Path(tempfile.mkdtemp(prefix="council-papers-dovecot-")), True
