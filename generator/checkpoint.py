"""Checkpoints: completed chunks of a run kept on disk, so an interrupted run can resume.

A run with checkpoints stores, after each completed chunk (task), its events and its weight sums
in a folder named after a hash of everything that defines the events and where they go (the card
without its worker count, and the resolved paths of its outputs and summary: two runs of one card
to different files never share a folder, two runs to the same files are kept apart by the
output locks of :mod:`darkbeam.io.paths`). ``darkbeam run --resume`` reuses the stored chunks and
generates only the missing ones; because the writers regroup events into fixed blocks, the files
are byte-identical to those of an uninterrupted run.

Where: ``.darkbeam-resume-<hash>`` in the folder of the run's first output (or of its summary),
or in the folder named by the environment variable ``DARKBEAM_CHECKPOINT_DIR``;
``DARKBEAM_CHECKPOINT_DIR=off`` runs without checkpoints. Its size is that of the run's events in
compressed Parquet. The folder is removed when the run completes, and when it fails in a way that
resuming would not mend; it is kept (and the message names it) after SIGINT/SIGTERM and after a
failure to write (a full disk, a vanished folder), where ``--resume`` continues.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import shutil
from pathlib import Path
from typing import TYPE_CHECKING

from .errors import DarkbeamError, OutputError

if TYPE_CHECKING:                       # imported where used: the CLI imports this module at start
    import awkward as ak

    from .convergence import Tally


class Interrupted(DarkbeamError):
    """The run was stopped by SIGINT/SIGTERM after a completed chunk."""


class CheckpointError(OutputError):
    """A chunk could not be stored in the checkpoint folder."""


#: environment variable: the folder for checkpoints, or ``off``
ENV_DIR = "DARKBEAM_CHECKPOINT_DIR"


def run_key(card) -> str:
    """Hash of what determines a run's events and where they are written (not the workers)."""
    data = card.model_dump(exclude={"source", "text"})
    for key in ("outputs", "summary", "workers"):
        data["run"].pop(key, None)
    data["final_paths"] = [_real(p) for p in card.run.outputs] + (
        [_real(card.run.summary)] if card.run.summary else [])
    return hashlib.sha256(json.dumps(data, sort_keys=True, default=str).encode()).hexdigest()[:20]


def _real(path: str) -> str:
    try:
        return os.path.realpath(path)
    except ValueError:          # a NUL byte: refused by darkbeam.io.paths.final_paths
        return path


class Checkpoint:
    """Chunk results of one run in ``directory`` (one Parquet + one JSON file per chunk)."""

    def __init__(self, directory: Path):
        self.directory = Path(directory)

    @classmethod
    def for_card(cls, card, base: Path | None = None) -> "Checkpoint | None":
        """The card's checkpoint (see the module docstring for where), or None with
        ``DARKBEAM_CHECKPOINT_DIR=off`` or when the run writes nothing."""
        if base is None:
            env = os.environ.get(ENV_DIR, "").strip()
            if env.lower() in ("off", "none", "0", "false", "no"):
                return None
            finals = list(card.run.outputs) + ([card.run.summary] if card.run.summary else [])
            if env:
                base = Path(env)
            elif finals:
                base = Path(_real(finals[0])).parent
            else:
                return None
        return cls(Path(base) / f".darkbeam-resume-{run_key(card)}")

    def completed(self) -> list[int]:
        """Indices of the completed chunks."""
        if not self.directory.is_dir():
            return []
        out = []
        for p in self.directory.glob("chunk-*.json"):
            try:
                out.append(int(p.stem.removeprefix("chunk-")))
            except ValueError:
                continue
        return sorted(out)

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

        events_path, sums_path = self._paths(i)
        tmp = sums_path.with_suffix(".part")
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            ak.to_parquet(ak.to_packed(events), events_path)
            from ._memory import release_free_memory
            release_free_memory()       # the Arrow copy of the chunk (darkbeam._memory)
            if tally.pooled:
                np.savez(events_path.with_suffix(".npz"), ids=tally.entry_ids, sums=tally.entry_sums)
            tmp.write_text(json.dumps(tally.to_dict() | {"pooled": tally.pooled}))
            os.replace(tmp, sums_path)
        except (OSError, RuntimeError) as exc:
            # pyarrow's writer turns a failed write into "RuntimeError: file metadata is only
            # available after writer close" on its way out: the cause is the file system
            for p in (events_path, events_path.with_suffix(".npz"), tmp):
                with contextlib.suppress(OSError):
                    p.unlink(missing_ok=True)
            from .io.paths import os_error
            cause = exc if isinstance(exc, OSError) else (exc.__context__ or exc)
            raise CheckpointError(os_error(cause, self.directory, "write the checkpoint")
                                  + f"; or set {ENV_DIR} to a folder with room (or to 'off')") from None

    def n_completed(self) -> int:
        return len(self.completed())

    def clear(self) -> None:
        shutil.rmtree(self.directory, ignore_errors=True)
