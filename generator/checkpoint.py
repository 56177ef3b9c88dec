"""Checkpoints: completed chunks of a run kept on disk, so an interrupted run can resume.

A run with checkpoints stores, after each completed chunk (task), its events and its weight sums
in a folder named after a hash of everything that defines the events (the card without its
output paths and worker count). ``darkbeam run --resume`` reuses the stored chunks and generates
only the missing ones; because the writers regroup events into fixed blocks, the files are
byte-identical to those of an uninterrupted run. The folder is removed when a run completes.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DarkbeamError

if TYPE_CHECKING:                       # imported where used: the CLI imports this module at start
    import awkward as ak

    from .convergence import Tally


class Interrupted(DarkbeamError):
    """The run was stopped by SIGINT/SIGTERM after a completed chunk."""


def run_key(card) -> str:
    """Hash of what determines a run's events (not where they are written, not the workers)."""
    data = card.model_dump(exclude={"source", "text"})
    for key in ("outputs", "summary", "workers"):
        data["run"].pop(key, None)
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:20]


class Checkpoint:
    """Chunk results of one run in ``directory`` (one Parquet + one JSON file per chunk)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    @classmethod
    def for_card(cls, card, base: Path | None = None) -> "Checkpoint":
        base = Path(base) if base is not None else Path.cwd()
        return cls(base / f".darkbeam-resume-{run_key(card)}")

    def _paths(self, i: int) -> tuple[Path, Path]:
        return self.directory / f"chunk-{i:07d}.parquet", self.directory / f"chunk-{i:07d}.json"

    def load(self, i: int):
        """(events, :class:`~darkbeam.convergence.Tally`) of chunk i, or None if it was not completed."""
        events_path, sums_path = self._paths(i)
        if not sums_path.is_file():
            return None
        import awkward as ak
        import numpy as np

        from .convergence import Tally

        sums = json.loads(sums_path.read_text())
        entries = None
        if sums.get("pooled"):
            with np.load(events_path.with_suffix(".npz")) as data:
                entries = (data["ids"], data["sums"])
        return ak.from_parquet(events_path), Tally.from_dict(sums, entries)

    def save(self, i: int, events: ak.Array, tally: Tally) -> None:
        """Store chunk i; the JSON file is written last and atomically, so it marks completion."""
        import awkward as ak
        import numpy as np

        self.directory.mkdir(parents=True, exist_ok=True)
        events_path, sums_path = self._paths(i)
        ak.to_parquet(ak.to_packed(events), events_path)
        from ._memory import release_free_memory
        release_free_memory()       # the Arrow copy of the chunk (darkbeam._memory)
        tmp = sums_path.with_suffix(".part")
        if tally.pooled:
            np.savez(events_path.with_suffix(".npz"), ids=tally.entry_ids, sums=tally.entry_sums)
        tmp.write_text(json.dumps(tally.to_dict() | {"pooled": tally.pooled}))
        os.replace(tmp, sums_path)

    def n_completed(self) -> int:
        return len(list(self.directory.glob("chunk-*.json"))) if self.directory.is_dir() else 0

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
