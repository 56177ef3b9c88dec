"""from_card: models from a card [model] block, and the error messages for bad input."""

import math

import pytest

from darkbeam.models import ALP, DarkScalar, VectorMediator, from_card

E = math.sqrt(4 * math.pi / 137.035999084)


def test_preset_with_units_and_dark_matter():
    m = from_card({"preset": "dark_photon", "mass": "50 MeV", "epsilon": 1e-4,
                   "dark_matter": {"kind": "dirac", "mass": "10 MeV", "alpha_d": 0.5}, "require_invisible": True})
    assert isinstance(m, VectorMediator)
    assert m.mass == pytest.approx(0.05)
    assert m.coupling("e") == pytest.approx(-1e-4)
    assert m.dark_matter.mass == pytest.approx(0.01)
    assert m.width("chichibar") > 0


def test_explicit_couplings_and_other_types():
    m = from_card({"type": "vector", "mass": 0.1, "couplings": {"u": 1e-4, "e": -2e-4}, "axial": {"mu": 1e-5}})
    assert m.coupling("u") == 1e-4 and m.coupling("c") == 1e-4 and m.coupling("e") == -2e-4
    assert m.axial_coupling("mu") == 1e-5
    assert isinstance(from_card({"type": "alp", "mass": 0.01, "g_agg": 1e-5}), ALP)
    assert isinstance(from_card({"type": "scalar", "mass": 0.2, "sin_theta": 1e-4}), DarkScalar)
    # tree-level charges (running = false): the default runs φ from m_e to m_X (seed001 App. B),
    # which moves x_u at the B−L angle by 2 % at 0.2 GeV (tests/unit/models/test_running.py)
    cp = from_card({"preset": "chargephobic", "mass": 0.2, "g": E, "phi": "b_minus_l", "running": False})
    assert cp.coupling("u") == pytest.approx(1 / 3)
    t = from_card({"preset": "t3r", "mass": 0.03, "vev": "10 GeV"})
    assert t.x["u"] * 2 * E == pytest.approx(2.12e-3, rel=3e-3)


@pytest.mark.parametrize("spec, words", [
    ({"preset": "dark_photon", "mass": -0.1, "epsilon": 1e-4}, ["model.mass", "-0.1", "positive"]),
    ({"preset": "dark_photon", "mass": "abc", "epsilon": 1e-4}, ["model.mass", "'abc'"]),
    ({"preset": "dark_photon", "mass": 0.1, "epsilon": float("nan")}, ["model.epsilon", "nan", "finite"]),
    ({"preset": "dark_phot", "mass": 0.1}, ["model.preset", "'dark_phot'", "dark_photon"]),
    ({"preset": "dark_photon", "mass": 0.1}, ["model.epsilon", "None"]),
    ({"preset": "dark_photon", "mass": 0.1, "epsilon": 1e-3, "g": 1.0}, ["model.g", "epsilon"]),
    ({"type": "vector", "mass": 0.1, "couplings": {"top": 1.0}}, ["model.couplings.top", "fermion"]),
    ({"type": "vector", "mass": 0.1, "couplings": {"u": float("inf")}}, ["model.couplings.u", "inf"]),
    ({"type": "axion", "mass": 0.1}, ["model.type", "'axion'", "vector"]),
    ({"type": "scalar", "mass": 0.1, "sin_theta": 2.0}, ["model.sin_theta", "2.0", "[-1, 1]"]),
    ({"preset": "dark_photon", "mass": 0.03, "epsilon": 1e-3,
      "dark_matter": {"kind": "dirac", "mass": 0.02, "alpha_d": 0.5}, "require_invisible": True},
     ["model.dark_matter.mass", "0.02", "mediator mass"]),
    ({"preset": "dark_photon", "mass": 0.03, "epsilon": 1e-3,
      "dark_matter": {"kind": "wimp", "mass": 0.01, "alpha_d": 0.5}}, ["model.dark_matter.kind", "'wimp'"]),
    ({"preset": "dark_photon", "mass": 0.03, "epsilon": 1e-3, "require_invisible": True},
     ["model.require_invisible", "dark_matter"]),
])
def test_errors_name_key_value_and_expectation(spec, words):
    with pytest.raises(ValueError) as exc:
        from_card(spec)
    msg = str(exc.value)
    for w in words:
        assert w in msg, (w, msg)


def test_direct_constructor_errors():
    with pytest.raises(ValueError, match="positive"):
        VectorMediator(-1.0)
    with pytest.raises(ValueError, match="x_u"):
        VectorMediator(0.1, x={"u": float("nan")})
    with pytest.raises(ValueError, match="unknown decay channel"):
        VectorMediator(0.1, epsilon=1e-3).width("chichibar")
    with pytest.raises(ValueError, match="sin_theta"):
        DarkScalar(0.1, sin_theta=float("nan"))
    with pytest.raises(ValueError, match="g_agg"):
        ALP(0.1, g_agg=float("inf"))
