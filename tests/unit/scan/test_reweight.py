"""Exact coupling reweighting (darkbeam.scan.reweight) against regeneration and closed forms.

The shipped SBND card (π⁰ → γA′ at the BNB, A′ → e⁺e⁻ in SBND) at m = 50 MeV. Proper decay length
of the dark photon, cτ = ħc/Γ with Γ(A′→e⁺e⁻) = αε²m/3·(…) the only open channel: cτ ≈ 1.6·10⁶ m at
ε = 10⁻⁹ and ∝ ε⁻², so (with βγ ≈ 1–40 and SBND at ≈ 110 m):

* long-lived   ε = 10⁻⁸    cτ ≈ 1.6·10⁴ m   (L ≫ 110 m: N ∝ ε⁴)
* intermediate ε = 3·10⁻⁷  cτ ≈ 18 m        (L ~ distance to the detector)
* short-lived  ε = 3·10⁻⁶  cτ ≈ 0.18 m      (L ≪ 110 m: exponential suppression)
"""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import darkbeam
from darkbeam.models import VectorMediator
from darkbeam.production import make_channel
from darkbeam.scan import Reference, ReweightError, reference_coupling, reweight
from darkbeam.scan.reweight import production_ratios

N_EVENTS = 200_000
MASS = 0.05
REGIMES = {"long": 1e-8, "intermediate": 3e-7, "short": 3e-6}


def _run(card, eps, seed=None, events=N_EVENTS, **kw):
    extra = {} if seed is None else {"seed": seed}
    # tuning = "long_lived": the proposal does not depend on ε, so the streams are the same
    return darkbeam.run(card, events=events, model__epsilon=eps, model__mass=MASS, outputs=[],
                        summary=None, progress=False, production__tuning="long_lived", **extra, **kw)


@pytest.fixture(scope="module")
def reference(request):
    """One sample at the long-lived reference coupling the scan would choose (cτ ≥ 10⁸ m)."""
    from pathlib import Path
    card = Path(__file__).resolve().parents[3] / "cards" / "sbnd_dark_photon.toml"
    eps_ref = reference_coupling(VectorMediator.dark_photon(MASS, 3e-7), "epsilon")
    res = _run(card, eps_ref)
    assert res.plan.model.ctau() >= 1e8
    return card, eps_ref, res


def test_reference_is_long_lived_and_populated(reference):
    card, eps_ref, res = reference
    # every crossing A′ is kept: p_decay ≈ Δℓ/L > 0, so no event is lost to an underflow
    assert res.summary["n_events"] > 500
    assert np.all(np.asarray(res.events.p_decay) > 0)
    # cτ ∝ ε⁻² for the dark photon: the reference is below the card's 3e-7 by ≥ √(cτ_min/cτ_card)
    ctau_card = VectorMediator.dark_photon(MASS, 3e-7).ctau()
    assert eps_ref <= 3e-7 * math.sqrt(ctau_card / 1e8)


@pytest.mark.parametrize("regime", list(REGIMES))
def test_reweighted_equals_regenerated_same_streams(reference, regime):
    """Same seed → same kinematics, chords and cuts; only the weights depend on ε. The reweighted
    total must equal the regenerated one to rounding (regeneration at ε computes w_production,
    p_decay, br from scratch through the production channel and the decay signal)."""
    card, _, ref = reference
    eps = REGIMES[regime]
    new = _run(card, eps)
    value, sigma = reweight(ref, epsilon=eps, with_uncertainty=True)
    assert new.expected_events > 0
    assert value == pytest.approx(new.expected_events, rel=1e-9)
    assert sigma == pytest.approx(new.stat_uncertainty, rel=1e-6)


@pytest.mark.parametrize("regime", list(REGIMES))
def test_reweighted_agrees_with_independent_regeneration(reference, regime):
    """An independent sample (another seed) at ε agrees with the reweighted one within errors."""
    card, _, ref = reference
    eps = REGIMES[regime]
    new = _run(card, eps, seed=99)
    value, sigma = reweight(ref, epsilon=eps, with_uncertainty=True)
    pull = (value - new.expected_events) / math.hypot(sigma, new.stat_uncertainty)
    assert abs(pull) < 3.5, (value, new.expected_events, sigma, new.stat_uncertainty)


def test_long_lived_limit_scales_as_epsilon_to_the_fourth(reference):
    """For L ≫ ℓ_out: production ∝ ε² (BR(π⁰→γA′) = 2ε²(1−m²/m_π²)³BR(γγ)) and
    P_decay ≈ Δℓ/L ∝ 1/cτ ∝ ε², so N(2ε)/N(ε) = 2⁴ = 16 (corrections ~ℓ/L < 10⁻⁴ here)."""
    _, eps_ref, ref = reference
    a = reweight(ref, epsilon=eps_ref)
    b = reweight(ref, epsilon=2 * eps_ref)
    assert b / a == pytest.approx(16.0, rel=1e-3)
    assert a == pytest.approx(ref.expected_events, rel=1e-12, abs=0)   # identity at the reference


