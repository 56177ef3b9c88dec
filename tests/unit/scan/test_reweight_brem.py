"""Reweighting samples with proton brem, Primakoff, Compton and e⁺e⁻ annihilation equals
regenerating them (same streams)."""

from __future__ import annotations

import pytest

import darkbeam
from darkbeam.card import card_from_dict


def _run(raw, **kw):
    # tuning = "long_lived": the same proposal at every coupling (same streams, same events)
    return darkbeam.run(card_from_dict(raw, "brem"), progress=False, production__tuning="long_lived", **kw)


def test_proton_brem_reweights_exactly():
    raw = {"run": {"events": 40_000, "seed": 5, "summary": False}, "facility": {"name": "U70"},
           "model": {"preset": "dark_photon", "mass": 0.2, "epsilon": 1e-8},
           "production": {"channels": ["proton_brem"]}, "detector": {"name": "NuCal"},
           "signal": {"kind": "decay", "final_state": "e+e-"}}
    ref = _run(raw)
    raw["model"]["epsilon"] = 3e-8
    other = _run(raw)
    assert ref.reweight(epsilon=3e-8) == pytest.approx(other.expected_events, rel=1e-9)


def test_primakoff_reweights_exactly():
    raw = {"run": {"events": 40_000, "seed": 5, "summary": False}, "facility": {"name": "LANSCE_Lujan"},
           "model": {"type": "alp", "mass": 0.005, "g_agg": 1e-6},
           "production": {"channels": ["primakoff"], "cascade_parents": 200},
           "detector": {"name": "CCM200"}, "signal": {"kind": "decay", "final_state": "gammagamma"}}
    ref = _run(raw)
    raw["model"]["g_agg"] = 3e-6
    other = _run(raw)
    if other.expected_events == 0:
        pytest.skip("no ALP reached CCM in this small sample")
    assert ref.reweight(g_agg=3e-6) == pytest.approx(other.expected_events, rel=1e-9)


def test_channel_without_scale_is_refused_clearly():
    from darkbeam.scan.reweight import ReweightError, _production_scale

    class Bare:
        name = "bare"

    with pytest.raises(ReweightError, match="bare cannot be reweighted"):
        _production_scale(Bare(), None)


@pytest.mark.parametrize("channel", ["compton", "annihilation_resonant", "annihilation_gamma"])
def test_electron_target_channels_reweight_exactly(channel):
    """γe → A′e, e⁺e⁻ → A′ and e⁺e⁻ → γA′ at E137: reweighting ε (production ∝ ε², decay length
    ∝ 1/ε²) equals generating at the new ε with the same random streams."""
    raw = {"run": {"events": 10_000, "seed": 11, "summary": False}, "facility": {"name": "SLAC"},
           "model": {"preset": "dark_photon", "mass": 0.05, "epsilon": 1e-7},
           "production": {"channels": [channel], "cascade_parents": 50}, "detector": {"name": "E137"},
           "signal": {"kind": "decay", "final_state": "e+e-"}}
    ref = _run(raw)
    raw["model"]["epsilon"] = 4e-7
    other = _run(raw)
    assert other.expected_events > 0
    assert ref.reweight(epsilon=4e-7) == pytest.approx(other.expected_events, rel=1e-9)
