"""Reweighting scattering samples in the couplings: exact where the cross section changes by one
factor (equal to regenerating), refused where SM and mediator amplitudes interfere."""

from __future__ import annotations

import pytest

import darkbeam
from darkbeam.card import card_from_dict
from darkbeam.models import VectorMediator
from darkbeam.models.dark_matter import DarkMatter
from darkbeam.models.presets import b_minus_l
from darkbeam.scan.reweight import ReweightError
from darkbeam.scattering.processes import PROCESSES


def _dm_raw(epsilon: float, alpha_d: float, process: str = "dm_electron") -> dict:
    cuts = {"recoil_min": "75 MeV", "recoil_max": "850 MeV"} if process == "dm_electron" else {}
    return {"run": {"events": 30_000, "seed": 3, "summary": False}, "facility": {"name": "BNB_dump"},
            "model": {"preset": "dark_photon", "mass": "30 MeV", "epsilon": epsilon,
                      "dark_matter": {"kind": "complex_scalar", "mass": "10 MeV", "alpha_d": alpha_d}},
            "production": {"channels": ["pi0_decay_dm"]}, "detector": {"name": "MiniBooNE_dump"},
            "signal": {"kind": "scatter", "process": process}, "cuts": cuts}


def _run(raw):
    # tuning = "long_lived": the same proposal at every coupling (same streams, same events)
    return darkbeam.run(card_from_dict(raw, "scatter"), progress=False, production__tuning="long_lived")


@pytest.mark.parametrize("process, eps, rel", [("dm_electron", 1e-3, 1e-5), ("dm_nucleus", 1e-5, 1e-5)])
def test_dark_matter_scattering_reweights_exactly(process, eps, rel):
    """π⁰ → γA′(→ χχ̄) (∝ ε²) then χ scattering (∝ ε² α_D): reweighting ε → 3ε equals generating
    at 3ε with the same streams, a factor 3² × 3² = 81. To 10⁻⁵, not 10⁻⁹: ε also enters the A′
    width through Γ_ee (Γ_ee/Γ ≈ 1.3·10⁻⁶ at ε = 3·10⁻³), which moves the sampled χχ̄ line shape,
    and p_interact = 1 − e^{−λΔ} is σ-proportional only while λΔ ≪ 1 (coherent χN without a recoil
    threshold reaches λΔ ~ 1 at ε = 3·10⁻³, hence ε = 10⁻⁵ for it)."""
    ref = _run(_dm_raw(eps, 0.5, process))
    other = _run(_dm_raw(3 * eps, 0.5, process))
    assert other.expected_events > 0
    assert ref.reweight(epsilon=3 * eps) == pytest.approx(other.expected_events, rel=rel)
    assert other.expected_events / ref.expected_events == pytest.approx(81.0, rel=rel)


def _model(**x):
    return VectorMediator(0.03, epsilon=1e-3, x=x, dark_matter=DarkMatter("dirac", 0.01, 0.5))


def test_coherent_ratio_needs_the_proton_neutron_proportion_kept():
    proc = PROCESSES["dm_nucleus"]
    ref = _model()
    # ε alone: Q_N = εZ for every nucleus, ratio ε²
    assert proc.coupling_ratio(ref, ref.with_couplings(epsilon=2e-3)) == pytest.approx(4.0, rel=1e-12)
    # adding a u coupling changes c_p : c_n (2c_u + c_d : c_u + 2c_d): no single factor
    assert proc.coupling_ratio(ref, ref.with_couplings(x_u=1e-4)) is None
    # α_D enters linearly
    assert proc.coupling_ratio(ref, ref.with_couplings(alpha_d=0.25)) == pytest.approx(0.5, rel=1e-12)


def test_neutrino_scattering_with_interference_is_refused():
    raw = {"run": {"events": 20_000, "seed": 1, "summary": False}, "facility": {"name": "SNS"},
           "model": {"preset": "b_minus_l", "mass": "10 MeV", "g": 1e-5},
           "production": {"channels": ["pion_dar_numu"]}, "detector": {"name": "COHERENT_CsI"},
           "signal": {"kind": "scatter", "process": "cevns"},
           "cuts": {"recoil_min": "14 keV", "recoil_max": "26 keV"}}
    res = _run(raw)
    with pytest.raises(ReweightError, match="SM–mediator interference"):
        res.reweight(b_minus_l(0.01, 2e-5))


def test_neutrino_scattering_without_mediator_coupling_is_unchanged():
    """A dark photon has c_ν = 0: its ε does not enter CEvNS, whose sample is unchanged."""
    proc = PROCESSES["cevns"]
    ref = _model()
    assert proc.coupling_ratio(ref, ref.with_couplings(epsilon=5e-3)) == 1.0
    assert proc.coupling_ratio(ref, ref.with_couplings(x_nu_mu=1e-5)) is None


def test_scan_of_a_scattering_card_matches_direct_runs():
    """A scan generates a scattering sample at the card's coupling (not at a 'long-lived' one: the
    A′ → χχ̄ width does not depend on ε, and lowering ε to make it long-lived gave 10⁻⁸⁸) and
    reweights it; each point equals a run at that coupling."""
    from darkbeam.scan import scan

    card = card_from_dict(_dm_raw(1e-3, 0.5), "scatter")
    res = scan(card, [0.03], [1e-4, 3e-4], coupling="epsilon", events=30_000, progress=False)
    for eps, value in zip((1e-4, 3e-4), res.expected[0]):
        direct = _run(_dm_raw(eps, 0.5)).expected_events
        assert value == pytest.approx(direct, rel=1e-5)


def test_alp_scattering_reweights_survival_and_cross_section():
    """Primakoff ALPs (∝ g²) scattering by inverse Primakoff in CCM200 (∝ g²) after surviving to
    the vertex (e^{−ℓ/(βγcτ)}, cτ ∝ 1/g²: 32 m at g = 10⁻⁴ GeV⁻¹, 3.5 m at 3·10⁻⁴): reweighting
    g equals generating at the new g with the same streams, where g⁴ alone would be 2–3× high."""
    def raw(g):
        return {"run": {"events": 40_000, "seed": 5, "summary": False}, "facility": {"name": "LANSCE_Lujan"},
                "model": {"type": "alp", "mass": 0.005, "g_agg": g},
                "production": {"channels": ["primakoff"], "cascade_parents": 200},
                "detector": {"name": "CCM200"}, "signal": {"kind": "scatter", "process": "inverse_primakoff"}}
    ref, other = _run(raw(1e-4)), _run(raw(3e-4))
    assert ref.summary["n_events"] > 50
    assert ref.reweight(g_agg=3e-4) == pytest.approx(other.expected_events, rel=1e-7)
    assert other.expected_events < 0.5 * 81 * ref.expected_events      # survival matters here


def test_changing_the_mediator_width_warns():
    """α_D 0.5 → 0.1 narrows the A′ → χχ̄ Breit–Wigner (Γ/m 0.017 → 0.003): the sampled χχ̄ mass
    spectrum is the reference's, so the reweighted count (exact in total BR) differs from a run
    at α_D = 0.1 by the acceptance change (2.6 % here) — a warning says so; ε alone does not."""
    from darkbeam.scan.reweight import ReweightWarning

    ref = _run(_dm_raw(1e-3, 0.5))
    with pytest.warns(ReweightWarning, match="Breit–Wigner"):
        ref.reweight(alpha_d=0.1)
    import warnings
    with warnings.catch_warnings():
        warnings.simplefilter("error", ReweightWarning)
        ref.reweight(epsilon=3e-3)
