"""X → χχ̄ after vector mixing and proton brem (``*_dm`` channels, generator/production/mediator_dm.py)."""

from __future__ import annotations

import math

import numpy as np
import pytest
from darkbeam.models import DarkMatter, VectorMediator
from darkbeam.production import make_channel
from darkbeam.production.aiming import Aim

from .conftest import beam, invariant_mass

M_OMEGA = 0.78266


def baryonic(m_x, g=1e-3, m_chi=0.1, alpha_d=0.5, kind="dirac"):
    x = {q: g / (3 * math.sqrt(4 * math.pi / 137.035999)) for q in ("u", "d", "s", "c", "b")}
    return VectorMediator(m_x, x=x, dark_matter=DarkMatter(kind, m_chi, alpha_d), name="baryonic")


def br_chichi(model):
    """Γ(X → χχ̄)/Γ_X with the Dirac width α_D m/3 (1 + 2r)√(1 − 4r) written out here (§1.7)."""
    dm = model.dark_matter
    r = (dm.mass / model.mass) ** 2
    g_chi = dm.alpha_d * model.mass / 3 * (1 + 2 * r) * math.sqrt(1 - 4 * r)
    visible = model.total_width() - model.width("chichibar")
    return g_chi / (g_chi + visible)


def test_two_rows_per_x_with_the_branching_ratio():
    model = baryonic(0.5)
    inner, ch = make_channel("omega_mixing"), make_channel("omega_mixing_dm")
    par = beam(223, M_OMEGA, 3.0, 2000, weight=0.02)
    x = inner.produce(par, model, np.random.default_rng(1))
    chi = ch.produce(par, model, np.random.default_rng(1))
    assert len(chi) == 2 * len(x)
    assert np.sum(chi.weight) == pytest.approx(2 * np.sum(x.weight) * br_chichi(model), rel=1e-12, abs=0)
    assert ch.branching_ratio(model) == pytest.approx(inner.branching_ratio(model) * br_chichi(model), rel=1e-12)
    assert set(np.unique(chi.pdgs)) == {52, -52}
    assert np.array_equal(chi.samples, np.concatenate([np.arange(2000), np.arange(2000)]))


def test_four_momentum_and_rest_frame_momentum():
    model = baryonic(0.5)
    ch = make_channel("omega_mixing_dm")
    chi = ch.produce(beam(223, M_OMEGA, 3.0, 500), model, np.random.default_rng(2))
    (pdg_o, other), = chi.siblings
    total = chi.p4 + other
    # the X carries the virtual ω's four-momentum (parent_p4): χ + χ̄ = X
    assert np.allclose(total, chi.parent_p4, rtol=1e-12, atol=1e-12)
    assert np.allclose(invariant_mass(total), 0.5, rtol=1e-9, atol=0)
    assert np.allclose(invariant_mass(chi.p4), 0.1, rtol=1e-7, atol=0)
    # χ momentum in the X rest frame: √(m_X²/4 − m_χ²)
    beta = total[:, :3] / total[:, 3:4]
    g = total[:, 3] / 0.5
    bp = np.sum(beta * chi.p4[:, :3], axis=1)
    e_star = g * (chi.p4[:, 3] - bp)
    assert np.allclose(e_star, 0.25, rtol=1e-9, atol=0)
    assert np.all(pdg_o == -chi.pdgs)


def test_plain_decay_is_isotropic_in_the_x_frame():
    model = baryonic(0.5)
    ch = make_channel("omega_mixing_dm")
    chi = ch.produce(beam(223, M_OMEGA, 3.0, 40000), model, np.random.default_rng(3))
    x = chi.p4 + chi.siblings[0][1]
    # rest-frame cosθ* of the χ to the X direction: uniform → mean 0, mean cos² 1/3
    bx = np.linalg.norm(x[:, :3], axis=1) / x[:, 3]
    gx = x[:, 3] / 0.5
    pl = np.sum(chi.p4[:, :3] * x[:, :3], axis=1) / np.linalg.norm(x[:, :3], axis=1)
    pl_star = gx * (pl - bx * chi.p4[:, 3])
    c = pl_star / math.sqrt(0.25**2 - 0.1**2)
    assert abs(c.mean()) < 4 / math.sqrt(3 * 40000)
    assert np.mean(c * c) == pytest.approx(1 / 3, abs=4 * math.sqrt(4 / 45 / 40000))


