"""User-supplied parents: read the output of the user's own beam simulation.

Schema (CSV, Parquet, ROOT)
---------------------------
One row per parent particle, columns (names are case sensitive):

==========  ========  =====================================================================
column      unit      meaning
==========  ========  =====================================================================
pdg         —         PDG id (integer) — required
px py pz    GeV       momentum in the facility frame (+z = beam, origin at the target) — required
E           GeV       energy (E ≥ 0 and E ≥ |p|) — required
x y z       m         production point (default 0)
t           ns        time after the proton's arrival at the target (default 0)
weight      —         number of parents this row stands for in the simulated POT (default 1)
==========  ========  =====================================================================

Decay-point schema, close to dk2nu's ``decay`` branch (beam-simulation output: the parents at their decay
points, the way to bring the real horn-focused flux; recognised when the columns ``ptype`` and ``vx`` are present
and ``E`` is not):

==========  ========  =====================================================================
column      unit      meaning (dk2nu ``bsim::Decay`` field of the same name)
==========  ========  =====================================================================
ptype       —         PDG id of the decaying parent (π±, K±, K⁰_L, μ±) — required
vx vy vz    cm        decay point in the beam (facility) frame — required (dk2nu's unit)
pdpx pdpy   GeV       parent momentum at the decay point — required
pdpz
nimpwt      —         importance weight of the parent (default 1)
t           ns        decay time after the proton's arrival (default 0: not a dk2nu field)
==========  ========  =====================================================================

E is computed from the momentum and the PDG mass of ``ptype`` (``particle``). Each row is one parent decay:
a dk2nu file written one row per neutrino (one decay mode ``ndecay`` each) counts a parent once per mode;
divide ``nimpwt`` by that mode's branching ratio to count parents (as MicroBooNE's Higgs-portal generator does,
``hpsgen`` FluxReaderNuMI: weight = nimpwt / BR(ndecay)). The POT normalisation is the same as below (dk2nu
keeps it in its ``dkmeta`` tree: pass it as ``pot``).

POT normalisation: each row's weight per POT is ``weight / pot`` where ``pot`` is the number of protons the file
represents. It is the ``pot`` argument if given, otherwise read from the file:

* CSV: a comment line ``# pot = 1e6`` before the header (comment lines start with ``#``);
* Parquet: the schema metadata key ``pot``;
* ROOT: a TObjString (or number) named ``pot`` next to the tree (default tree name ``parents``; TTree or
  RNTuple, read with uproot);
* HepMC3 (read with pyhepmc): the run-info attribute ``pot``. Each event's final-state particles
  (status 1; ``status=`` changes it) are parents, with the event's first weight; momenta are converted from the
  event's units (GeV/MeV), positions and times from its length unit (mm/cm; time in length/c) to m and ns.

Malformed input (missing columns, NaN or infinite values, negative energies, E < |p|, negative weights, no POT
normalisation) raises :class:`darkbeam.errors.InputFileError` naming the file and the problem.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import numpy as np

from ..constants import C_M_PER_NS
from ..errors import InputFileError
from .parents import Parents

REQUIRED = ("pdg", "px", "py", "pz", "E")
OPTIONAL = {"x": 0.0, "y": 0.0, "z": 0.0, "t": 0.0, "weight": 1.0}
FORMATS = {".csv": "csv", ".txt": "csv", ".parquet": "parquet", ".pq": "parquet", ".root": "root",
           ".hepmc": "hepmc3", ".hepmc3": "hepmc3"}
#: relative tolerance on E ≥ |p| (rounding in the user's file)
_MASS_SHELL_RTOL = 1e-6


def detect_format(path: str | Path) -> str:
    """File format from the extension (csv, parquet, root, hepmc3)."""
    suffixes = [s.lower() for s in Path(path).suffixes]
    for s in reversed(suffixes):
        if s in FORMATS:
            return FORMATS[s]
    raise InputFileError(f"{path}: unknown parents file format (extension {''.join(suffixes) or 'none'}); "
                         f"expected one of {', '.join(sorted(FORMATS))}")


def _parse_pot(path, value) -> float:
    try:
        pot = float(value)
    except (TypeError, ValueError):
        raise InputFileError(f"{path}: POT normalisation {value!r} is not a number") from None
    if not (np.isfinite(pot) and pot > 0):
        raise InputFileError(f"{path}: POT normalisation must be a positive number, got {value!r}")
    return pot


def _first_bad(mask: np.ndarray, row0: int) -> str:
    idx = np.flatnonzero(mask)
    return f"{idx.size} row(s), first at data row {row0 + idx[0]}"


#: the dk2nu-like decay-point schema (module docstring)
DK2NU_REQUIRED = ("ptype", "vx", "vy", "vz", "pdpx", "pdpy", "pdpz")


def is_decay_schema(names) -> bool:
    """Whether columns ``names`` follow the dk2nu-like decay-point schema (``ptype``, ``vx``; no ``E``)."""
    names = set(names)
    return "ptype" in names and "vx" in names and "E" not in names


def _from_decay_schema(path, columns: dict[str, np.ndarray], row0: int) -> dict[str, np.ndarray]:
    """The native columns of a dk2nu-like batch: cm → m, E from the PDG mass of ``ptype``."""
    from ..constants import mass

    missing = [c for c in DK2NU_REQUIRED if c not in columns]
    if missing:
        raise InputFileError(f"{path}: decay-point (dk2nu-like) schema: missing column(s) {', '.join(missing)} "
                             f"(required: {', '.join(DK2NU_REQUIRED)})")
    ptype = np.asarray(columns["ptype"])
    if ptype.dtype.kind not in "iuf" or np.any(ptype != np.round(ptype)):
        raise InputFileError(f"{path}: column 'ptype' must hold integer PDG ids")
    codes = np.unique(np.abs(ptype.astype(np.int64)))
    m = np.zeros(len(ptype))
    for code in codes:
        try:
            m[np.abs(ptype) == code] = mass(int(code))
        except Exception:
            raise InputFileError(f"{path}: column 'ptype' holds PDG id {int(code)} with no known mass") from None
    out = {"pdg": ptype, "px": columns["pdpx"], "py": columns["pdpy"], "pz": columns["pdpz"]}
    for k in ("vx", "vy", "vz"):
        out[k[1]] = np.asarray(columns[k], dtype=float) / 100.0
    p2 = sum(np.asarray(columns[k], dtype=float) ** 2 for k in ("pdpx", "pdpy", "pdpz"))
    out["E"] = np.sqrt(p2 + m * m)
    if "nimpwt" in columns:
        out["weight"] = columns["nimpwt"]
    if "t" in columns:
        out["t"] = columns["t"]
    return out


def columns_to_parents(path, columns: dict[str, np.ndarray], pot: float, row0: int = 0) -> Parents:
    """Validate one batch of columns (schema above) and build a :class:`Parents` batch (weights per POT)."""
    if is_decay_schema(columns):
        columns = _from_decay_schema(path, columns, row0)
    missing = [c for c in REQUIRED if c not in columns]
    if missing:
        raise InputFileError(f"{path}: missing required column(s) {', '.join(missing)} "
                             f"(required: {', '.join(REQUIRED)}; found: {', '.join(columns) or 'none'})")
    n = len(columns["E"])
    data = {}
    for name in (*REQUIRED, *OPTIONAL):
        if name in columns:
            col = np.asarray(columns[name])
            if col.dtype.kind not in "iuf":
                raise InputFileError(f"{path}: column {name!r} is not numeric (dtype {col.dtype})")
            col = col.astype(float)
            bad = ~np.isfinite(col)
            if bad.any():
                raise InputFileError(f"{path}: column {name!r} has NaN or infinite values in "
                                     f"{_first_bad(bad, row0)}")
        else:
            col = np.full(n, OPTIONAL[name])
        data[name] = col
    if np.any(data["pdg"] != np.round(data["pdg"])):
        raise InputFileError(f"{path}: column 'pdg' must hold integer PDG ids")
    e = data["E"]
    p = np.sqrt(data["px"] ** 2 + data["py"] ** 2 + data["pz"] ** 2)
    if np.any(e < 0):
        raise InputFileError(f"{path}: negative energies in column 'E' in {_first_bad(e < 0, row0)}")
    off_shell = e < p * (1.0 - _MASS_SHELL_RTOL)
    if np.any(off_shell):
        raise InputFileError(f"{path}: energy below |p| (E < |p|, unphysical) in "
                             f"{_first_bad(off_shell, row0)}")
    if np.any(data["weight"] < 0):
        raise InputFileError(f"{path}: negative weights in {_first_bad(data['weight'] < 0, row0)}")
    p4 = np.column_stack([data["px"], data["py"], data["pz"], e])
    vertex = np.column_stack([data["x"], data["y"], data["z"]])
    return Parents(data["pdg"].astype(np.int32), p4, vertex, data["t"], data["weight"] / pot)


# ---------------------------------------------------------------------------------------------- CSV
def _csv_header(path: Path) -> tuple[int, str | None]:
    n_comment, pot = 0, None
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            if not line.startswith("#"):
                break
            n_comment += 1
            body = line[1:].strip()
            if "=" in body and body.split("=", 1)[0].strip().lower() == "pot":
                pot = body.split("=", 1)[1].strip()
    return n_comment, pot


def _read_csv(path: Path, pot, batch_size: int) -> Iterator[Parents]:
    import pyarrow as pa
    import pyarrow.csv as pacsv

    n_comment, file_pot = _csv_header(path)
    pot = _parse_pot(path, pot if pot is not None else _require_pot(path, file_pot, "a '# pot = N' line"))
    try:
        reader = pacsv.open_csv(path, read_options=pacsv.ReadOptions(skip_rows=n_comment,
                                                                     block_size=1 << 22))
        row0 = 0
        for batch in reader:
            cols = {name: batch.column(i).to_numpy(zero_copy_only=False)
                    for i, name in enumerate(batch.schema.names)}
            yield from _split(path, cols, pot, row0, batch_size)
            row0 += batch.num_rows
    except (pa.ArrowInvalid, pa.ArrowTypeError, UnicodeDecodeError) as err:
        raise InputFileError(f"{path}: cannot be read as CSV ({err})") from None


def _split(path, cols, pot, row0, batch_size) -> Iterator[Parents]:
    n = len(next(iter(cols.values()))) if cols else 0
    if "E" not in cols and not is_decay_schema(cols):
        columns_to_parents(path, cols, pot, row0)  # raises the missing-column error
    for start in range(0, n, batch_size):
        yield columns_to_parents(path, {k: v[start:start + batch_size] for k, v in cols.items()}, pot,
                                 row0 + start)


def _require_pot(path, value, where: str):
    if value is None:
        raise InputFileError(f"{path}: no POT normalisation: pass pot=... or store it in the file ({where})")
    return value


# ------------------------------------------------------------------------------------------ Parquet
def _read_parquet(path: Path, pot, batch_size: int) -> Iterator[Parents]:
    import pyarrow as pa
    import pyarrow.parquet as pq

    try:
        pf = pq.ParquetFile(path)
    except (pa.ArrowInvalid, OSError) as err:
        raise InputFileError(f"{path}: cannot be read as Parquet ({err})") from None
    meta = pf.schema_arrow.metadata or {}
    file_pot = meta.get(b"pot")
    pot = _parse_pot(path, pot if pot is not None else _require_pot(
        path, None if file_pot is None else file_pot.decode(), "schema metadata key 'pot'"))
    missing = [c for c in REQUIRED if c not in pf.schema_arrow.names]
    if missing and not is_decay_schema(pf.schema_arrow.names):
        columns_to_parents(path, {c: np.empty(0) for c in pf.schema_arrow.names}, pot)
    row0 = 0
    for batch in pf.iter_batches(batch_size=batch_size):
        cols = {name: batch.column(i).to_numpy(zero_copy_only=False)
                for i, name in enumerate(batch.schema.names)}
        yield columns_to_parents(path, cols, pot, row0)
        row0 += batch.num_rows


# --------------------------------------------------------------------------------------------- ROOT
def _read_root(path: Path, pot, batch_size: int, tree: str) -> Iterator[Parents]:
    import uproot

    try:
        fh = uproot.open(path)
    except Exception as err:  # uproot raises many types for non-ROOT files
        raise InputFileError(f"{path}: cannot be read as a ROOT file ({err})") from None
    with fh:
        if tree not in fh:
            raise InputFileError(f"{path}: no tree named {tree!r} (keys: {', '.join(fh.keys()) or 'none'})")
        if pot is None:
            file_pot = fh["pot"] if "pot" in fh else None
            pot = _require_pot(path, None if file_pot is None else str(file_pot), "a TObjString named 'pot'")
        pot = _parse_pot(path, pot)
        obj = fh[tree]
        names = list(obj.keys())
        missing = [c for c in REQUIRED if c not in names]
        decay = is_decay_schema(names)
        if missing and not decay:
            columns_to_parents(path, {c: np.empty(0) for c in names}, pot)
        wanted = [c for c in ((*DK2NU_REQUIRED, "nimpwt", "t") if decay else (*REQUIRED, *OPTIONAL)) if c in names]
        row0 = 0
        for arrays in obj.iterate(wanted, step_size=batch_size, library="np"):
            yield columns_to_parents(path, arrays, pot, row0)
            row0 += len(next(iter(arrays.values())))


# ------------------------------------------------------------------------------------------- HepMC3
def _hepmc3_event_columns(event, status: int, pyhepmc) -> dict[str, np.ndarray]:
    """Columns (schema units) of the particles with ``status`` in one event, without a per-particle loop:
    momenta from the event's numpy view, production vertices from the vertex → particle links."""
    parts, verts = event.numpy.particles, event.numpy.vertices
    data = pyhepmc.GenEventData()
    event.write_data(data)
    l1, l2 = np.asarray(data.links1), np.asarray(data.links2)
    produced = (l1 < 0) & (l2 > 0)  # links (vertex id < 0) → (particle id > 0)
    ids = np.asarray(parts.id)
    vertex_of = np.zeros(ids.max(initial=0) + 1, dtype=np.int64)
    vertex_of[l2[produced]] = -l1[produced]  # 1-based vertex index, 0 = no production vertex
    sel = np.asarray(parts.status) == status
    vi = vertex_of[ids[sel]]
    mom = 1.0 if event.momentum_unit == pyhepmc.Units.GEV else 1e-3
    length = 1e-3 if event.length_unit == pyhepmc.Units.MM else 1e-2
    cols = {"pdg": np.asarray(parts.pid)[sel]}
    for key, name in (("px", "px"), ("py", "py"), ("pz", "pz"), ("E", "e")):
        cols[key] = np.asarray(getattr(parts, name))[sel] * mom
    has_v = vi > 0
    for key in ("x", "y", "z", "t"):
        pos = np.asarray(getattr(verts, key))
        vals = np.where(has_v, pos[np.maximum(vi - 1, 0)] if pos.size else 0.0, 0.0) * length
        cols[key] = vals / C_M_PER_NS if key == "t" else vals
    cols["weight"] = np.full(int(sel.sum()), event.weights[0] if len(event.weights) else 1.0)
    return cols


