"""HEPEVT text (``.hepevt``) for LArSoft's ``TextFileGen`` and edep-sim.

Layout, as read by LArSoft (``larsim/EventGenerator/TextFileGen_module.cc``, LArSoft/larsim,
documentation block of ``evgen::TextFileGen`` and ``readNextHepEvt``): per event one line
``event_number n_particles``, then one line per particle with 15 numbers::

    status pdg mother1 mother2 daughter1 daughter2 px py pz E m x y z t

with momenta, energy and mass in GeV, positions in **cm** and time in **ns** ("The units in LArSoft
are cm for distances and ns for time"); only status-1 entries are tracked by Geant4; mother and
daughter entries are 1-based, 0 for none. edep-sim reads the same 15 columns as its ``marley``
HEPEVT flavour (``src/kinem/EDepSimHEPEVTKinematicsGenerator.cc``: GeV, cm, ns, 1-based daughters),
so one file serves both (``/generator/kinematics/hepevt/flavor marley``). Status codes follow the
HEPEVT standard (T. Sjöstrand et al., "Z physics at LEP 1", CERN 89-08 vol. 3, §"Event
generators"; PYTHIA 6.4 manual, hep-ph/0603175, §5.2): 1 existing (tracked), 2 decayed,
3 documentation line.

Options (metadata keys, since the run loop passes the metadata to every writer)
    ``detector_frame``: a :class:`~darkbeam.io.frame.DetectorFrame` (or a Placement-like object,
        or ``{"origin": [...], "rotation": [[...]]}``): positions and momenta are written in that
        frame (origin and axes of the detector volume), as detector simulations expect; default:
        the facility frame.
    ``hepevt_track``: ``"detector"`` (default) writes final-state particles that start outside the
        detector vertex (e.g. the photon of π⁰ → γA′, made in the target ~100 m upstream) with status
        3 (documentation), so Geant4 tracks only the products of the signal vertex; ``"all"`` keeps
        the record's statuses.

HEPEVT has no weights and no header. The weights and the other per-event scalars, with the
metadata (card, POT, weight names, frame), go to a Parquet side file ``<name>.hepevt.parquet`` (one
row per event, same order as the event numbers), written and renamed together with the text file.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Iterator

import awkward as ak
import numba
import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq

from ..events import PARTICLE_FIELDS, SCALAR_FIELDS, concatenate, make_events
from . import _text
from ._records import generated_mass, topologies
from .base import EventWriter, codec
from .frame import DetectorFrame
from .parquet import CODECS as PARQUET_CODECS

CM_PER_M = 100.0
_META_KEY = b"darkbeam"
#: a particle starts "at the detector vertex" when its production point is within this of it (m)
VERTEX_TOLERANCE_M = 1e-9


def sidecar_path(path: str | Path) -> Path:
    """The Parquet side file holding weights, scalars and metadata of a HEPEVT file."""
    path = Path(path)
    return path.with_name(path.name + ".parquet")


class HEPEVTWriter(EventWriter):
    """Streaming HEPEVT writer with its Parquet side file (both renamed at close)."""

    def __init__(self, path: Path, metadata: dict):
        super().__init__(path, metadata)
        self.frame = DetectorFrame.from_metadata(self.metadata.get("detector_frame"))
        self.track = self.metadata.get("hepevt_track", "detector")
        if self.track not in ("detector", "all"):
            raise ValueError(f"metadata 'hepevt_track' must be 'detector' or 'all', got {self.track!r}")
        if self.frame is not None:
            self.metadata["detector_frame"] = self.frame.to_dict()
        self.side_path = sidecar_path(self.path)
        self.side_tmp: Path | None = None

    def _open(self, tmp_path: Path) -> None:
        # next to the main temporary, in the writer's own temporary folder (.base)
        self.side_tmp = tmp_path.with_name(self.side_path.name)
        self._fh = open(tmp_path, "wb")
        self._side: pq.ParquetWriter | None = None

    def _write_block(self, events: ak.Array, first: int) -> None:
        _text.render(format_events(events, first, self.frame, self.track), len(events), self._fh)
        table = pa.table({k: ak.to_numpy(events[k]) for k in SCALAR_FIELDS})
        if self._side is None:
            meta = {_META_KEY: json.dumps(self.metadata, sort_keys=True, default=str).encode()}
            name, level = codec(self.metadata, PARQUET_CODECS)
            self._side = pq.ParquetWriter(self.side_tmp, table.schema.with_metadata(meta), compression=name,
                                          compression_level=level)
        self._side.write_table(table.replace_schema_metadata(self._side.schema.metadata))

    def _close(self) -> None:
        self._fh.close()
        if self._side is not None:
            self._side.close()
            self._side = None

    def _commit(self) -> None:
        os.replace(self.side_tmp, self.side_path)
        super()._commit()

    def _discard(self) -> None:
        if self.side_tmp is not None:
            self.side_tmp.unlink(missing_ok=True)


def format_events(events: ak.Array, first_number: int = 0, frame: DetectorFrame | None = None,
                  track: str = "detector") -> list[_text.Program]:
    """The HEPEVT text of a block, as one text program per topology (:func:`._text.render`)."""
    n_ev = len(events)
    x_pdg, x_mass = ak.to_numpy(events.x_pdg), ak.to_numpy(events.x_mass)
    number = np.arange(first_number, first_number + n_ev, dtype=np.int64)
    vtx = np.stack([ak.to_numpy(events[k]) for k in ("vtx_x", "vtx_y", "vtx_z")], axis=1)
    programs: list[_text.Program] = []
    for topo in topologies(events):
        r, p = topo.rows, topo.particles
        mass = generated_mass(p["pdg"], p["px"], p["py"], p["pz"], p["E"], x_pdg[r], x_mass[r])
        xyz = np.stack([p["x"], p["y"], p["z"]], axis=-1)
        mom = np.stack([p["px"], p["py"], p["pz"]], axis=-1)
        status = p["status"].astype(np.int64)
        if track == "detector":
            away = np.linalg.norm(xyz - vtx[r][:, None, :], axis=-1) > VERTEX_TOLERANCE_M
            status = np.where((status == 1) & away, 3, status)
        if frame is not None:
            xyz, mom = frame.point_to_local(xyz), frame.vector_to_local(mom)
        xyz = xyz * CM_PER_M
        pieces: list = [_text.num(number[r]), f" {topo.n}\n"]
        for j in range(topo.n):
            m = topo.mothers[j]
            kids = topo.children(j)
            d1, d2 = (kids[0] + 1, kids[-1] + 1) if kids else (0, 0)
            pieces += [_text.num(status[:, j]), " ", _text.num(p["pdg"][:, j]), f" {m + 1} 0 {d1} {d2}"]
            for col in (mom[:, j, 0], mom[:, j, 1], mom[:, j, 2], p["E"][:, j], mass[:, j],
                        xyz[:, j, 0], xyz[:, j, 1], xyz[:, j, 2], p["t"][:, j]):
                pieces += [" ", _text.num(col)]
            pieces.append("\n")
        programs.append((r, pieces))
    return programs


# reading ----------------------------------------------------------------------------------------

def iter_hepevt(path: str | Path, step: int = 50_000) -> Iterator[tuple[ak.Array, dict]]:
    """Read a HEPEVT file (and its side file if present), ``step`` events at a time.

    Positions and momenta go back to the facility frame (m, ns) when the side file names a
    ``detector_frame``; status 3 entries written for ``hepevt_track="detector"`` come back as 1.
    Without a side file the weights are NaN and the scalars missing (NaN, −1). The text is read in
    pieces of ~16 MB and split into numbers in bulk; a small numba kernel finds the events."""
    path = Path(path)
    side = sidecar_path(path)
    meta, side_batches = {}, None
    if side.exists():
        meta = json.loads((pq.read_schema(side).metadata or {}).get(_META_KEY, b"{}"))
        side_batches = pq.ParquetFile(side).iter_batches(batch_size=step)
    frame = DetectorFrame.from_metadata(meta.get("detector_frame"))
    side_rows: list[dict] = []

    def scalars_for(n: int) -> dict | None:
        nonlocal side_rows
        if side_batches is None:
            return None
        while sum(len(r["weight"]) for r in side_rows) < n:
            batch = next(side_batches, None)
            if batch is None:
                return None
            side_rows.append({k: batch.column(k).to_numpy() for k in SCALAR_FIELDS})
        joined = {k: np.concatenate([r[k] for r in side_rows]) for k in SCALAR_FIELDS}
        side_rows = [{k: v[n:] for k, v in joined.items()}]
        return {k: v[:n] for k, v in joined.items()}

    yielded = False
    pending = np.empty(0)
    with open(path) as fh:
        while True:
            lines = fh.readlines(1 << 24)
            if lines:
                pending = np.concatenate([pending, np.array(" ".join(lines).split(), dtype=np.float64)])
            starts, counts, used = _scan(pending, step if lines else -1)
            if len(counts):
                flat = _gather(pending, starts, counts)
                pending = pending[used:]
                yield _assemble(flat, counts, scalars_for(len(counts)), frame), meta
                yielded = True
                if lines or len(pending):
                    continue
            if not lines:
                break
    if len(pending):
        raise ValueError(f"{path}: truncated HEPEVT file (an event misses particle lines)")
    if not yielded:
        yield _assemble(np.empty((0, 15)), np.zeros(0, np.int64), None, frame), meta


@numba.njit(cache=True)
def _scan(tok, max_events):  # pragma: no cover - compiled
    """Start (index of the first particle number) and particle count of the complete events in the
    number stream ``tok`` (at most ``max_events``, −1: all), and how many numbers they use."""
    starts = np.empty(len(tok) // 2 + 1, dtype=np.int64)
    counts = np.empty(len(tok) // 2 + 1, dtype=np.int64)
    i = 0
    k = 0
    while i + 2 <= len(tok) and (max_events < 0 or k < max_events):
        n = np.int64(tok[i + 1])
        if i + 2 + 15 * n > len(tok):
            break
        starts[k] = i + 2
        counts[k] = n
        k += 1
        i += 2 + 15 * n
    return starts[:k], counts[:k], i


@numba.njit(cache=True)
def _gather(tok, starts, counts):  # pragma: no cover - compiled
    flat = np.empty((counts.sum(), 15))
    r = 0
    for e in range(len(starts)):
        for p in range(counts[e]):
            for c in range(15):
                flat[r, c] = tok[starts[e] + 15 * p + c]
            r += 1
    return flat


def read_hepevt(path: Path) -> tuple[ak.Array, dict]:
    batches, meta = [], {}
    for events, meta in iter_hepevt(path):
        batches.append(events)
    return concatenate(batches), meta


def _assemble(flat: np.ndarray, counts: np.ndarray, scalars: dict | None,
              frame: DetectorFrame | None) -> ak.Array:
    n_ev = len(counts)
    if scalars is None or len(scalars["weight"]) != n_ev:
        scalars = {k: (np.full(n_ev, -1) if dt.startswith("int") else np.full(n_ev, np.nan))
                   for k, dt in SCALAR_FIELDS.items()}
    xyz = flat[:, 11:14] / CM_PER_M
    mom = flat[:, 6:9]
    if frame is not None:
        xyz, mom = frame.point_to_facility(xyz), frame.vector_to_facility(mom)
    status = flat[:, 0].astype(np.int64)
    particles = {"pdg": flat[:, 1], "status": np.where(status == 3, 1, status),
                 "mother": flat[:, 2].astype(np.int64) - 1,
                 "px": mom[:, 0], "py": mom[:, 1], "pz": mom[:, 2], "E": flat[:, 9],
                 "x": xyz[:, 0], "y": xyz[:, 1], "z": xyz[:, 2], "t": flat[:, 14]}
    assert set(particles) == set(PARTICLE_FIELDS)
    return make_events(scalars, particles, counts)
