"""L_μ−L_τ: the loop kinetic mixing cannot be replaced silently by a stray ``epsilon``.

Issue 20 (item 6): a card switched to ``preset = "lmu_minus_ltau"`` kept its ``epsilon`` (e.g. a
dark-photon card), which replaced the loop-induced mixing without a word. Now ``epsilon`` is a
CardError naming file, key and value; ``epsilon_override`` replaces the loop value on purpose
and the run reports it in its notices.
"""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from darkbeam.card import load_card
from darkbeam.errors import CardError
from darkbeam.models import from_card, preset
from darkbeam.pipeline import build

ALPHA = 1 / 137.035999084
E = math.sqrt(4 * math.pi * ALPHA)
M_MU, M_TAU = 0.1056583755, 1.77693          # GeV, PDG 2024
CARD = Path(__file__).resolve().parents[3] / "cards" / "seeds" / "ess_lmu_minus_ltau.toml"


def _loop_eps(g: float) -> float:
    # one-loop μ/τ vacuum polarisation at q² = 0: ε = e g ln(m_τ²/m_μ²)/(12π²) ≈ g/70 (by hand)
    return E * g * math.log(M_TAU**2 / M_MU**2) / (12 * math.pi**2)


def test_loop_value_by_hand():
    m = preset("lmu_minus_ltau", 0.02, g=1e-5)
    assert m.epsilon == pytest.approx(_loop_eps(1e-5), rel=1e-5)
    assert m.epsilon == pytest.approx(1.4433e-7, rel=1e-4)
    assert 1e-5 / m.epsilon == pytest.approx(69.3, abs=0.1)


def test_stray_epsilon_is_an_error_naming_key_value_and_the_override():
    with pytest.raises(ValueError) as exc:
        from_card({"preset": "lmu_minus_ltau", "mass": 0.02, "g": 1e-5, "epsilon": 1e-4})
    msg = str(exc.value)
    for word in ("model.epsilon", "0.0001", "loop", "epsilon_override"):
        assert word in msg, (word, msg)
    # the same through a card file: the message names the file
    card = load_card(CARD, ["model.epsilon=1e-4"])
    with pytest.raises(CardError) as exc:
        build(card)
    msg = str(exc.value)
    assert str(CARD) in msg and "[model] epsilon = 0.0001" in msg and "epsilon_override" in msg


def test_epsilon_override_replaces_the_loop_value_with_a_notice():
    m = from_card({"preset": "lmu_minus_ltau", "mass": 0.02, "g": 1e-5, "epsilon_override": 0.0})
    assert m.epsilon == 0.0 and m.coupling("e") == 0.0 and m.coupling("u") == 0.0
    assert m.coupling("mu") == pytest.approx(1e-5 / E)
    assert m.width("e+e-") == 0.0
    plan = build(load_card(CARD, ["model.epsilon_override=0.0"]))
    notes = [n for n in plan.notices if "epsilon_override" in n]
    assert len(notes) == 1 and "loop value 1.4433" in notes[0] and "epsilon_override = 0 " in notes[0]
    # without the override: the loop value, no notice
    plan = build(load_card(CARD))
    assert plan.model.epsilon == pytest.approx(_loop_eps(1e-5), rel=1e-5)
    assert not [n for n in plan.notices if "epsilon_override" in n]
    # Γ(e⁺e⁻) = α m ε²(1 + 2r)β/3 with the loop ε (formulas-detection.md §1.1), by hand
    r = (0.51099895e-3 / 0.02) ** 2
    gamma = ALPHA * 0.02 * _loop_eps(1e-5) ** 2 * (1 + 2 * r) * math.sqrt(1 - 4 * r) / 3
    assert plan.model.width("e+e-") == pytest.approx(gamma, rel=1e-4, abs=0)
