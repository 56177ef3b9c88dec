"""Parquet and ROOT writers: round trip, Σ weights, atomic rename, fixed blocks."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

import darkbeam
from darkbeam import io


@pytest.fixture(scope="module")
def events(tmp_path_factory):
    card = __import__("pathlib").Path(__file__).resolve().parents[2] / "cards" / "sbnd_dark_photon.toml"
    res = darkbeam.run(card, events=100_000, outputs=[], summary=None, progress=False,
                       model__epsilon=1e-6)
    return res


@pytest.mark.parametrize("ext", [".parquet", ".root"])
def test_round_trip(events, tmp_path, ext):
    path = events.write(tmp_path / f"ev{ext}")
    back, meta = io.read(path)
    ev = events.events
    assert len(back) == len(ev) > 0
    for field in ("weight", "x_energy", "l_in", "l_out", "vtx_z", "t", "delay", "channel"):
        assert np.array_equal(ak.to_numpy(back[field]), ak.to_numpy(ev[field]))
    for field in ("pdg", "status", "mother", "px", "E", "x", "z", "t"):
        assert ak.all(back.particles[field] == ev.particles[field])
    assert np.isclose(ak.sum(back.weight), events.expected_events, rtol=1e-12, atol=0)
    assert meta["pot"] == events.summary["pot"] and meta["channels"] == ["pi0_decay"]


def test_interrupted_write_leaves_no_file(events, tmp_path):
    path = tmp_path / "ev.parquet"
    with pytest.raises(RuntimeError):
        with io.open_writer(path, {}) as w:
            w.write(events.events)
            raise RuntimeError("killed mid-run")
    assert not path.exists() and list(tmp_path.iterdir()) == []


def test_unknown_format():
    with pytest.raises(ValueError, match="unknown output format"):
        io.format_of("x.txt")
