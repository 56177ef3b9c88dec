"""ROOT: read with uproot directly; metadata object readable; byte-reproducible."""

from __future__ import annotations

import json

import awkward as ak
import numpy as np
import uproot

from darkbeam import io


def test_uproot_tree_and_metadata(sample, tmp_path):
    events, meta = sample
    path = io.write(events, tmp_path / "ev.root", meta)
    with uproot.open(path) as f:
        m = json.loads(str(f["metadata"]))
        tree = f["events"]
        assert tree.num_entries == len(events)
        arr = tree.arrays(["weight", "channel", "t", "vtx_z", "nparticles", "particles_pdg",
                           "particles_E", "particles_z", "particles_t"], library="ak")
    assert m["card"] == meta["card"] and m["pot"] == meta["pot"] and m["weight_names"] == meta["weight_names"]
    assert m["darkbeam_version"] == meta["darkbeam_version"] and m["model"]["name"] == meta["model"]["name"]
    assert np.array_equal(ak.to_numpy(arr.weight), ak.to_numpy(events.weight))
    assert ak.all(arr.particles_pdg == events.particles.pdg)
    assert ak.all(arr.particles_z == events.particles.z) and ak.all(arr.particles_t == events.particles.t)
    assert ak.all(arr.nparticles == 5)
    e = ak.to_numpy(arr.particles_E)
    np.testing.assert_allclose(e[:, 0], e[:, 1] + e[:, 3] + e[:, 4], rtol=0, atol=1e-10)  # generator rounding


def test_byte_reproducible(sample, tmp_path):
    events, meta = sample
    a = io.write(events, tmp_path / "a" / "ev.root", meta).read_bytes()
    b = io.write(events, tmp_path / "b" / "ev.root", meta).read_bytes()
    assert a == b
