"""MiniBooNE-DM: darkbeam's 90 % CL curve against the published one, and the signal chain against
BdNMC (the publication's generator). Method, sources and calibration: ``miniboone_dm.py``.

* ``test_published_curve_*``: ε_darkbeam/ε_published at each mass within ±``TOLERANCE`` (+ 3σ
  statistical). The tolerance is what the measured offsets justify: at full statistics the ratios
  lie in 0.76–1.25 over 1 ≤ m_χ ≤ 150 MeV (docs/validation.md), while darkbeam's signal agrees with
  BdNMC's to ≤ 5 % in ε (below). Two masses are calibrations (ratio 1 by construction, up to the
  other channel's share); the others test the mass dependence.
* ``test_signal_chain_vs_bdnmc_*``: darkbeam's count at ε = 10⁻³ against BdNMC's at the same inputs
  (numbers typed in ``miniboone_dm.BDNMC`` with the BdNMC card), within 5 % (finite-width line
  shape and V* polarisation, which BdNMC's on-shell V does not have: +4.5 % and +3 % measured at
  m_χ = 150 MeV) + 3σ (both codes' statistics).

Default run: 9 masses at 50 000 (electron) / 30 000 (nucleon) samples per mass, ≈ 25 s;
``-m slow``: every mass at 400 000.
"""

from __future__ import annotations

import math

import pytest

import miniboone_dm as mb

FAST_MASSES = (0.001, 0.003, 0.007, 0.014, 0.030, 0.050, 0.070, 0.100, 0.150)
FAST_EVENTS = {"electron": 50_000, "nucleon": 30_000}
FULL_EVENTS = 400_000
#: allowed |ε_darkbeam/ε_published − 1| before the statistical allowance (module docstring)
TOLERANCE = 0.30
#: allowed |N_darkbeam/N_BdNMC − 1| before the statistical allowance (module docstring)
BDNMC_TOLERANCE = 0.05

#: (channel, m_χ) where darkbeam disagrees with BdNMC beyond the tolerance: none at present; the
#: electron channel at m_χ ≥ 70 MeV is 9–13 % below BdNMC (2–3σ of BdNMC's three seeds), within it
KNOWN_BDNMC: dict[tuple[str, float], str] = {}


def _yields(events: dict[str, int] | int, masses):
    ev = events if isinstance(events, dict) else {"electron": events, "nucleon": events}
    return (mb.yields(mb.CARD_E, masses, ev["electron"]), mb.yields(mb.CARD_N, masses, ev["nucleon"]))


@pytest.fixture(scope="module")
def fast():
    e, n = _yields(FAST_EVENTS, FAST_MASSES)
    return e, n, mb.compare(e, n)


@pytest.fixture(scope="module")
def full():
    e, n = _yields(FULL_EVENTS, mb.MASSES)
    return e, n, mb.compare(e, n)


def _check_curve(result, m):
    row = next(r for r in result["rows"] if math.isclose(r["m_chi"], m))
    assert abs(row["ratio"] - 1) <= TOLERANCE + 3 * row["ratio_err"], (
        f"m_χ = {1e3 * m:g} MeV: ε_darkbeam = {row['eps']:.3g}, published {row['eps_pub']:.3g} "
        f"(ratio {row['ratio']:.3f} ± {row['ratio_err']:.3f}; electron share {row['electron_share']:.2f}; "
        f"N_lim e/N {result['n_lim']['electron']:.4g}/{result['n_lim']['nucleon']:.4g}) [{mb.SOURCE}]")


@pytest.mark.parametrize("m", FAST_MASSES, ids=[f"{1e3 * m:g}MeV" for m in FAST_MASSES])
def test_published_curve_fast(fast, m):
    _check_curve(fast[2], m)


@pytest.mark.slow
@pytest.mark.parametrize("m", mb.MASSES, ids=[f"{1e3 * m:g}MeV" for m in mb.MASSES])
def test_published_curve_full(full, m):
    _check_curve(full[2], m)


def test_calibrated_thresholds_in_cards(fast):
    """The cards' [scan] thresholds are the calibrated counts (within the fast run's statistics)."""
    from darkbeam.card import load_card
    for name, card in (("electron", mb.CARD_E), ("nucleon", mb.CARD_N)):
        got = fast[2]["n_lim"][name]
        rel = fast[2]["n_lim_rel"][name]
        threshold = load_card(card).scan["threshold"]
        assert abs(threshold / got - 1) < 0.08 + 3 * rel, (name, threshold, got)


def _bdnmc_params(masses):
    out = []
    for m in masses:
        if m not in mb.BDNMC:
            continue
        for k, name in enumerate(("electron", "nucleon")):
            marks = ([pytest.mark.xfail(strict=True, reason=KNOWN_BDNMC[(name, m)])]
                     if (name, m) in KNOWN_BDNMC else [])
            out.append(pytest.param(m, k, name, marks=marks, id=f"{name}-{1e3 * m:g}MeV"))
    return out


def _check_bdnmc(yields, m, k, name):
    y = yields[k]
    i = [j for j, x in enumerate(y.masses) if math.isclose(x, m)][0]
    ref, ref_rel = mb.BDNMC[m][k]
    sigma = math.hypot(y.err[i] / y.n[i], ref_rel)
    r = y.n[i] / ref
    assert abs(r - 1) <= BDNMC_TOLERANCE + 3 * sigma, (
        f"{name} m_χ = {1e3 * m:g} MeV: darkbeam {y.n[i]:.4g} ± {y.err[i]:.2g}, BdNMC {ref:.4g} "
        f"(ratio {r:.3f}, σ {sigma:.3f})")


@pytest.mark.parametrize("m, k, name", _bdnmc_params(FAST_MASSES))
def test_signal_chain_vs_bdnmc_fast(fast, m, k, name):
    _check_bdnmc(fast, m, k, name)


@pytest.mark.slow
@pytest.mark.parametrize("m, k, name", _bdnmc_params(mb.MASSES))
def test_signal_chain_vs_bdnmc_full(full, m, k, name):
    _check_bdnmc(full, m, k, name)
