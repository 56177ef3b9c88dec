"""Round trips of the user-file readers (files written here with pyarrow / uproot / pyhepmc / plain text) and
rejection of malformed files with an InputFileError naming the file and the problem."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from darkbeam.errors import InputFileError
from darkbeam.sources.user_files import load_parents, read_parents

POT = 2.5e5


def _table(n: int = 1000, seed: int = 0) -> dict[str, np.ndarray]:
    rng = np.random.default_rng(seed)
    pdg = rng.choice([111, 221, 211, -211, 22], n).astype(np.int32)
    m = np.select([pdg == 111, pdg == 221, np.abs(pdg) == 211], [0.1349768, 0.547862, 0.13957039], 0.0)
    p = rng.normal(0, 1.0, (n, 3))
    return {"pdg": pdg, "px": p[:, 0], "py": p[:, 1], "pz": np.abs(p[:, 2]) + 0.1,
            "E": np.sqrt(np.sum(p[:, :2] ** 2, axis=1) + (np.abs(p[:, 2]) + 0.1) ** 2 + m * m),
            "x": rng.normal(0, 0.01, n), "y": rng.normal(0, 0.01, n), "z": rng.uniform(0, 0.7, n),
            "t": rng.uniform(0, 2.0, n), "weight": rng.uniform(0.5, 2.0, n)}


def _write_csv(path, cols, pot=POT, header_extra=""):
    names = list(cols)
    with open(path, "w") as fh:
        if pot is not None:
            fh.write(f"# beam simulation output\n# pot = {pot}\n")
        fh.write(header_extra)
        fh.write(",".join(names) + "\n")
        for row in zip(*(cols[k] for k in names)):
            fh.write(",".join(repr(v.item()) if hasattr(v, "item") else repr(v) for v in row) + "\n")


def _write_parquet(path, cols, pot=POT):
    table = pa.table(cols)
    if pot is not None:
        table = table.replace_schema_metadata({"pot": str(pot)})
    pq.write_table(table, path)


def _write_root(path, cols, pot=POT):
    import uproot

    with uproot.recreate(path) as fh:
        fh.mktree("parents", {k: v.dtype for k, v in cols.items()})
        fh["parents"].extend(cols)
        if pot is not None:
            fh["pot"] = str(pot)


def _write_hepmc3(path, cols, pot=POT):
    """One event per parent, in MeV and mm (so the reader must convert units)."""
    import pyhepmc

    run = pyhepmc.GenRunInfo()
    if pot is not None:
        run.attributes["pot"] = str(pot)
    with pyhepmc.open(str(path), "w") as out:
        for i in range(len(cols["E"])):
            ev = pyhepmc.GenEvent(pyhepmc.Units.MEV, pyhepmc.Units.MM)
            ev.run_info = run
            ev.weights = [float(cols["weight"][i])]
            c_mm_per_ns = 299.792458
            v = pyhepmc.GenVertex(pyhepmc.FourVector(cols["x"][i] * 1e3, cols["y"][i] * 1e3, cols["z"][i] * 1e3,
                                                     cols["t"][i] * c_mm_per_ns))
            beam = pyhepmc.GenParticle(pyhepmc.FourVector(0, 0, 8890.0, 8939.0), 2212, 4)
            part = pyhepmc.GenParticle(pyhepmc.FourVector(*(1e3 * cols[k][i] for k in ("px", "py", "pz", "E"))),
                                       int(cols["pdg"][i]), 1)
            v.add_particle_in(beam)
            v.add_particle_out(part)
            ev.add_vertex(v)
            out.write(ev)


WRITERS = {"csv": _write_csv, "parquet": _write_parquet, "root": _write_root, "hepmc3": _write_hepmc3}


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_round_trip(tmp_path, fmt):
    cols = _table(300 if fmt == "hepmc3" else 2000)
    path = tmp_path / f"parents.{fmt}"
    WRITERS[fmt](path, cols)
    tol = 1e-9 if fmt == "hepmc3" else 1e-12
    parents = load_parents(path, batch_size=256)
    assert np.array_equal(parents.pdg, cols["pdg"])
    assert np.allclose(parents.p4, np.column_stack([cols["px"], cols["py"], cols["pz"], cols["E"]]), rtol=tol, atol=0)
    assert np.allclose(parents.vertex, np.column_stack([cols["x"], cols["y"], cols["z"]]), rtol=tol, atol=1e-15)
    assert np.allclose(parents.t, cols["t"], rtol=tol, atol=0)
    assert np.allclose(parents.weight, cols["weight"] / POT, rtol=tol, atol=0)
    batches = list(read_parents(path, batch_size=256))
    assert max(len(b) for b in batches) <= 256 and sum(len(b) for b in batches) == len(cols["E"])


@pytest.mark.parametrize("fmt", list(WRITERS))
def test_pot_argument_overrides_and_missing_pot(tmp_path, fmt):
    cols = _table(20)
    path = tmp_path / f"nopot.{fmt}"
    WRITERS[fmt](path, cols, pot=None)
    with pytest.raises(InputFileError, match="no POT normalisation") as err:
        load_parents(path)
    assert str(path) in str(err.value)
    parents = load_parents(path, pot=10.0)
    assert np.allclose(parents.weight, cols["weight"] / 10.0, atol=0)


def test_optional_columns_default(tmp_path):
    cols = {k: v for k, v in _table(50).items() if k in ("pdg", "px", "py", "pz", "E")}
    path = tmp_path / "minimal.parquet"
    _write_parquet(path, cols)
    parents = load_parents(path)
    assert np.all(parents.vertex == 0) and np.all(parents.t == 0)
    assert np.allclose(parents.weight, 1.0 / POT, atol=0)


def _malformed(kind: str) -> dict[str, np.ndarray]:
    cols = _table(50)
    if kind == "missing":
        del cols["pz"]
    elif kind == "nan":
        cols["px"][7] = np.nan
    elif kind == "negative_energy":
        cols["E"][3] = -1.0
    elif kind == "off_shell":
        cols["E"][5] = 0.5 * cols["E"][5]
    elif kind == "negative_weight":
        cols["weight"][9] = -1.0
    return cols


@pytest.mark.parametrize("fmt", ["csv", "parquet", "root"])
@pytest.mark.parametrize("kind, message", [("missing", "missing required column.*pz"), ("nan", "'px' has NaN"),
                                           ("negative_energy", "negative energies"),
                                           ("off_shell", r"E < \|p\|"), ("negative_weight", "negative weights")])
def test_malformed_files_rejected(tmp_path, fmt, kind, message):
    path = tmp_path / f"bad_{kind}.{fmt}"
    WRITERS[fmt](path, _malformed(kind))
    with pytest.raises(InputFileError, match=message) as err:
        load_parents(path)
    assert str(path) in str(err.value)


def test_hepmc3_negative_energy_rejected(tmp_path):
    path = tmp_path / "bad.hepmc3"
    _write_hepmc3(path, _malformed("negative_energy"))
    with pytest.raises(InputFileError, match="negative energies"):
        load_parents(path)


def test_unreadable_and_unknown(tmp_path):
    with pytest.raises(InputFileError, match="not found"):
        load_parents(tmp_path / "nothing.csv")
    junk = tmp_path / "junk.parquet"
    junk.write_bytes(b"not a parquet file")
    with pytest.raises(InputFileError, match="cannot be read as Parquet"):
        load_parents(junk, pot=1.0)
    other = tmp_path / "x.dat"
    other.write_text("1")
    with pytest.raises(InputFileError, match="unknown parents file format"):
        load_parents(other)
    bad_pot = tmp_path / "badpot.csv"
    _write_csv(bad_pot, _table(5), pot="-3")
    with pytest.raises(InputFileError, match="positive"):
        load_parents(bad_pot)


def test_hepmc3_several_vertices_per_event(tmp_path):
    """Final-state particles from two vertices (cm, GeV units) get their own production points; the status-4
    beam proton is not a parent."""
    import pyhepmc

    path = tmp_path / "multi.hepmc3"
    run = pyhepmc.GenRunInfo()
    run.attributes["pot"] = "4"
    ev = pyhepmc.GenEvent(pyhepmc.Units.GEV, pyhepmc.Units.CM)
    ev.run_info = run
    ev.weights = [2.0]
    v1 = pyhepmc.GenVertex(pyhepmc.FourVector(0.0, 0.0, 10.0, 29.9792458))   # 10 cm, 1 ns
    v2 = pyhepmc.GenVertex(pyhepmc.FourVector(1.0, -1.0, 50.0, 59.9584916))  # 50 cm, 2 ns
    beam = pyhepmc.GenParticle(pyhepmc.FourVector(0, 0, 8.89, 8.939), 2212, 4)
    pi0 = pyhepmc.GenParticle(pyhepmc.FourVector(0.1, 0.0, 1.0, np.sqrt(1.01 + 0.1349768 ** 2)), 111, 1)
    mid = pyhepmc.GenParticle(pyhepmc.FourVector(0, 0, 5.0, 5.1), 2212, 2)
    g1 = pyhepmc.GenParticle(pyhepmc.FourVector(0.0, 0.0, 0.5, 0.5), 22, 1)
    g2 = pyhepmc.GenParticle(pyhepmc.FourVector(0.0, 0.3, 0.4, 0.5), 22, 1)
    v1.add_particle_in(beam)
    v1.add_particle_out(pi0)
    v1.add_particle_out(mid)
    v2.add_particle_in(mid)
    v2.add_particle_out(g1)
    v2.add_particle_out(g2)
    ev.add_vertex(v1)
    ev.add_vertex(v2)
    with pyhepmc.open(str(path), "w") as out:
        out.write(ev)
    parents = load_parents(path)
    assert sorted(parents.pdg.tolist()) == [22, 22, 111]
    by_pdg = {int(p): i for i, p in enumerate(parents.pdg)}
    i_pi = by_pdg[111]
    assert np.allclose(parents.vertex[i_pi], [0.0, 0.0, 0.10]) and parents.t[i_pi] == pytest.approx(1.0)
    photons = parents.pdg == 22
    assert np.allclose(parents.vertex[photons], [[0.01, -0.01, 0.50]] * 2) and np.allclose(parents.t[photons], 2.0)
    assert np.allclose(parents.weight, 0.5, atol=0)


@pytest.mark.parametrize("fmt", ["csv", "parquet", "root"])
def test_decay_point_schema_dk2nu_like(tmp_path, fmt):
    # dk2nu decay-branch names and units: ptype, vx/vy/vz in cm, pdpx/pdpy/pdpz in GeV, nimpwt
    rng = np.random.default_rng(3)
    n = 500
    ptype = rng.choice([321, -321, 211, 130], n).astype(np.int32)
    m = np.select([np.abs(ptype) == 321, np.abs(ptype) == 211], [0.493677, 0.13957039], 0.497611)  # PDG 2024
    cols = {"ptype": ptype, "vx": rng.normal(0, 30, n), "vy": rng.normal(0, 30, n), "vz": rng.uniform(4570, 72070, n),
            "pdpx": rng.normal(0, 0.2, n), "pdpy": rng.normal(0, 0.2, n), "pdpz": rng.uniform(1, 40, n),
            "nimpwt": rng.uniform(0.1, 3, n)}
    path = tmp_path / f"dk2nu.{fmt}"
    WRITERS[fmt](path, cols)
    par = load_parents(path, batch_size=128)
    assert np.array_equal(par.pdg, ptype)
    assert np.allclose(par.vertex, np.column_stack([cols["vx"], cols["vy"], cols["vz"]]) / 100.0, rtol=1e-12)
    p2 = cols["pdpx"] ** 2 + cols["pdpy"] ** 2 + cols["pdpz"] ** 2
    assert np.allclose(par.p4[:, 3], np.sqrt(p2 + m * m), rtol=1e-6)
    assert np.allclose(par.weight, cols["nimpwt"] / POT, rtol=1e-12, atol=0)
    del cols["pdpz"]
    bad = tmp_path / f"bad.{fmt}"
    WRITERS[fmt](bad, cols)
    with pytest.raises(InputFileError, match="pdpz"):
        load_parents(bad)
