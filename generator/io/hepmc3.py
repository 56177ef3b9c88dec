"""HepMC3 ASCII (``.hepmc``, ``.hepmc3``), the input of Geant4, edep-sim and most frameworks.

Format: HepMC3 ASCII v3 (A. Buckley et al., "The HepMC3 event record library for Monte Carlo event
generators", Comput. Phys. Commun. 260 (2021) 107310, arXiv:1912.08005, §5 "Input/output"), as read
by HepMC3's ``ReaderAscii``. Units: GeV and mm (``U GEV MM``); vertex times are c·t in mm (mm/c).

What darkbeam writes
    * run info (written by pyhepmc itself, so the header is the HepMC3 library's own): the tool
      ``darkbeam`` and its version, the named weights ``W weight w_production p_decay ...``
      (:data:`darkbeam.events.WEIGHT_NAMES`) and run attributes ``pot`` (protons on target),
      ``model`` (JSON), ``darkbeam_fields`` (names of the per-event scalars below) and
      ``darkbeam_metadata`` (the whole metadata dict, with the card text, as JSON);
    * per event: ``E number n_vertices n_particles``, ``U GEV MM``, the weights ``W`` in the order of
      the names, an attribute ``A 0 darkbeam ...`` with the remaining scalars of the event record
      (reweighting inputs, times, vertices; darkbeam units m, ns) so that the file reads back into
      the full record, then the particles ``P id production_vertex pdg px py pz E m status`` and, after
      each particle that has daughters, its end vertex ``V id 0 [particle] @ x y z ct``.

For the dark photon from π⁰ → γA′ this gives the π⁰ (status 2, no production vertex), the
production vertex in the target (π⁰ → γ A′), the γ (1) and the A′ as an intermediate line (status
2) from there to its decay vertex in the detector, and e⁻ e⁺ (1).

HepMC3 has no production vertex without incoming particles, so a particle without mother (the
parent meson) carries no position in the file; the reader gives it the position of its end vertex
(for the parents of darkbeam's channels the production and decay points coincide).

Speed: the event text is rendered column-wise by a numba kernel (:mod:`._text`; numbers with 17
correctly rounded significant digits, so they read back exactly), since building one
``pyhepmc.GenEvent`` per event runs at ~7·10³ events/s here; the files are checked with pyhepmc's
reader in the tests. Generated masses: PDG masses for known particles, ``x_mass`` for X
(:func:`._records.generated_mass`).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import awkward as ak
import numpy as np

from ..constants import C_M_PER_NS
from ..events import PARTICLE_FIELDS, SCALAR_FIELDS, WEIGHT_NAMES, concatenate, make_events
from . import _text
from ._records import generated_mass, topologies
from .base import EventWriter

#: scalar fields carried in the per-event attribute ``darkbeam`` (the weights go to ``W``)
ATTRIBUTE_FIELDS = tuple(k for k in SCALAR_FIELDS if k not in WEIGHT_NAMES)
MM_PER_M = 1000.0
END = b"HepMC::Asciiv3-END_EVENT_LISTING\n"


def run_info(metadata: dict):
    """The pyhepmc ``GenRunInfo`` of a darkbeam file: tool, weight names, run attributes."""
    import pyhepmc

    ri = pyhepmc.GenRunInfo()
    ri.weight_names = list(metadata.get("weight_names") or WEIGHT_NAMES)
    ri.tools = [("darkbeam", str(metadata.get("darkbeam_version", "")),
                 "dark sectors at beam dumps; weights = expected events for the run's POT")]
    ri.attributes = {
        "pot": repr(float(metadata.get("pot", float("nan")))),
        "model": json.dumps(metadata.get("model", {}), sort_keys=True, default=str),
        "darkbeam_fields": " ".join(ATTRIBUTE_FIELDS),
        "darkbeam_units": "m ns GeV",
        "darkbeam_metadata": json.dumps(metadata, sort_keys=True, default=str),
    }
    return ri


class HepMC3Writer(EventWriter):
    """Streaming HepMC3 ASCII writer (see the module docstring for the layout)."""

    def _open(self, tmp_path: Path) -> None:
        import pyhepmc

        names = list(self.metadata.get("weight_names") or WEIGHT_NAMES)
        if tuple(names) != WEIGHT_NAMES:
            raise ValueError(f"weight_names {names} differ from the event record's {list(WEIGHT_NAMES)}")
        writer = pyhepmc.io.WriterAscii(str(tmp_path), run_info(self.metadata))
        writer.close()
        header = tmp_path.read_bytes()
        if header.endswith(END):
            header = header[: -len(END)]
        self._fh = open(tmp_path, "wb")
        self._fh.write(header)

    def _write_block(self, events: ak.Array, first: int) -> None:
        _text.render(format_events(events, first_number=first), len(events), self._fh)

    def _close(self) -> None:
        if not self._fh.closed:
            self._fh.write(END)
            self._fh.close()


def format_events(events: ak.Array, first_number: int = 0) -> list[_text.Program]:
    """The HepMC3 ASCII text of a block, as one text program per topology (:func:`._text.render`)."""
    n_ev = len(events)
    x_pdg, x_mass = ak.to_numpy(events.x_pdg), ak.to_numpy(events.x_mass)
    weights = [np.asarray(ak.to_numpy(events[k]), dtype=np.float64) for k in WEIGHT_NAMES]
    scalars = [ak.to_numpy(events[k]) for k in ATTRIBUTE_FIELDS]
    number = np.arange(first_number, first_number + n_ev, dtype=np.int64)
    programs: list[_text.Program] = []
    for topo in topologies(events):
        r = topo.rows
        p = topo.particles
        decayed = topo.decayed
        vid = {j: -(k + 1) for k, j in enumerate(decayed)}
        mass = generated_mass(p["pdg"], p["px"], p["py"], p["pz"], p["E"], x_pdg[r], x_mass[r])
        pieces: list = ["E ", _text.num(number[r]), f" {len(decayed)} {topo.n}\nU GEV MM\nW"]
        for w in weights:
            pieces += [" ", _text.num(w[r])]
        pieces.append("\nA 0 darkbeam")
        for s in scalars:
            pieces += [" ", _text.num(s[r])]
        pieces.append("\n")
        for j in range(topo.n):
            prod = vid[topo.mothers[j]] if topo.mothers[j] >= 0 else 0
            pieces += [f"P {j + 1} {prod} ", _text.num(p["pdg"][:, j])]
            for col in (p["px"][:, j], p["py"][:, j], p["pz"][:, j], p["E"][:, j], mass[:, j]):
                pieces += [" ", _text.num(col)]
            pieces += [" ", _text.num(p["status"][:, j].astype(np.int32)), "\n"]
            if j in vid:
                c = topo.children(j)[0]     # the end vertex is where the first daughter starts
                pieces.append(f"V {vid[j]} 0 [{j + 1}] @ ")
                pieces += [_text.num(p["x"][:, c] * MM_PER_M), " ", _text.num(p["y"][:, c] * MM_PER_M),
                           " ", _text.num(p["z"][:, c] * MM_PER_M), " ",
                           _text.num(p["t"][:, c] * (C_M_PER_NS * MM_PER_M)), "\n"]
        programs.append((r, pieces))
    return programs


# reading ----------------------------------------------------------------------------------------

def iter_hepmc(path: str | Path, step: int = 50_000) -> Iterator[tuple[ak.Array, dict]]:
    """Read a HepMC3 file with pyhepmc, ``step`` events at a time: (events, metadata).

    Files from darkbeam read back into the full event record; other HepMC3 files give the particles,
    the first weight as ``weight`` (other factors 1) and NaN for the scalars they do not carry.
    """
    import pyhepmc

    meta: dict | None = None
    fields, names = list(ATTRIBUTE_FIELDS), list(WEIGHT_NAMES)
    rows: list[tuple] = []
    yielded = False
    reader = pyhepmc.io.ReaderAscii(str(path))
    try:
        while True:
            evt = pyhepmc.GenEvent()
            reader.read_event(evt)
            if meta is None and evt.run_info is not None:   # also set by a read that hits the end
                meta, fields, names = _run_meta(evt.run_info)
            if reader.failed():
                break
            rows.append(_event_arrays(evt, fields, names))
            if len(rows) >= step:
                yield _assemble(rows), meta or {}
                yielded, rows = True, []
    finally:
        reader.close()
    if rows or not yielded:
        yield _assemble(rows), meta or {}


def read_hepmc(path: Path) -> tuple[ak.Array, dict]:
    batches, meta = [], {}
    for events, meta in iter_hepmc(path):
        batches.append(events)
    return concatenate(batches), meta


def _run_meta(ri) -> tuple[dict, list[str], list[str]]:
    if ri is None:
        return {}, [], []
    attrs = {k: str(v.astype(str)) if hasattr(v, "astype") else str(v) for k, v in ri.attributes.items()}
    meta = json.loads(attrs["darkbeam_metadata"]) if "darkbeam_metadata" in attrs else {}
    fields = attrs.get("darkbeam_fields", "").split()
    return meta, fields, list(ri.weight_names)


def _event_arrays(evt, fields: list[str], names: list[str]) -> tuple:
    import pyhepmc

    data = pyhepmc.GenEventData()
    evt.write_data(data)
    part, vert = data.particles, data.vertices
    n = len(part)
    l1, l2 = np.asarray(data.links1), np.asarray(data.links2)
    into = l1 > 0                      # particle → vertex: the particle enters (ends in) the vertex
    end_vertex = np.zeros(n, dtype=np.int64)
    end_vertex[l1[into] - 1] = l2[into]
    incoming = np.zeros(len(vert) + 1, dtype=np.int64)     # vertex −id → particle id entering it
    incoming[-l2[into]] = l1[into]
    prod_vertex = np.zeros(n, dtype=np.int64)
    prod_vertex[l2[~into] - 1] = l1[~into]
    mother = np.where(prod_vertex < 0, incoming[-prod_vertex] - 1, -1)
    # position: the production vertex, or for a particle without mother its end vertex
    where = np.where(prod_vertex < 0, prod_vertex, end_vertex)
    pos = np.zeros((n, 4))
    has = where < 0
    if len(vert):
        v = np.stack([vert["x"], vert["y"], vert["z"], vert["t"]], axis=1)
        pos[has] = v[-where[has] - 1]
    pos[:, :3] /= MM_PER_M
    pos[:, 3] /= C_M_PER_NS * MM_PER_M
    w = dict(zip(names, np.asarray(data.weights, dtype=np.float64)))
    scal = {}
    if "darkbeam" in data.attribute_name:
        i = list(data.attribute_name).index("darkbeam")
        values = np.array(data.attribute_string[i].split(), dtype=np.float64)
        scal = dict(zip(fields, values))
    particles = (part["pid"], part["status"], mother, part["px"], part["py"], part["pz"], part["e"],
                 pos[:, 0], pos[:, 1], pos[:, 2], pos[:, 3])
    return w, scal, particles


def _assemble(rows: list[tuple]) -> ak.Array:
    n_ev = len(rows)
    scalars = {}
    for k in SCALAR_FIELDS:
        if k in WEIGHT_NAMES:
            default = np.nan if k == "weight" else 1.0
            scalars[k] = np.array([r[0].get(k, next(iter(r[0].values()), np.nan) if k == "weight"
                                        else default) for r in rows], dtype=np.float64)
        else:
            scalars[k] = np.array([r[1].get(k, np.nan) for r in rows], dtype=np.float64)
    for k, dt in SCALAR_FIELDS.items():
        if dt.startswith("int"):
            scalars[k] = np.nan_to_num(scalars[k], nan=-1).astype(dt)
    counts = np.array([len(r[2][0]) for r in rows], dtype=np.int64)
    cols = list(zip(*[r[2] for r in rows])) if rows else [[] for _ in PARTICLE_FIELDS]
    particles = {k: (np.concatenate(c) if len(c) else np.empty(0)) for k, c in zip(PARTICLE_FIELDS, cols)}
    return make_events(scalars, particles, counts if n_ev else 0)
