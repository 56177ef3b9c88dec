"""The streaming-writer interface: temporary name, fixed-size blocks, rename on success."""

from __future__ import annotations

import os
from pathlib import Path

import awkward as ak

#: events per block handed to the format (row group / basket); fixed so that output bytes do not
#: depend on the run's chunk size or number of workers
BLOCK_EVENTS = 50_000


class EventWriter:
    """Base class: subclasses implement ``_open(tmp_path)``, ``_write_block(events)``, ``_close()``."""

    def __init__(self, path: Path, metadata: dict):
        self.path = Path(path)
        self.metadata = dict(metadata)
        # a fixed temporary name: ROOT records the name it was written under, so a PID or a random
        # suffix here would make otherwise identical runs differ byte for byte
        self.tmp_path = self.path.with_name(f".{self.path.name}.part")
        self._pending: list[ak.Array] = []
        self._n_pending = 0
        self.n_written = 0
        self._opened = False

    # interface for subclasses ------------------------------------------------------------
    def _open(self, tmp_path: Path) -> None:
        raise NotImplementedError

    def _write_block(self, events: ak.Array) -> None:
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    # public ------------------------------------------------------------------------------
    def write(self, events: ak.Array) -> None:
        """Queue a batch; full blocks of :data:`BLOCK_EVENTS` events are written at once."""
        if not self._opened:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self._open(self.tmp_path)
            self._opened = True
        if len(events):
            self._pending.append(events)
            self._n_pending += len(events)
        while self._n_pending >= BLOCK_EVENTS:
            self._flush(BLOCK_EVENTS)

    def _flush(self, n: int) -> None:
        joined = ak.concatenate(self._pending) if len(self._pending) > 1 else self._pending[0]
        block, rest = joined[:n], joined[n:]
        self._write_block(ak.to_packed(block))
        self.n_written += len(block)
        self._pending = [rest] if len(rest) else []
        self._n_pending = len(rest)

    def close(self) -> Path:
        """Write what is left, close, and rename the temporary file to the final name."""
        if not self._opened:
            self.write(self._empty())
        if self._n_pending:
            self._flush(self._n_pending)
        if self.n_written == 0:     # no event at all: still write the format's structure (schema, tree)
            self._write_block(self._empty())
        self._close()
        os.replace(self.tmp_path, self.path)
        return self.path

    def abort(self) -> None:
        """Close and delete the temporary file (nothing appears under the final name)."""
        try:
            if self._opened:
                self._close()
        finally:
            self.tmp_path.unlink(missing_ok=True)

    def _empty(self) -> ak.Array:
        from ..events import empty_events
        return empty_events()

    def __enter__(self) -> "EventWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
