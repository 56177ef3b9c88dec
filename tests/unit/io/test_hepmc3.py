"""HepMC3 ASCII: read back with pyhepmc's own reader (not darkbeam's) and compared with the record."""

from __future__ import annotations

import json

import awkward as ak
import numpy as np
import pyhepmc
import pytest

from darkbeam import io
from darkbeam.constants import C_M_PER_NS


def _read_with_pyhepmc(path):
    out = []
    with pyhepmc.open(str(path)) as f:
        for evt in f:
            out.append(evt)
    return out


@pytest.mark.parametrize("ext", [".hepmc", ".hepmc3"])
def test_pyhepmc_reads_what_we_wrote(sample, tmp_path, ext):
    events, meta = sample
    path = io.write(events, tmp_path / f"ev{ext}", meta)
    evts = _read_with_pyhepmc(path)
    assert len(evts) == len(events)
    run = evts[0].run_info
    assert list(run.weight_names) == meta["weight_names"]
    attrs = {k: str(v.astype(str)) for k, v in run.attributes.items()}
    assert float(attrs["pot"]) == meta["pot"]
    assert json.loads(attrs["model"]) == json.loads(json.dumps(meta["model"], default=str))
    assert run.tools[0].name == "darkbeam"
    for i in (0, len(events) // 2, len(events) - 1):
        evt, rec = evts[i], events[i]
        assert evt.event_number == i
        assert evt.length_unit == pyhepmc.Units.MM and evt.momentum_unit == pyhepmc.Units.GEV
        for name in meta["weight_names"]:
            assert evt.weight(name) == rec[name]          # shortest round-trip text: exact
        parts = rec.particles
        assert [p.pid for p in evt.particles] == parts.pdg.tolist()
        assert [p.status for p in evt.particles] == parts.status.tolist()
        for p, px, py, pz, e in zip(evt.particles, parts.px, parts.py, parts.pz, parts.E):
            assert (p.momentum.px, p.momentum.py, p.momentum.pz, p.momentum.e) == (px, py, pz, e)
        # production vertex of A′ in the target, decay vertex in the detector (mm, mm/c)
        a = evt.particles[2]
        assert a.pid == 55 and a.status == 2
        prod, dec = a.production_vertex, a.end_vertex
        assert [q.pid for q in prod.particles_in] == [111]
        assert sorted(q.pid for q in dec.particles_out) == [-11, 11]
        np.testing.assert_allclose([prod.position.x, prod.position.y, prod.position.z],
                                   [rec.prod_x * 1e3, rec.prod_y * 1e3, rec.prod_z * 1e3], rtol=1e-15, atol=1e-10)
        np.testing.assert_allclose([dec.position.x, dec.position.y, dec.position.z, dec.position.t],
                                   [rec.vtx_x * 1e3, rec.vtx_y * 1e3, rec.vtx_z * 1e3,
                                    rec.t * 299.792458], rtol=1e-15)  # c = 299.792458 mm/ns
        # four-momentum conserved at every vertex (independent check on the file content)
        for v in evt.vertices:
            pin = np.sum([[q.momentum.px, q.momentum.py, q.momentum.pz, q.momentum.e] for q in v.particles_in], 0)
            pout = np.sum([[q.momentum.px, q.momentum.py, q.momentum.pz, q.momentum.e] for q in v.particles_out], 0)
            np.testing.assert_allclose(pin, pout, atol=1e-10)
        # generated masses: PDG values for SM particles, m_X for the dark photon
        assert evt.particles[1].generated_mass == 0.0
        assert evt.particles[3].generated_mass == pytest.approx(0.51099895e-3, rel=1e-8)
        assert a.generated_mass == rec.x_mass == meta["model"]["mass"]   # m_X, not E² − p² rounding
    total = sum(e.weight("weight") for e in evts)
    assert total == pytest.approx(float(ak.sum(events.weight)), rel=1e-13)


def test_darkbeam_reader_round_trip(sample, tmp_path):
    events, meta = sample
    back, m = io.read(io.write(events, tmp_path / "ev.hepmc", meta))
    assert m["pot"] == meta["pot"] and m["card"] == meta["card"]
    for k in events.fields:
        if k != "particles":
            assert np.array_equal(ak.to_numpy(back[k]), ak.to_numpy(events[k])), k
    for k in ("pdg", "status", "mother", "px", "py", "pz", "E"):
        assert ak.all(back.particles[k] == events.particles[k]), k
    for k in ("x", "y", "z", "t"):   # m → mm → m: equal to rounding
        np.testing.assert_allclose(ak.to_numpy(ak.flatten(back.particles[k])),
                                   ak.to_numpy(ak.flatten(events.particles[k])), rtol=1e-14, atol=1e-15)


def test_time_unit_is_mm_over_c():
    # c = 299 792 458 m/s → 1 ns ↔ 299.792458 mm (CODATA exact value of c)
    assert C_M_PER_NS * 1000 == pytest.approx(299.792458, rel=1e-15)
