"""Les Houches Event files (``.lhe``), LHEF version 3.

Format: J. Alwall et al., "A standard format for Les Houches Event Files", Comput. Phys. Commun.
176 (2007) 300, hep-ph/0609017 (the HEPRUP/HEPEUP common blocks of E. Boos et al., hep-ph/0109068,
as XML), with the version-3 weight tags ``<initrwgt>``/``<rwgt>`` of J. R. Andersen et al., Les
Houches 2013 proceedings, arXiv:1405.1067, §"LHEF 3.0". The header and ``<init>`` block are written
by pylhe; the events are rendered column-wise (:mod:`._text`) with 17 significant digits, which
read back exactly (pylhe's own event writer keeps 5 significant digits for the weights).

What darkbeam writes
    * ``<header>``: ``<initrwgt>`` with one weight group ``darkbeam`` naming the weights
      (:data:`darkbeam.events.WEIGHT_NAMES`), and a ``<darkbeam>`` element holding the run's metadata
      (card text, POT, model, channels, version) as JSON;
    * ``<init>``: beam 1 = the facility's beam (``beam_pdg``/``beam_energy`` from the metadata when
      given, else 2212 and 0), beam 2 = 0 (a fixed target has no LHA beam code); IDWTUP = 4
      (weighted events, passed on with their weight, hep-ph/0109068 §2.1); one process per production
      channel (LPRUP = channel + 1) with XSECUP = Σ weights = **expected events** for the run's POT
      (not pb), XERRUP = √Σw², XMAXUP = max weight; the ``<generator>`` tag names darkbeam and the
      total expected events;
    * per event: NUP, IDPRUP = channel + 1, XWGTUP = ``weight`` (expected events), SCALUP = 0,
      AQEDUP = α, AQCDUP = 0; per particle IDUP, ISTUP (−1 for the parent, which enters the
      process; 2 for decayed intermediate states such as the A′; 1 final), MOTHUP (1-based), no colour,
      PUP (px, py, pz, E, m in GeV), VTIMUP = proper decay length cτ (mm) of decayed particles, SPINUP
      = 9 (unpolarised); then a comment line ``#darkbeam ...`` with the event's other scalars (field
      names in the metadata key ``lhe_comment_fields``) and ``<rwgt>`` with every named weight.

What LHE cannot hold: vertex positions and times. The standard fields carry only VTIMUP (the
proper lifetime, no position), so absolute production and decay points, and the times since the
proton's arrival, are lost for other readers; darkbeam keeps the X production vertex, the
detector vertex and the time in the ``#darkbeam`` comment line (ignored by LHEF readers, which
treat ``#`` lines as comments), and its reader rebuilds particle production points from those and
VTIMUP, starting the parent at the X production vertex at t = 0.
"""

from __future__ import annotations

import io as _io
import json
import shutil
import xml.etree.ElementTree as ET
from pathlib import Path
from typing import Iterator

import awkward as ak
import numpy as np

from ..constants import ALPHA_EM, C_M_PER_NS
from ..events import PARTICLE_FIELDS, SCALAR_FIELDS, WEIGHT_NAMES, concatenate, make_events
from . import _text
from ._records import generated_mass, topologies
from .base import EventWriter

COMMENT_FIELDS = tuple(k for k in SCALAR_FIELDS if k not in WEIGHT_NAMES)
MM_PER_M = 1000.0
_WEIGHT_TITLES = {
    "weight": "expected events for the run's POT (= XWGTUP)",
    "w_production": "X produced per POT", "p_decay": "probability to decay in the detector",
    "p_interact": "probability to interact in the detector", "br": "branching ratio of the signal",
    "efficiency": "detector efficiency", "importance": "importance-sampling factor (already in w_production)",
}


class LHEWriter(EventWriter):
    """Streaming LHE writer: events go to a body file; at close the header and ``<init>`` (which
    need the totals) are written and the body is appended, under the temporary name."""

    def _open(self, tmp_path: Path) -> None:
        self._body_path = tmp_path.with_name(tmp_path.name + ".body")
        self._body = open(self._body_path, "wb")
        self._sums: dict[int, list[float]] = {}
        self._aborting = False

    def _write_block(self, events: ak.Array, first: int) -> None:
        w = ak.to_numpy(events.weight).astype(np.float64)
        ch = ak.to_numpy(events.channel).astype(np.int64)
        for c in np.unique(ch).tolist():            # loop over channels present (a handful)
            sel = w[ch == c]
            s = self._sums.setdefault(c, [0.0, 0.0, 0.0])
            s[0] += float(sel.sum())
            s[1] += float((sel * sel).sum())
            s[2] = max(s[2], float(sel.max()))
        _text.render(format_events(events), len(events), self._body)

    def _close(self) -> None:
        self._body.close()
        try:
            if not self._aborting:
                with open(self.tmp_path, "wb") as out:
                    out.write(header_text(self.metadata, self._sums).encode())
                    with open(self._body_path, "rb") as body:
                        shutil.copyfileobj(body, out, 1 << 22)
                    out.write(b"</LesHouchesEvents>\n")
        finally:
            self._body_path.unlink(missing_ok=True)

    def abort(self) -> None:
        self._aborting = True
        super().abort()


