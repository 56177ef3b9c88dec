"""The CCM200 CEvNS card with its prompt time window, and the issue-7 timing plot of its output."""

from __future__ import annotations

import math
from pathlib import Path

import pytest
from scipy import integrate

import darkbeam
from darkbeam.cli import main

CARD = Path(__file__).resolve().parents[3] / "cards" / "ccm200_cevns_timing.toml"
TAU_PI, TAU_MU = 26.033, 2196.9811        # ns, PDG 2024
C_M_NS = 0.299792458


def triangle(t: float) -> float:
    """LANSCE Lujan pulse: symmetric triangle on [0, 280] ns (timing/data/pulses.toml: Snowmass
    NF03 white paper §4.1.2), density 1/140 at the 140 ns peak."""
    return max(0.0, 1 - abs(t - 140.0) / 140.0) / 140.0


def fraction_in_window(t_max: float, delayed: bool) -> float:
    """P(t_p + T_π [+ T_μ] ≤ t_max): the pulse folded with the decay CDFs (formulas-detection.md §4.2)."""
    def cdf(x):
        if x <= 0:
            return 0.0
        if not delayed:
            return 1 - math.exp(-x / TAU_PI)
        return 1 - (TAU_MU * math.exp(-x / TAU_MU) - TAU_PI * math.exp(-x / TAU_PI)) / (TAU_MU - TAU_PI)
    return integrate.quad(lambda tp: triangle(tp) * cdf(t_max - tp), 0, 280, points=[140], epsabs=1e-12)[0]


@pytest.fixture(scope="module")
def runs(tmp_path_factory):
    out = tmp_path_factory.mktemp("ccm") / "ccm200_cevns_timing.parquet"
    with pytest.warns(UserWarning, match="derived, not published"):
        cut = darkbeam.run(str(CARD), events=30_000, outputs=[str(out)], summary=None, progress=False)
        full = darkbeam.run(str(CARD), events=30_000, outputs=[], summary=None, progress=False,
                            keep_events=False, set=["cuts.time_window=[-1e9, 1e9]"])
    return cut, full, out


def test_prompt_window_keeps_the_prompt_nu_mu_and_few_delayed(runs):
    """Same seed, with and without the window: the kept fraction of each flavour equals the
    pulse ⊗ decay-time CDF at the window's end. The card's window is [0, 400] ns after the light
    arrival (time_reference = "light", CCM loose WP; the Lujan pulse's leading edge is t = 0), so the
    flight to the vertex drops out and t_max = 400 ns of emission time. (Before issue 20 the card
    had [0, 450] ns on the pulse clock, t_max = 450 ns − 23.0037 m/c = 373.3 ns: ν_μ 0.999, ν_e 0.089.)"""
    cut, full, _ = runs
    t_max = 400.0
    expect = {"pion_dar_numu": fraction_in_window(t_max, False),
              "pion_dar_nue": fraction_in_window(t_max, True),
              "pion_dar_numubar": fraction_in_window(t_max, True)}
    assert expect["pion_dar_numu"] == pytest.approx(0.9997, abs=2e-4)
    assert expect["pion_dar_nue"] == pytest.approx(0.101, abs=2e-3)
    for ch, f in expect.items():
        got = cut.summary["expected_events_by_channel"][ch] / full.summary["expected_events_by_channel"][ch]
        n_eff = 30_000 * 0.3          # a loose effective count (weights vary with the recoil)
        assert got == pytest.approx(f, abs=4 * math.sqrt(f * (1 - f) / n_eff) + 0.03 * f), (ch, got, f)


def test_plot_timing_of_the_ccm_output(runs):
    """`darkbeam plot timing FILE -o PNG` on the card's output (issue 7): CEvNS recoil vs time next
    to the prompt/delayed neutrino timing."""
    _, _, out = runs
    png = out.with_name("ccm_timing.png")
    assert main(["plot", "timing", str(out), "-o", str(png)]) == 0
    assert png.exists() and png.stat().st_size > 10_000
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
