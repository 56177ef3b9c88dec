"""Exceptions that darkbeam raises on purpose.

Every user-facing problem is a :class:`DarkbeamError`; the CLI prints its message (one line per
problem, no traceback) and exits with status 2. Anything else escaping the CLI is a bug.
"""

from __future__ import annotations


class DarkbeamError(Exception):
    """Base class of the errors darkbeam reports to users."""


class CardError(DarkbeamError):
    """A run card (or a ``--set`` override) is invalid.

    ``problems`` holds one message per mistake, each naming the file, the key, the value and what
    was expected, so that a user fixes all of them in one go.
    """

    def __init__(self, problems: list[str] | str):
        self.problems = [problems] if isinstance(problems, str) else list(problems)
        super().__init__("\n".join(self.problems))


class CatalogError(DarkbeamError):
    """A facility, detector or material data file is missing or malformed."""


class InputFileError(DarkbeamError):
    """A user-supplied input file (parents, tables) cannot be read as documented."""


class OutputError(DarkbeamError, OSError):
    """An output, the summary or the checkpoint cannot be written (full disk, permissions, a
    folder that vanished, ...). The message is one line: the file, the reason, what to do; nothing
    is left under a final name. Also an ``OSError``, so code that caught the file system's own
    error still catches it."""


class OutputBusy(OutputError):
    """Another darkbeam process holds the lock on one of the run's final paths."""