def header_text(metadata: dict, sums: dict[int, list[float]]) -> str:
    """``<LesHouchesEvents>``, ``<header>`` and ``<init>``, written by pylhe."""
    import pylhe

    channels = list(metadata.get("channels") or [])
    total = sum(s[0] for s in sums.values())
    procs = [pylhe.LHEProcInfo(xSection=s[0], error=float(np.sqrt(s[1])), unitWeight=s[2], procId=c + 1)
             for c, s in sorted(sums.items())]
    init = pylhe.LHEInit(
        initInfo=pylhe.LHEInitInfo(
            beamA=int(metadata.get("beam_pdg", 2212)), beamB=0,
            energyA=float(metadata.get("beam_energy", 0.0)), energyB=0.0,
            PDFgroupA=0, PDFgroupB=0, PDFsetA=0, PDFsetB=0, weightingStrategy=4,
            numProcesses=len(procs)),
        procInfo=procs,
        generators=[pylhe.LHEGenerator(
            name="darkbeam", version=str(metadata.get("darkbeam_version", "")),
            description=(f"expected events {total!r} for {metadata.get('pot')} POT; processes: "
                         + ", ".join(f"{c + 1}={channels[c] if c < len(channels) else c}"
                                     for c in sorted(sums))))])
    meta = dict(metadata, lhe_comment_fields=list(COMMENT_FIELDS))
    extra = ET.Element("darkbeam")
    extra.text = json.dumps(meta, sort_keys=True, default=str)
    header = pylhe.LHEHeader(
        initrwgt=pylhe.LHEInitRWGT([pylhe.LHEInitRWGTWeightGroup(
            name="darkbeam", weights=[pylhe.LHEInitRWGTWeight(id=k, name=_WEIGHT_TITLES.get(k, k))
                                      for k in WEIGHT_NAMES])]),
        extra_elements=[extra])
    buf = _io.StringIO()
    pylhe.LHEFile(init=init, events=[], header=header,
                  comment="written by darkbeam; weights are expected events, not pb").write(buf)
    text = buf.getvalue()
    return text[: text.rindex("</LesHouchesEvents>")]


def format_events(events: ak.Array) -> list[_text.Program]:
    """The ``<event>`` blocks of a batch, as one text program per topology (:func:`._text.render`)."""
    x_pdg, x_mass = ak.to_numpy(events.x_pdg), ak.to_numpy(events.x_mass)
    weights = {k: ak.to_numpy(events[k]).astype(np.float64) for k in WEIGHT_NAMES}
    comment = [ak.to_numpy(events[k]) for k in COMMENT_FIELDS]
    proc = ak.to_numpy(events.channel).astype(np.int64) + 1
    programs: list[_text.Program] = []
    for topo in topologies(events):
        r, p = topo.rows, topo.particles
        mass = generated_mass(p["pdg"], p["px"], p["py"], p["pz"], p["E"], x_pdg[r], x_mass[r])
        pieces: list = ["<event>\n", f"{topo.n} ", _text.num(proc[r]), " ", _text.num(weights["weight"][r]),
                        f" 0 {ALPHA_EM!r} 0\n"]
        for j in range(topo.n):
            m = topo.mothers[j]
            children = topo.children(j)
            status = np.where(m < 0, -1, p["status"][:, j].astype(np.int64))
            if children:
                c = children[0]
                d = np.sqrt((p["x"][:, c] - p["x"][:, j]) ** 2 + (p["y"][:, c] - p["y"][:, j]) ** 2
                            + (p["z"][:, c] - p["z"][:, j]) ** 2)
                pabs = np.sqrt(p["px"][:, j] ** 2 + p["py"][:, j] ** 2 + p["pz"][:, j] ** 2)
                ctau = np.divide(d * mass[:, j], pabs, out=np.zeros_like(d), where=pabs > 0) * MM_PER_M
                vtim = _text.num(ctau)
            else:
                vtim = "0"
            pieces += [_text.num(p["pdg"][:, j]), " ", _text.num(status), f" {m + 1} {m + 1} 0 0"]
            for col in (p["px"][:, j], p["py"][:, j], p["pz"][:, j], p["E"][:, j], mass[:, j]):
                pieces += [" ", _text.num(col)]
            pieces += [" ", vtim, " 9\n"]
        pieces.append("#darkbeam")
        for col in comment:
            pieces += [" ", _text.num(col[r])]
        pieces.append("\n<rwgt>\n")
        for k, w in weights.items():
            pieces += [f"<wgt id='{k}'>", _text.num(w[r]), "</wgt>\n"]
        pieces.append("</rwgt>\n</event>\n")
        programs.append((r, pieces))
    return programs