def _read_hepmc3(path: Path, pot, batch_size: int, status: int) -> Iterator[Parents]:
    import pyhepmc

    pending: list[dict[str, np.ndarray]] = []
    n_pending, row0 = 0, 0
    try:
        reader = pyhepmc.open(str(path))
    except Exception as err:
        raise InputFileError(f"{path}: cannot be read as HepMC3 ({err})") from None

    def flush():
        cols = {k: np.concatenate([c[k] for c in pending]) for k in pending[0]}
        return columns_to_parents(path, cols, pot, row0)

    with reader:
        for event in reader:
            if pot is None:
                attrs = event.run_info.attributes if event.run_info is not None else {}
                file_pot = attrs["pot"] if "pot" in attrs else None
                if hasattr(file_pot, "astype"):  # pyhepmc returns attributes read from file unparsed
                    file_pot = file_pot.astype(str)
                pot = _require_pot(path, file_pot, "run-info attribute 'pot'")
            pot = _parse_pot(path, pot)
            cols = _hepmc3_event_columns(event, status, pyhepmc)
            pending.append(cols)
            n_pending += len(cols["E"])
            if n_pending >= batch_size:
                yield flush()
                row0 += n_pending
                pending, n_pending = [], 0
    if pot is None:
        raise InputFileError(f"{path}: no events in the HepMC3 file")
    if n_pending:
        yield flush()


