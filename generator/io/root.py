"""ROOT (uproot): an ``events`` TTree and a ``metadata`` string (JSON), ZSTD-compressed.

Scalars become branches of the same name; particles become a counter ``nparticles`` and jagged
branches ``particles_<field>``. For byte-reproducible files the creation dates ROOT stores are set
to ``SOURCE_DATE_EPOCH`` (the reproducible-builds convention; default 2000-01-01) and the UUIDs are
derived from the file name.
"""

from __future__ import annotations

import contextlib
import datetime as _dt
import json
import os
import threading
import types
import uuid
from pathlib import Path

import awkward as ak
import numpy as np
import uproot

from .base import EventWriter, codec


def _fixed_time() -> _dt.datetime:
    epoch = int(os.environ.get("SOURCE_DATE_EPOCH", 946684800))
    return _dt.datetime.fromtimestamp(epoch, tz=_dt.timezone.utc).replace(tzinfo=None)


#: one ROOT write at a time in the process: the clock swap below is process-wide, and writers run
#: in threads of their own (several ``-o x.root`` outputs, or a run inside a threaded program)
_CLOCK_LOCK = threading.Lock()


@contextlib.contextmanager
def _reproducible_clock():
    """uproot stamps ``datetime.datetime.now()`` into keys and directories; during our writes it
    sees a fixed clock instead (module attribute swapped and restored, under a lock)."""
    from uproot.writing import _cascade, _cascadetree

    fixed = _fixed_time()
    clock = types.SimpleNamespace(datetime=types.SimpleNamespace(now=lambda: fixed))
    with _CLOCK_LOCK:
        saved = (_cascade.datetime, _cascadetree.datetime)
        _cascade.datetime, _cascadetree.datetime = clock, clock
        try:
            yield
        finally:
            _cascade.datetime, _cascadetree.datetime = saved


#: ``compression`` choices. ZSTD level 1 (through cramjam, an uproot dependency; ROOT reads it
#: since 6.20): 5× the throughput of uproot's default ZLIB(1) for a 2 % larger file; LZ4 (ROOT
#: ≥ 6.12) ~1.5× faster again for ~14 % larger files (benchmarks/bench_io.py)
CODECS = {"zstd": uproot.ZSTD(1), "lz4": uproot.LZ4(1), "none": None}


class RootWriter(EventWriter):
    def _open(self, tmp_path: Path) -> None:
        name = self.path.name
        self._uuid = lambda: uuid.uuid5(uuid.NAMESPACE_URL, f"darkbeam:{name}")
        with _reproducible_clock():
            self._file = uproot.recreate(tmp_path, uuid_function=self._uuid,
                                         compression=codec(self.metadata, CODECS))
            self._file["metadata"] = json.dumps(self.metadata, sort_keys=True, default=str)
        self._tree = None

    def _write_block(self, events: ak.Array, first: int) -> None:
        data = {k: (events[k] if k == "particles" else ak.to_numpy(events[k])) for k in events.fields}
        with _reproducible_clock():
            if self._tree is None:
                types_ = {k: (v.dtype if isinstance(v, np.ndarray) else v.type.content)
                          for k, v in data.items()}
                self._tree = self._file.mktree("events", types_, title="darkbeam events")
            self._tree.extend(data)

    def _close(self) -> None:
        with _reproducible_clock():
            self._file.close()


def read_root(path: Path) -> tuple[ak.Array, dict]:
    with uproot.open(path) as f:
        meta = json.loads(str(f["metadata"]))
        arrays = f["events"].arrays(library="ak")
    return _regroup(arrays), meta


def _regroup(arrays: ak.Array) -> ak.Array:
    """Branches ``particles_<field>`` back into the jagged ``particles`` record."""
    fields = {k: arrays[k] for k in arrays.fields if not k.startswith(("particles_", "nparticles"))}
    fields["particles"] = ak.zip({k[len("particles_"):]: arrays[k] for k in arrays.fields
                                  if k.startswith("particles_")})
    return ak.zip(fields, depth_limit=1)
