"""The delays the generator writes (generator/decays/in_flight.py) against the analytic value,
for a heavy (slow) dark photon at SBND."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

import darkbeam

C = 0.299792458      # m/ns


@pytest.fixture(scope="module")
def heavy_events(request):
    root = request.config.rootpath
    res = darkbeam.run(str(root / "cards" / "sbnd_dark_photon.toml"), events=100_000, outputs=[],
                       summary=None, progress=False, model__mass=0.13, model__epsilon=1e-6)
    return res.events


def _flight(ev):
    prod = np.stack([ak.to_numpy(ev[f"prod_{c}"]) for c in "xyz"], axis=1)
    vtx = np.stack([ak.to_numpy(ev[f"vtx_{c}"]) for c in "xyz"], axis=1)
    L = np.linalg.norm(vtx - prod, axis=1)
    E, m = ak.to_numpy(ev.x_energy), ak.to_numpy(ev.x_mass)
    beta = np.sqrt(E * E - m * m) / E
    return L, beta


def test_delay_matches_l_over_beta_c_minus_l_over_c(heavy_events):
    ev = heavy_events
    assert len(ev) > 100
    L, beta = _flight(ev)
    # π⁰ decays promptly at the proton's interaction point, so X flies straight from it:
    # delay = L/(βc) − L/c, computed here independently from the stored x_energy, x_mass, vertices
    expected = L / (beta * C) - L / C
    np.testing.assert_allclose(ak.to_numpy(ev.delay), expected, rtol=1e-9, atol=1e-9)
    # a heavy A′ (130 MeV from a 135 MeV π⁰) is slow: delays from tenths of ns up to hundreds of ns at 110 m
    assert np.median(expected) > 0.1 and expected.max() > 100.0


def test_time_is_the_parent_time_plus_the_flight_time(heavy_events):
    """t = t(proton/parent) + L/(βc); the parent's time is the first particle's t (so this holds
    whatever pulse time the run adds to the parents)."""
    ev = heavy_events
    L, beta = _flight(ev)
    t_parent = ak.to_numpy(ev.particles.t[:, 0])
    np.testing.assert_allclose(ak.to_numpy(ev.t), t_parent + L / (beta * C), rtol=1e-12, atol=1e-9)
    # the decay products carry the vertex time
    np.testing.assert_allclose(ak.to_numpy(ev.particles.t[:, -1]), ak.to_numpy(ev.t), rtol=0, atol=0)