def read_parents(path: str | Path, pot: float | None = None, fmt: str | None = None,
                 batch_size: int = 1_000_000, tree: str = "parents", status: int = 1) -> Iterator[Parents]:
    """Iterate over :class:`Parents` batches (≤ ``batch_size`` rows; HepMC3 batches hold whole events and may
    exceed it by one event's particles) from a user file (schema above).

    ``pot`` overrides the POT normalisation stored in the file; ``fmt`` the format guessed from the extension;
    ``tree`` names the ROOT tree; ``status`` selects HepMC3 particles.
    """
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: parents file not found")
    fmt = fmt or detect_format(path)
    if fmt == "csv":
        return _read_csv(path, pot, batch_size)
    if fmt == "parquet":
        return _read_parquet(path, pot, batch_size)
    if fmt == "root":
        return _read_root(path, pot, batch_size, tree)
    if fmt == "hepmc3":
        return _read_hepmc3(path, pot, batch_size, status)
    raise InputFileError(f"{path}: unknown format {fmt!r}; expected csv, parquet, root or hepmc3")


def load_parents(path: str | Path, pot: float | None = None, fmt: str | None = None, **options) -> Parents:
    """All parents of a user file in one :class:`Parents` batch (see :func:`read_parents`)."""
    batches = list(read_parents(path, pot, fmt, **options))
    if not batches:
        return Parents(np.empty(0, np.int32), np.empty((0, 4)), np.empty((0, 3)), np.empty(0), np.empty(0))
    return Parents(*(np.concatenate([getattr(b, f) for b in batches])
                     for f in ("pdg", "p4", "vertex", "t", "weight")))
