"""Coupling presets against the seed papers' tables (units: coupling(f)·e/g = x_f)."""

import math

import pytest

from darkbeam.models import SPECIAL_ANGLES, list_presets, preset

ALPHA = 1 / 137.035999084
E = math.sqrt(4 * math.pi * ALPHA)

# seed001 §1.3 [DERIVED] table: φ → (x_e, x_ν, x_u, x_d, x_p, x_n, x_π⁺), x_f = Q_f cos φ + (B−L)_f sin φ
CHARGEPHOBIC_TABLE = {
    "dark_photon": (-1, 0, 0.6667, -0.3333, 1, 0, 1),
    "phi_phobic": (-1.4142, -0.7071, 0.7071, 0, 1.4142, 0.7071, 0.7071),
    "b_minus_l": (-1, -1, 0.3333, 0.3333, 1, 1, 0),
    "u_phobic": (-0.4472, -0.8944, 0, 0.4472, 0.4472, 0.8944, -0.4472),
    "chargephobic": (0, -0.7071, -0.2357, 0.4714, 0, 0.7071, -0.7071),
    "omega_phobic": (0.4472, -0.4472, -0.4472, 0.4472, -0.4472, 0.4472, -0.8944),
    "nucleophobic_cs": (0.5420, -0.3821, -0.4887, 0.4354, -0.5420, 0.3821, -0.9241),
}


@pytest.mark.parametrize("angle", sorted(CHARGEPHOBIC_TABLE))
def test_chargephobic_coupling_table(angle):
    g = 1e-5
    # the table lists the tree-level charges of Eq. (11): running = False (the default runs φ from
    # m_e to m_X, seed001 App. B; tests/unit/models/test_running.py)
    model = preset("chargephobic", 0.2, g=g, phi=angle, running=False)
    got = [model.coupling(f) * E / g for f in ("e", "nu_mu", "u", "d", "p", "n")]
    got.append((model.coupling("u") - model.coupling("d")) * E / g)  # x_π⁺ = x_u − x_d
    assert got == pytest.approx(CHARGEPHOBIC_TABLE[angle], abs=1e-4)
    # flavour universality (seed001 §1.1): μ, τ like e; s like d; all ν alike
    assert model.coupling("mu") == pytest.approx(model.coupling("e"), abs=0)
    assert model.coupling("s") == pytest.approx(model.coupling("d"), abs=0)
    assert model.coupling("nu_e") == pytest.approx(model.coupling("nu_tau"))


def test_chargephobic_eq18_exact():
    # seed001 Eq. (18): x_u = −1/(3√2), x_d = √2/3, x_p = 0, x_n = 1/√2, x_e = 0, x_ν = −1/√2
    m = preset("chargephobic", 0.2, g=E, running=False)  # g = e: coupling() is x_f directly (tree level)
    assert m.coupling("u") == pytest.approx(-1 / (3 * math.sqrt(2)), abs=1e-8)
    assert m.coupling("d") == pytest.approx(math.sqrt(2) / 3, abs=1e-8)
    assert m.coupling("p") == pytest.approx(0.0, abs=1e-8)
    assert m.coupling("n") == pytest.approx(1 / math.sqrt(2), abs=1e-8)
    assert m.coupling("e") == pytest.approx(0.0, abs=1e-8)
    assert m.coupling("nu_e") == pytest.approx(-1 / math.sqrt(2), abs=1e-8)
    assert SPECIAL_ANGLES["chargephobic"] == pytest.approx(3 * math.pi / 4)


def test_nuclear_charges_nucleophobic_and_b_minus_l():
    # seed001 §1.2: nucleophobic(Cs) charges {Cs, I, Ge, Ar} = {0, −0.445, −2.06, −1.35}; B−L: A
    nuclei = {"Cs": (55, 78), "I": (53, 74), "Ge": (32, 40), "Ar": (18, 22)}
    nph = preset("chargephobic", 0.2, g=E, phi="nucleophobic_cs", running=False)  # tree-level charges
    got = {k: nph.nuclear_charge(z, n) for k, (z, n) in nuclei.items()}
    assert got["Cs"] == pytest.approx(0.0, abs=1e-10)
    assert got["I"] == pytest.approx(-0.445, abs=0.005)
    assert got["Ge"] == pytest.approx(-2.06, abs=0.01)
    assert got["Ar"] == pytest.approx(-1.35, abs=0.01)
    bl = preset("b_minus_l", 0.2, g=E)
    for z, n in nuclei.values():
        assert bl.nuclear_charge(z, n) == pytest.approx(z + n, rel=1e-8)
    dp = preset("dark_photon", 0.2, epsilon=1e-3)
    assert dp.nuclear_charge(18, 22) == pytest.approx(18e-3, rel=1e-12)  # ε Z (formulas-detection.md §0.1)