# reading ----------------------------------------------------------------------------------------

def iter_lhe(path: str | Path, step: int = 50_000) -> Iterator[tuple[ak.Array, dict]]:
    """Read an LHE file with pylhe, ``step`` events at a time: (events, metadata). Positions and
    times are rebuilt as described in the module docstring (NaN where the file has no
    ``#darkbeam`` line)."""
    import pylhe

    lhe = pylhe.LHEFile.fromfile(str(path))
    meta = {}
    extra = getattr(lhe.header, "extra_elements", None) or []
    for el in extra:
        if el.tag == "darkbeam" and el.text:
            meta = json.loads(el.text)
    fields = meta.get("lhe_comment_fields", list(COMMENT_FIELDS))
    rows = []
    yielded = False
    for ev in lhe.events:
        rows.append(_event_arrays(ev, fields))
        if len(rows) >= step:
            yield _assemble(rows), meta
            yielded, rows = True, []
    if rows or not yielded:
        yield _assemble(rows), meta


def read_lhe(path: Path) -> tuple[ak.Array, dict]:
    batches, meta = [], {}
    for events, meta in iter_lhe(path):
        batches.append(events)
    return concatenate(batches), meta


def _event_arrays(ev, fields: list[str]) -> tuple:
    a = np.array([(q.id, q.status, q.mother1, q.px, q.py, q.pz, q.e, q.m, q.lifetime)
                  for q in ev.particles], dtype=np.float64).reshape(-1, 9)
    scal = {}
    for line in ev.optional:
        if line.startswith("#darkbeam"):
            scal = dict(zip(fields, np.array(line.split()[1:], dtype=np.float64)))
    weights = dict(ev.weights) or {"weight": ev.eventinfo.weight}
    weights.setdefault("weight", ev.eventinfo.weight)
    if "channel" not in scal:
        scal["channel"] = ev.eventinfo.pid - 1
    return weights, scal, a


def _assemble(rows: list[tuple]) -> ak.Array:
    scalars = {}
    for k, dt in SCALAR_FIELDS.items():
        src = 0 if k in WEIGHT_NAMES else 1
        default = 1.0 if src == 0 and k != "weight" else np.nan
        col = np.array([r[src].get(k, default) for r in rows], dtype=np.float64)
        scalars[k] = np.nan_to_num(col, nan=-1).astype(dt) if dt.startswith("int") else col
    counts = np.array([len(r[2]) for r in rows], dtype=np.int64)
    flat = np.concatenate([r[2] for r in rows]) if rows else np.empty((0, 9))
    first = np.zeros(len(counts), dtype=np.int64)
    first[1:] = np.cumsum(counts)[:-1]
    owner = np.repeat(first, counts)                   # flat index of each particle's event start
    index_in_event = np.arange(len(flat)) - owner
    mother = flat[:, 2].astype(np.int64) - 1
    has_mother = mother >= 0
    mother_flat = np.where(has_mother, owner + mother, -1)
    start = np.stack([scalars["prod_x"], scalars["prod_y"], scalars["prod_z"],
                      np.zeros(len(counts))], axis=1)
    pos = np.repeat(start, counts, axis=0)             # roots: the X production vertex, t = 0
    # daughters start where their mother decays: x_d = x_m + (p_m/m_m)·cτ_m, t_d = t_m + (E_m/m_m)·cτ_m/c;
    # mothers come first in the record, so one vectorised pass per position in the event suffices
    for j in range(1, int(counts.max()) if len(counts) else 0):
        sel = has_mother & (index_in_event == j)
        m = mother_flat[sel]
        mass, ctau = flat[m, 7], flat[m, 8] / MM_PER_M
        step = np.divide(ctau, mass, out=np.zeros_like(ctau), where=mass > 0)
        pos[sel, :3] = pos[m, :3] + flat[m, 3:6] * step[:, None]
        pos[sel, 3] = pos[m, 3] + flat[m, 6] * step / C_M_PER_NS
    status = flat[:, 1].astype(np.int64)
    has_children = np.zeros(len(flat), dtype=bool)
    has_children[mother_flat[has_mother]] = True
    status = np.where(status == -1, np.where(has_children, 2, 4), status)
    particles = {"pdg": flat[:, 0], "status": status, "mother": mother, "px": flat[:, 3],
                 "py": flat[:, 4], "pz": flat[:, 5], "E": flat[:, 6],
                 "x": pos[:, 0], "y": pos[:, 1], "z": pos[:, 2], "t": pos[:, 3]}
    assert set(particles) == set(PARTICLE_FIELDS)
    return make_events(scalars, particles, counts if len(rows) else 0)