def test_production_ratio_is_exact_for_general_couplings():
    """π⁰: F = 2c_u + c_d; η: F = ¾(2c_u − c_d + c_s) (arXiv:1801.04847 Eqs. 2.7–2.10).
    Dark photon ε = 10⁻⁹: c_u = ⅔ε, c_d = c_s = −⅓ε → F_π = ε, F_η = ¾(4/3 + 1/3 − 1/3)ε = ε.
    New: ε = 0, x_u = 2·10⁻⁹, x_d = −10⁻⁹, x_s = 0 → F_π = 4 − 1 = 3 (×10⁻⁹) → ratio 9;
    F_η = ¾(4 + 1 + 0) = 3.75 (×10⁻⁹) → ratio 14.0625."""
    ref_model = VectorMediator.dark_photon(0.05, 1e-9)
    new = VectorMediator(0.05, epsilon=0.0, x={"u": 2e-9, "d": -1e-9, "e": -1e-9})
    # chiral-limit factors (no vector-meson Breit–Wigners), the closed form of the docstring
    ref = Reference(ref_model, [make_channel("pi0_decay", bw="none"), make_channel("eta_decay", bw="none")],
                    None, 1.0, 1)
    assert production_ratios(ref, new) == pytest.approx([9.0, 14.0625], rel=1e-12)


def test_general_model_matches_regeneration(reference, write_card):
    """Reweighting the dark-photon sample to a vector with direct u, d, e couplings (other
    lifetime, BR and production) equals a regeneration of that model with the same streams."""
    card, _, ref = reference
    text = card.read_text()
    text = text.replace('preset = "dark_photon"\nmass = "50 MeV"\nepsilon = 3e-7',
                        'type = "vector"\nmass = 0.05\nepsilon = 0.0\n'
                        'couplings = { u = 2e-7, d = -1e-7, e = -3e-7 }')
    assert 'type = "vector"' in text
    other = darkbeam.run(write_card(text), events=N_EVENTS, outputs=[], summary=None, progress=False,
                         production__tuning="long_lived")
    model = other.plan.model
    assert model.meson_factor("pi0") == pytest.approx(3e-7)
    assert reweight(ref, model) == pytest.approx(other.expected_events, rel=1e-9)


def test_reweight_a_file_written_earlier(reference, tmp_path):
    """The same numbers from the Parquet file (metadata: card, POT, model, channels)."""
    _, _, ref = reference
    path = ref.write(tmp_path / "ref.parquet")
    for eps in REGIMES.values():
        expect = reweight(ref, epsilon=eps)
        assert reweight(path, epsilon=eps) == pytest.approx(expect, rel=1e-12)
        assert reweight(darkbeam.io.read(path), epsilon=eps, by_channel=True)["pi0_decay"] == \
            pytest.approx(expect, rel=1e-12)


def test_zero_reference_production_cannot_be_reweighted():
    # F_π = 2c_u + c_d = 2·10⁻⁹ − 2·10⁻⁹ = 0: no π⁰ → γX at the reference
    ref_model = VectorMediator(0.05, x={"u": 1e-9, "d": -2e-9, "e": 1e-9})
    ref = Reference(ref_model, [make_channel("pi0_decay", bw="none")], None, 1.0, 1)  # chiral limit
    with pytest.raises(ReweightError, match="produces no X"):
        production_ratios(ref, VectorMediator.dark_photon(0.05, 1e-6))


def test_mass_change_and_missing_events_are_refused(reference):
    card, _, ref = reference
    with pytest.raises(ReweightError, match="not the mass"):
        reweight(ref, VectorMediator.dark_photon(0.06, 1e-6))
    bare = _run(card, 1e-6, events=20_000, keep_events=False)
    with pytest.raises(ReweightError, match="keep_events=False"):
        reweight(bare, epsilon=1e-7)