@pytest.mark.parametrize("m_mev, g, eps", [(1, 7.07e-5, 5.42e-7), (30, 2.12e-3, 1.63e-5), (140, 9.90e-3, 7.59e-5)])
def test_t3r_couplings_table(m_mev, g, eps):
    # seed000 §1.3 [DERIVED] table for V = 10 GeV, f = 1: g = m/(√2V), ε = f g √(α/4π³)
    model = preset("t3r", m_mev * 1e-3, vev=10.0)
    assert model.x["u"] * 2 * E == pytest.approx(g, rel=3e-3)
    assert model.epsilon == pytest.approx(eps, rel=3e-3)
    # vector charges: u +g/2, d −g/2, μ −g/2 (plus εQ); axial equal; e only through ε; no light ν
    assert model.axial_coupling("u") == pytest.approx(model.x["u"])
    assert model.axial_coupling("mu") == pytest.approx(-model.x["u"])
    assert model.coupling("e") == pytest.approx(-model.epsilon)
    assert model.coupling("nu_mu") == 0.0
    assert model.coupling("c") == pytest.approx(model.epsilon * 2 / 3)
    # proton vector charge g/2 + εe (seed000 §1.2): coupling('p')·e
    assert model.coupling("p") * E == pytest.approx(g / 2 + model.epsilon * E, rel=3e-3)


@pytest.mark.parametrize("m_mev, ctau", [(10, 0.276), (30, 1.02e-2)])
def test_t3r_visible_ctau(m_mev, ctau):
    # seed000 §3.1 [DERIVED]: visible-only (e⁺e⁻ via ε) cτ for V = 10 GeV, f = 1
    assert preset("t3r", m_mev * 1e-3, vev=10.0).ctau() == pytest.approx(ctau, rel=5e-3)


def test_ud_arbitrary_couplings_table():
    # seed004 §1.2 [derived] benchmarks (units of g): eε, u, d, p, n, e, μ
    for c, expected in ((-0.1, (-0.2333, -0.1222, 0.1111, -0.1333, 0.1000, 0.2333, 1.2333)),
                        (2 / 3, (1.5556, 0.8148, -0.7407, 0.8889, -0.6667, -1.5556, -0.5556))):
        m = preset("ud_arbitrary", 0.05, g=E, c=c, tan_eta=-0.75)
        got = (m.epsilon, m.coupling("u"), m.coupling("d"), m.coupling("p"), m.coupling("n"), m.coupling("e"),
               m.coupling("mu"))
        assert got == pytest.approx(expected, abs=1e-4)
        assert m.coupling("nu_e") == 0.0 and m.coupling("nu_mu") == pytest.approx(1.0)


def test_universal_and_baryonic():
    u = preset("universal", 0.1, g=E)
    for f in ("u", "d", "s", "e", "mu", "nu_e", "nu_tau"):
        assert u.coupling(f) == pytest.approx(1.0)
    b = preset("baryonic", 0.1, g=E)
    assert b.coupling("u") == pytest.approx(1 / 3) and b.coupling("e") == 0.0
    assert b.coupling("p") == pytest.approx(1.0) and b.coupling("n") == pytest.approx(1.0)


def test_meson_factor_unchanged_for_dark_photon():
    # F_P = ε for the dark photon (formulas-production.md §1.2)
    dp = preset("dark_photon", 0.05, epsilon=2e-4)
    for meson in ("pi0", "eta", "etaprime"):
        assert dp.meson_factor(meson) == pytest.approx(2e-4)


def test_list_presets_names():
    assert set(list_presets()) == {"dark_photon", "b_minus_l", "baryonic", "lmu_minus_ltau", "chargephobic",
                                   "t3r", "ud_arbitrary", "universal"}


def test_with_couplings_and_scaling():
    bl = preset("b_minus_l", 0.5, g=1e-4)
    doubled = bl.scaled(2.0)
    for ch, w in bl._partial_widths().items():
        assert doubled.width(ch) == pytest.approx(4 * w, rel=1e-9, abs=1e-300)
    off = bl.with_couplings(x_nu_e=0.0, x_nu_mu=0.0, x_nu_tau=0.0)
    assert off.width("neutrinos") == 0.0
    assert off.width("e+e-") == pytest.approx(bl.width("e+e-"), abs=0)
    with pytest.raises(ValueError, match="unknown couplings"):
        bl.with_couplings(x_top=1.0)
