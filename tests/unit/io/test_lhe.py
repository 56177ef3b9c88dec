"""LHE (LHEF 3): read back with pylhe's reader and compared with the record."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pylhe
import pytest

from darkbeam import io


def test_pylhe_reads_what_we_wrote(sample, tmp_path):
    events, meta = sample
    path = io.write(events, tmp_path / "ev.lhe", meta)
    lhe = pylhe.LHEFile.fromfile(str(path))
    init = lhe.init
    # init: one process (π⁰ decay), XSECUP = Σ weights = total expected events
    total = float(ak.sum(events.weight))
    assert init.initInfo.numProcesses == 1 and init.initInfo.weightingStrategy == 4
    assert init.procInfo[0].procId == 1
    assert init.procInfo[0].xSection == pytest.approx(total, rel=1e-7)      # pylhe writes 8 digits
    assert init.procInfo[0].error == pytest.approx(np.sqrt(float(ak.sum(events.weight ** 2))), rel=1e-7)
    ids = [w.id for g in lhe.header.initrwgt.entries for w in g.weights]
    assert ids == meta["weight_names"]
    evts = list(lhe.events)
    assert len(evts) == len(events)
    s = 0.0
    for ev, rec in zip(evts, events):
        s += ev.eventinfo.weight
        assert ev.eventinfo.weight == rec.weight
        assert {k: ev.weights[k] for k in ids} == {k: rec[k] for k in ids}
        parts = rec.particles
        assert [p.id for p in ev.particles] == parts.pdg.tolist()
        assert [p.status for p in ev.particles] == [-1, 1, 2, 1, 1]    # π⁰ incoming, A′ intermediate
        assert [p.mother1 for p in ev.particles] == [0, 1, 1, 3, 3]
        for p, px, py, pz, e in zip(ev.particles, parts.px, parts.py, parts.pz, parts.E):
            assert (p.px, p.py, p.pz, p.e) == (px, py, pz, e)
        # four-momentum: incoming π⁰ = final-state γ e⁻ e⁺
        p4 = np.array([[p.px, p.py, p.pz, p.e] for p in ev.particles])
        np.testing.assert_allclose(p4[0], p4[[1, 3, 4]].sum(0), atol=1e-10)
        # VTIMUP of the A′ = proper decay length (mm): |Δx| m / |p|, by hand from the record
        dx = np.array([rec.vtx_x - rec.prod_x, rec.vtx_y - rec.prod_y, rec.vtx_z - rec.prod_z])
        ctau_mm = np.linalg.norm(dx) * 0.05 / np.linalg.norm(p4[2, :3]) * 1e3
        assert ev.particles[2].lifetime == pytest.approx(ctau_mm, rel=1e-9)
    assert s == pytest.approx(total, rel=1e-13)


def test_darkbeam_reader_rebuilds_vertices(sample, tmp_path):
    events, meta = sample
    back, m = io.read(io.write(events, tmp_path / "ev.lhe", meta))
    assert m["pot"] == meta["pot"]
    for k in ("weight", "p_decay", "channel", "l_in", "vtx_z", "t"):
        assert np.array_equal(ak.to_numpy(back[k]), ak.to_numpy(events[k])), k
    for k in ("pdg", "status", "mother", "px", "E"):
        assert ak.all(back.particles[k] == events.particles[k]), k
    # decay products start at the detector vertex rebuilt from VTIMUP (not stored as such)
    np.testing.assert_allclose(ak.to_numpy(back.particles.z[:, 3]), ak.to_numpy(events.vtx_z), rtol=1e-12)
    np.testing.assert_allclose(ak.to_numpy(back.particles.x[:, 4]), ak.to_numpy(events.vtx_x),
                               rtol=1e-9, atol=1e-10)