def test_displaced_decay_follows_the_exponential():
    """A tiny α_D and coupling make the X long-lived: the χ vertex lies ℓ ~ Exp(βγcτ) along X."""
    model = baryonic(0.5, g=1e-9, alpha_d=1e-12)
    ch = make_channel("omega_mixing_dm")
    chi = ch.produce(beam(223, M_OMEGA, 3.0, 20000), model, np.random.default_rng(4))
    x = chi.p4 + chi.siblings[0][1]
    p = np.linalg.norm(x[:, :3], axis=1)
    length = p / 0.5 * model.ctau()
    ell = np.linalg.norm(chi.vertex, axis=1)
    assert np.mean(ell / length) == pytest.approx(1.0, abs=4 / math.sqrt(40000))
    # time: ℓ/(βc), c = 0.299792458 m/ns
    assert np.allclose(chi.t, ell / (p / x[:, 3] * 0.299792458), rtol=1e-9, atol=0)


def test_aimed_equals_plain_toward_a_detector():
    """Σw of χ hitting a sphere 100 m away, 3 m off axis: aimed and plain sampling agree."""
    model = baryonic(0.5)
    par = beam(223, M_OMEGA, 3.0, 200000)
    centre, radius = np.array([3.0, 0.0, 100.0]), 2.0

    def hits(chi):
        d = chi.p4[:, :3] / np.linalg.norm(chi.p4[:, :3], axis=1)[:, None]
        rel = centre - chi.vertex
        along = np.sum(rel * d, axis=1)
        miss2 = np.sum(rel * rel, axis=1) - along**2
        return (along > 0) & (miss2 < radius**2)

    plain = make_channel("omega_mixing_dm").produce(par, model, np.random.default_rng(5))
    aimed = make_channel("omega_mixing_dm").aimed_at(Aim(centre, radius, 0.5)).produce(
        par, model, np.random.default_rng(6))
    w_p, w_a = plain.weight * hits(plain), aimed.weight * hits(aimed)
    err = math.hypot(math.sqrt(np.sum(w_p**2)), math.sqrt(np.sum(w_a**2)))
    assert abs(w_p.sum() - w_a.sum()) < 4 * err
    assert np.sum(w_a > 0) > 20 * np.sum(w_p > 0)       # the point of aiming


def test_closed_below_the_pair_threshold():
    model = baryonic(0.15, m_chi=0.1)
    ch = make_channel("omega_mixing_dm")
    assert "2m_χ" in ch.closed_reason(model)
    with pytest.warns(UserWarning, match="off-shell"):
        assert len(ch.produce(beam(223, M_OMEGA, 3.0, 10), model, np.random.default_rng(0))) == 0


def test_proton_brem_dm_keeps_the_recoil_sibling():
    model = baryonic(0.3, m_chi=0.05)
    inner, ch = make_channel("proton_brem"), make_channel("proton_brem_dm")
    par = beam(2212, 0.93827, 8.9, 3000)
    x = inner.produce(par, model, np.random.default_rng(7))
    chi = ch.produce(par, model, np.random.default_rng(7))
    assert np.sum(chi.weight) == pytest.approx(2 * np.sum(x.weight) * br_chichi(model), rel=1e-10, abs=0)
    assert len(chi.siblings) == 1 + len(x.siblings)
    assert ch.production_scale(model) == pytest.approx(inner.production_scale(model) * br_chichi(model), rel=1e-12)


def test_leptophobic_card_runs_and_the_visible_channel_hint():
    """cards/miniboone_leptophobic.toml gives a non-zero count in every channel; asking dm_nucleon of
    the plain omega_mixing names the *_dm channel."""
    from pathlib import Path

    import darkbeam
    from darkbeam.errors import CardError

    card = Path(__file__).resolve().parents[3] / "cards" / "miniboone_leptophobic.toml"
    with pytest.warns(UserWarning):
        res = darkbeam.run(str(card), events=20000, outputs=[], summary=None, progress=False)
    by = res.summary["expected_events_by_channel"]
    assert set(by) == {"eta_decay_dm", "omega_mixing_dm", "proton_brem_dm"} and min(by.values()) > 0
    with pytest.raises(CardError, match="omega_mixing_dm"):
        darkbeam.run(str(card), events=100, outputs=[], summary=None, progress=False,
                     production__channels=["omega_mixing"])
