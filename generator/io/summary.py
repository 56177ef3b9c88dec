"""summary.json: the run's numbers (DESIGN.md "Summary"), written atomically.

:func:`stage_summary` writes the text to a temporary ``.<name>.part-<pid>-<random>`` next to the
final path and returns it; the run renames it (:func:`commit_summary`) only together with the
event files, so that a summary that cannot be written leaves no event file under its final name.
A failure is one :class:`~darkbeam.errors.OutputError` line and removes the temporary.
"""

from __future__ import annotations

import json
import os
import secrets
from pathlib import Path

from ..errors import OutputError
from .paths import os_error, temporary_prefix


def stage_summary(summary: dict, path: str | Path) -> Path:
    """Write ``summary`` to a new temporary next to ``path``; returns the temporary."""
    path = Path(path)
    tmp = path.with_name(f"{temporary_prefix(path)}-{os.getpid()}-{secrets.token_hex(4)}")
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp.write_text(json.dumps(summary, indent=2, sort_keys=True, default=str) + "\n")
    except OSError as exc:
        _remove(tmp)
        raise OutputError(os_error(exc, path)) from None
    return tmp


def commit_summary(tmp: Path, path: str | Path) -> Path:
    """Rename a staged summary to its final name."""
    try:
        os.replace(tmp, path)
    except OSError as exc:
        _remove(tmp)
        raise OutputError(os_error(exc, path, "rename the finished file to")) from None
    return Path(path)


def write_summary(summary: dict, path: str | Path) -> Path:
    """Write ``summary`` to ``path`` atomically."""
    return commit_summary(stage_summary(summary, path), path)


def _remove(tmp: Path) -> None:
    try:
        tmp.unlink(missing_ok=True)
    except OSError:
        pass
