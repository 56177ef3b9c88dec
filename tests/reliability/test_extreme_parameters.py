"""Couplings from 10⁻¹² to 1 and masses from threshold to the kinematic limit: weights stay finite
and ≥ 0, and a clear zero comes out where nothing reaches the detector."""

from __future__ import annotations

import numpy as np
import pytest

import darkbeam

M_E, M_PI0 = 0.51099895e-3, 0.1349768


@pytest.mark.parametrize("eps", [1e-12, 1e-9, 1e-6, 1e-3, 1.0])
@pytest.mark.parametrize("mass", [2 * M_E * (1 + 1e-9), 0.01, M_PI0 * (1 - 1e-6)])
def test_weights_finite_and_non_negative(sbnd_card, eps, mass):
    res = darkbeam.run(sbnd_card, events=20_000, outputs=[], summary=None, progress=False,
                       model__epsilon=eps, model__mass=mass, cuts__energy_min=0.0)
    w = np.asarray(res.events.weight) if len(res.events) else np.empty(0)
    assert np.all(np.isfinite(w)) and np.all(w >= 0)
    assert np.isfinite(res.expected_events) and res.expected_events >= 0
    assert np.isfinite(res.stat_uncertainty)
    for field in ("p_decay", "x_beta_gamma", "t", "delay", "vtx_z"):
        assert np.all(np.isfinite(np.asarray(res.events[field])))


def test_prompt_decays_give_a_clear_zero(sbnd_card):
    # ε = 1, m = 100 MeV: cτ ≈ 3e-13 m, the A′ never reaches SBND 107 m away
    res = darkbeam.run(sbnd_card, events=20_000, outputs=[], summary=None, progress=False,
                       model__epsilon=1.0, model__mass=0.1)
    assert res.expected_events == 0.0 and len(res.events) == 0


def test_stable_below_threshold_is_a_notice(sbnd_card):
    res = darkbeam.run(sbnd_card, events=20_000, outputs=[], summary=None, progress=False,
                       model__mass=0.9e-3)
    assert res.expected_events == 0.0
    assert any("closed" in n for n in res.summary["notices"])