@settings(max_examples=40, deadline=None)
@given(log_eps=st.lists(st.floats(-13.0, -1.0), min_size=1, max_size=8))
def test_reweighted_weights_are_finite_and_non_negative(reference, log_eps):
    """Any coupling grid, from hopelessly long-lived to prompt: Σw and Σw² finite and ≥ 0, and
    Σw² ≤ (Σw)² (all weights ≥ 0)."""
    _, _, ref = reference
    from darkbeam.scan.reweight import COLUMNS, expected_grid
    cols = {c: np.asarray(ref.events[c]) for c in COLUMNS}
    models = [VectorMediator.dark_photon(MASS, 10.0 ** x) for x in log_eps]
    sums, sums2 = expected_grid(cols, Reference.from_plan(ref.plan), models)
    assert np.all(np.isfinite(sums)) and np.all(sums >= 0)
    assert np.all(np.isfinite(sums2)) and np.all(sums2 >= 0)
    assert np.all(sums2 <= sums ** 2 * (1 + 1e-12) + 1e-300)


def test_scattering_signal_scales_p_interact_and_keeps_p_decay():
    """A signal that is not a decay (``reweights_decay = False``) with σ ∝ ε² (e.g. χe scattering
    through a dark photon, σ ∝ ε²α_D): w ∝ ε² (production) × ε² (p_interact = nσℓ), the stored
    p_decay and br untouched. Two events by hand, POT = 10:
    w = 10·(2·10⁻³·0.5·1·0.8·0.1 + 10⁻³·1·0.5·1·0.2) = 10·(8·10⁻⁵ + 10⁻⁴) = 1.8·10⁻³ at ε_ref,
    ×(ε/ε_ref)⁴ = 3⁴ = 81 at ε = 3ε_ref → 0.1458."""
    class Scatter:
        reweights_decay = False

        @staticmethod
        def interaction_scale(model):
            return model.epsilon ** 2

    cols = {"w_production": np.array([2e-3, 1e-3]), "p_decay": np.array([0.5, 1.0]),
            "br": np.array([1.0, 0.5]), "efficiency": np.array([0.8, 1.0]),
            "p_interact": np.array([0.1, 0.2]), "channel": np.array([0, 0]),
            "x_beta_gamma": np.array([3.0, 10.0]), "l_in": np.array([100.0, 100.0]),
            "l_out": np.array([105.0, 105.0])}
    ref_model = VectorMediator.dark_photon(0.05, 1e-6)
    ref = Reference(ref_model, [make_channel("pi0_decay")], Scatter(), 10.0, 1000)
    from darkbeam.scan.reweight import expected_grid
    sums, _ = expected_grid(cols, ref, [ref_model, ref_model.with_couplings(epsilon=3e-6)])
    assert sums[:, 0] == pytest.approx([1.8e-3, 0.1458], rel=1e-12)


def test_vertex_method_is_the_identity_at_the_reference_and_agrees_with_chord(reference):
    _, eps_ref, ref = reference
    assert reweight(ref, epsilon=eps_ref, method="vertex") == pytest.approx(ref.expected_events,
                                                                            rel=1e-12, abs=0)
    for eps in (REGIMES["long"], REGIMES["intermediate"]):
        chord = reweight(ref, epsilon=eps)
        vertex, sigma = reweight(ref, epsilon=eps, method="vertex", with_uncertainty=True)
        assert abs(vertex - chord) < 3.5 * sigma


@pytest.mark.parametrize("eps", [3e-7, 1e-6])
def test_vertex_method_keeps_a_cut_on_the_decay_point(reference, eps):
    """A fiducial cut on the decay vertex (first half of SBND, z < 110 m) is not a function of the
    chord: the vertex method, applied to the reference's stored decay points, must agree with a
    regeneration at ε cut the same way (within the statistical errors of both)."""
    from darkbeam.scan.reweight import columns_of, expected_grid
    card, _, ref = reference
    new = _run(card, eps, seed=7)
    w = np.asarray(new.events.weight)[np.asarray(new.events.vtx_z) < 110.0]
    regen, regen_err = w.sum(), math.sqrt(np.sum(w ** 2))
    ev = ref.events[np.asarray(ref.events.vtx_z) < 110.0]
    sums, sums2 = expected_grid(columns_of(ev), Reference.from_plan(ref.plan),
                                [ref.plan.model.with_couplings(epsilon=eps)], "vertex")
    value, err = sums.sum(), math.sqrt(sums2.sum())
    assert 0.2 < regen / new.expected_events < 0.9          # the cut does cut
    assert abs(value - regen) < 3.5 * math.hypot(err, regen_err), (value, err, regen, regen_err)


