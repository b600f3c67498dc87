"""One exception type per layer; every message starts with the file it is about."""

from __future__ import annotations


class CouncilPapersError(Exception):
    """Base class: an expected failure the CLI reports in one line."""


class ReadError(CouncilPapersError):
    """A file could not be read as correspondence."""


class ConfigError(CouncilPapersError):
    """The council config, the organisations file or the rules file is wrong."""


class RegisterError(CouncilPapersError):
    """The correspondence log could not be read or safely written."""


class PackError(CouncilPapersError):
    """The meeting pack could not be written."""


class MailboxError(CouncilPapersError):
    """A mailbox (IMAP folder, mbox or Maildir) could not be opened or read to the end."""
