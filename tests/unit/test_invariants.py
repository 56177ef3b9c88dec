"""Physical invariants of every event of the π⁰ → γA′ → e⁺e⁻ chain."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

import darkbeam

C = 0.299792458  # m/ns


@pytest.fixture(scope="module", params=[3e-7, 1e-5])
def result(request):
    card = __import__("pathlib").Path(__file__).resolve().parents[2] / "cards" / "sbnd_dark_photon.toml"
    return darkbeam.run(card, events=200_000, outputs=[], summary=None, progress=False,
                        model__epsilon=request.param)


def p4(ev, i):
    p = ev.particles[:, i]
    return np.column_stack([ak.to_numpy(p[k]) for k in ("px", "py", "pz", "E")])


def test_four_momentum_and_masses(result):
    ev = result.events
    pi0, gam, x, em, ep = (p4(ev, i) for i in range(5))
    assert np.allclose(gam + x, pi0, atol=1e-9)
    assert np.allclose(em + ep, x, atol=1e-9)
    mass = lambda q: np.sqrt(np.maximum(q[:, 3] ** 2 - (q[:, :3] ** 2).sum(1), 0))
    assert np.allclose(mass(pi0), 0.1349768, atol=1e-7)
    assert np.allclose(mass(x), 0.05, atol=1e-7)
    assert np.allclose(mass(em), 0.51099895e-3, rtol=1e-3)


def test_vertices_inside_detector_and_on_the_line(result):
    ev = result.events
    v = np.column_stack([ak.to_numpy(ev[k]) for k in ("vtx_x", "vtx_y", "vtx_z")])
    assert np.all(np.abs(v - [0.7378, 0, 110.0]) <= [2 + 1e-9, 2 + 1e-9, 2.5 + 1e-9])
    ell = ak.to_numpy(ev.l_in), ak.to_numpy(ev.l_out)
    prod = np.column_stack([ak.to_numpy(ev[k]) for k in ("prod_x", "prod_y", "prod_z")])
    dist = np.linalg.norm(v - prod, axis=1)
    assert np.all((dist >= ell[0] - 1e-9) & (dist <= ell[1] + 1e-9))


def test_times_causal_and_weights(result):
    ev = result.events
    prod = np.column_stack([ak.to_numpy(ev[k]) for k in ("prod_x", "prod_y", "prod_z")])
    v = np.column_stack([ak.to_numpy(ev[k]) for k in ("vtx_x", "vtx_y", "vtx_z")])
    light = np.linalg.norm(v - prod, axis=1) / C
    t, delay = ak.to_numpy(ev.t), ak.to_numpy(ev.delay)
    t_proton = ak.to_numpy(ev.particles[:, 0].t)       # the parent's (= interaction) time
    # causal: the vertex is reached no earlier than light from the interaction point
    assert np.all(delay >= 0)
    assert np.allclose(t, t_proton + light + delay, rtol=0, atol=1e-6)
    # the time of flight to the vertex is L/(βc) for the stored βγ
    beta = ak.to_numpy(ev.x_beta_gamma) / np.hypot(1.0, ak.to_numpy(ev.x_beta_gamma))
    assert np.allclose(t - t_proton, light / beta, rtol=1e-9)
    w = ak.to_numpy(ev.weight)
    assert np.all(np.isfinite(w)) and np.all(w > 0)
    prod_w = (result.summary["pot"] * ev.w_production * ev.p_decay * ev.p_interact * ev.br
              * ev.efficiency)
    assert np.allclose(ak.to_numpy(prod_w), w, rtol=1e-12)
    assert w.sum() == pytest.approx(result.expected_events, rel=1e-12, abs=0)