def test_vertex_weights_reproduce_a_partial_chord_closed_form():
    """One chord ℓ ∈ [100, 105] m, βγ = 1; decay points drawn at a long-lived reference
    (cτ_ref = 10⁸ m, nearly uniform) exactly as the generator draws them. Reweighted to cτ = 2 m with
    a cut ℓ < 101 m, the mean vertex weight must be the closed form
    e^{−100/2} − e^{−101/2} = e^{−50}(1 − e^{−0.5}) = e^{−50} · 0.393469;
    the chord formula would give the fraction kept (≈ 0.2) × e^{−50}(1 − e^{−2.5}) ≈ 0.184 e^{−50}."""
    from darkbeam.sampling import probability_in_segment, truncated_exponential
    from darkbeam.scan.reweight import decay_factor
    rng = np.random.default_rng(11)
    n = 200_000
    l_in, l_out = np.full(n, 100.0), np.full(n, 105.0)
    ell = truncated_exponential(rng.random(n), l_in, l_out, np.full(n, 1e8))
    cols = {"x_beta_gamma": np.ones(n), "l_in": l_in, "l_out": l_out, "ell": ell,
            "p_decay": probability_in_segment(l_in, l_out, np.full(n, 1e8))}
    f = decay_factor(cols, 1e8, np.array([2.0]), "vertex")[0] * (ell < 101.0)
    mean, err = f.mean(), f.std() / math.sqrt(n)
    expect = math.exp(-50.0) * (1.0 - math.exp(-0.5))
    assert abs(mean - expect) < 4 * err and err < 0.01 * expect
    chord = decay_factor(cols, 1e8, np.array([2.0]), "chord")[0] * (ell < 101.0)
    assert chord.mean() < 0.6 * expect          # the chord formula cannot keep such a cut


def test_short_lived_reference_warns_when_reweighted_to_longer_lifetimes(reference):
    """ε = 10⁻⁵: cτ ≈ 1.6 cm, ℓ_in/L ≈ 110/(0.016 βγ) ≈ 6900/βγ — only βγ ≳ 9 survive the
    underflow at ℓ_in/L ≈ 745, so reweighting to ε = 3·10⁻⁷ (longer-lived) misses X and warns."""
    from darkbeam.scan import ReweightWarning
    card, _, _ = reference
    short = _run(card, 1e-5, events=100_000)
    assert short.summary["n_events"] > 0
    with pytest.warns(ReweightWarning, match="short-lived"):
        reweight(short, epsilon=3e-7)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        reweight(short, epsilon=3e-5)           # shorter-lived: nothing is missed


def test_chord_formula_by_channel_by_hand():
    """Two events, one per channel (π⁰, η), reweighted from ε = 10⁻⁹ to 10⁻⁷ at m = 50 MeV.
    Production: F_π = F_η = ε for the dark photon → both ratios (10⁻⁷/10⁻⁹)² = 10⁴.
    Decay: Γ(A′→e⁺e⁻) = (α ε² m/3)(1 + 2r)√(1 − 4r), r = m_e²/m² (arXiv:1801.04847 Eq. 2.13), the
    only open channel at 50 MeV (BR = 1); cτ = ħc/Γ; L = βγ cτ; P = e^{−ℓ_in/L} − e^{−ℓ_out/L}."""
    from darkbeam.decays import DecaySignal
    from darkbeam.scan.reweight import expected_grid
    # CODATA 2022: α⁻¹ = 137.035999177, ħc = 197.3269804593 MeV fm (exact); PDG m_e = 0.51099895 MeV
    alpha, hbarc, m_e, m, eps = 1 / 137.035999177, 1.973269804593e-16, 0.51099895e-3, 0.05, 1e-7
    r = m_e ** 2 / m ** 2
    ctau = hbarc / (alpha * eps ** 2 * m / 3 * (1 + 2 * r) * math.sqrt(1 - 4 * r))
    cols = {"w_production": np.array([1e-3, 2e-3]), "p_decay": np.array([0.1, 0.1]),
            "br": np.ones(2), "efficiency": np.ones(2), "p_interact": np.ones(2),
            "channel": np.array([0, 1]), "x_beta_gamma": np.array([10.0, 4.0]),
            "l_in": np.array([100.0, 50.0]), "l_out": np.array([105.0, 52.0])}
    ref = Reference(VectorMediator.dark_photon(m, 1e-9),
                    [make_channel("pi0_decay"), make_channel("eta_decay")], DecaySignal("e+e-"), 2.0, 10)
    sums, sums2 = expected_grid(cols, ref, [VectorMediator.dark_photon(m, eps)])
    p0 = math.exp(-100 / (10 * ctau)) - math.exp(-105 / (10 * ctau))
    p1 = math.exp(-50 / (4 * ctau)) - math.exp(-52 / (4 * ctau))
    expect = [2.0 * 1e-3 * 1e4 * p0, 2.0 * 2e-3 * 1e4 * p1]
    assert sums[0] == pytest.approx(expect, rel=1e-9)
    assert sums2[0] == pytest.approx(np.square(expect), rel=1e-9)
