"""ν–e elastic scattering of the π-DAR neutrinos in JSNS², against an independent calculation."""

from __future__ import annotations

import math
from pathlib import Path

from scipy import integrate

import darkbeam

CARD = Path(__file__).resolve().parents[3] / "cards" / "jsns2_nu_electron.toml"
G_F, S_W2, HBARC2 = 1.1663788e-5, 0.23857, 0.3893793721e-27     # PDG 2024; formulas-detection.md §0
M_E, M_MU, M_PI, N_A = 0.00051099895, 0.1056583755, 0.13957039, 6.02214076e23
# catalog JSNS2: LAB C18H30 at 0.86 g/cm³ in a cylinder r = 1.6 m, h = 2.5 m at 24 m (detectors/data)
R, H, RHO, L = 1.6, 2.5, 0.86, 24.0
ELECTRONS_PER_GRAM = N_A * (18 * 6 + 30 * 1) / (18 * 12.0107 + 30 * 1.008)
YIELD, POT = 0.485, 1.114e23      # JPARC MLF ν per flavour per POT (sources data), card POT


def dsigma_dt(t, e, g_l, g_r):
    """2G_F² m_e/π [g_L² + g_R²(1 − T/E)² − g_L g_R m_e T/E²] ('t Hooft 1971; formulas-detection.md §3.7)."""
    return 2 * G_F**2 * M_E / math.pi * (g_l**2 + g_r**2 * (1 - t / e) ** 2 - g_l * g_r * M_E * t / e**2) * HBARC2


def sigma(e, g_l, g_r, t_min):
    t_max = 2 * e * e / (M_E + 2 * e)
    if t_max <= t_min:
        return 0.0
    return integrate.quad(dsigma_dt, t_min, t_max, args=(e, g_l, g_r), epsrel=1e-10)[0]


def expected(t_min: float) -> dict[str, float]:
    """Flux × electrons × ⟨σ⟩ per flavour; the 1/r² average over the cylinder differs from 1/L² by
    (R²/2 − h²/12)/L² = +1.3×10⁻³ (expansion of 1/|L + x|² to second order; derived here)."""
    electrons = math.pi * (100 * R) ** 2 * (100 * H) * RHO * ELECTRONS_PER_GRAM
    flux = YIELD * POT / (4 * math.pi * (100 * L) ** 2) * (1 + (R**2 / 2 - H**2 / 12) / L**2)
    m = M_MU
    e_mu = (M_PI**2 - M_MU**2) / (2 * M_PI)
    out = {"pion_dar_numu": sigma(e_mu, -0.5 + S_W2, S_W2, t_min)}
    spectra = {"pion_dar_nue": (lambda e: 192 / m * (e / m) ** 2 * (0.5 - e / m), 0.5 + S_W2, S_W2),
               # ν̄_μ: g_L ↔ g_R of ν_μ
               "pion_dar_numubar": (lambda e: 64 / m * (e / m) ** 2 * (0.75 - e / m), S_W2, -0.5 + S_W2)}
    for ch, (f, gl, gr) in spectra.items():
        out[ch] = integrate.quad(lambda e: f(e) * sigma(e, gl, gr, t_min), 0, m / 2, epsrel=1e-9, limit=200)[0]
    return {k: v * flux * electrons for k, v in out.items()}


def test_sm_nu_electron_count_jsns2():
    s = darkbeam.run(str(CARD), events=40_000, outputs=[], summary=None, progress=False, keep_events=False,
                     set=["cuts.recoil_min=5 MeV", "cuts.time_window=[-1e9, 1e9]"]).summary
    ref = expected(0.005)
    for ch, value in ref.items():
        got, err = s["expected_events_by_channel"][ch], s["stat_uncertainty_by_channel"][ch]
        assert abs(got - value) < 4 * err + 2e-3 * value, (ch, got, err, value)
    assert s["stat_uncertainty"] < 0.02 * s["expected_events"]


def test_shipped_card_runs():
    s = darkbeam.run(str(CARD), events=5_000, outputs=[], summary=None, progress=False, keep_events=False).summary
    assert s["expected_events"] > 0 and s["expected_events_by_channel"]["pion_dar_numu"] == 0.0
