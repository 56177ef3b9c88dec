"""Regenerate docs/validation.md and docs/img/*.png from the validation cases.

    python benchmarks/validation_report.py            # full statistics (the @slow settings)
    python benchmarks/validation_report.py --fast     # the reduced statistics of the default test run
    python benchmarks/validation_report.py --no-scan  # skip the NuCal reach plot

The cases, their sources, published statements and tolerances live in tests/validation/cases.py
(the same table the tests use); this script only runs them and writes the table and the plots.
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import time
import warnings
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "tests" / "validation"))

from cases import CASES, MARGIN, N90, run_case  # noqa: E402
import microboone_kdar as kdar  # noqa: E402
import miniboone_dm as mb  # noqa: E402


def _fmt(x: float) -> str:
    if x == 0:
        return "0"
    return f"{x:.3g}" if 1e-3 <= abs(x) < 1e5 else f"{x:.2e}"


def run_all(fast: bool) -> list[dict]:
    rows = []
    for case in CASES:
        events = case.fast_events if fast else case.slow_events
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            n, err, by_channel, wall = run_case(case, events, fast=fast)
        ok = case.passes(n, err)
        rows.append({"case": case, "n": n, "err": err, "by_channel": by_channel, "wall": wall,
                     "pass": ok, "events": events})
        print(f"{case.name:50s} N = {_fmt(n)} ± {_fmt(err)}  {'PASS' if ok else 'FAIL'}  ({wall:.1f} s)",
              flush=True)
    return rows


def plot_cases(rows: list[dict], path: Path) -> None:
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(8, 0.38 * len(rows) + 1.2))
    for i, r in enumerate(rows):
        c = r["case"]
        x = math.log10(r["n"]) if r["n"] > 0 else -math.inf
        colour = "tab:green" if r["pass"] else "tab:red"
        if x < -11.5:                 # far below the axis (prompt decays, N ~ 1e-100 or 0): arrow at the edge
            ax.plot(-11.5, i, marker="<", color=colour, ms=8)
        else:
            ax.plot(x, i, "o" if c.inside else "s", color=colour)
    ax.axvline(math.log10(N90), color="k", lw=1, label="2.3 events (90 % CL, b = 0)")
    ax.axvspan(math.log10(N90 / MARGIN), math.log10(N90 * MARGIN), color="0.85", label="margin (×10)")
    ax.set_yticks(range(len(rows)), [r["case"].name for r in rows], fontsize=7)
    ax.set_xlabel("log10(expected events), darkbeam, published exposure")
    ax.set_xlim(-12, 7)
    ax.invert_yaxis()
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title("inside (o) / outside (s; ◀: N < 1e-11.5) a published region; green = agrees",
                 fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=110)
    plt.close(fig)


def nucal_reach(path: Path, events: int) -> str:
    """The NuCal reach of the shipped card, one command's worth (darkbeam.scan)."""
    from darkbeam.scan import scan
    t0 = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        # proton_brem cannot be reweighted by darkbeam.scan yet (ProtonBremChannel has neither
        # production_scale nor branching_ratio; tests/validation/test_cards.py records it), so the
        # plot is of the π⁰ + η channels of the card
        res = scan(ROOT / "cards" / "nucal_dark_photon.toml", "2 MeV:540 MeV:14", "1e-9:1e-4:50",
                   events=events, set=['production.channels=["pi0_decay", "eta_decay"]'])
        res.plot([str(path)])
    return f"{time.perf_counter() - t0:.0f} s"


def cevns_numbers() -> dict:
    """SM CEvNS on CsI with π-DAR neutrinos: darkbeam vs the independent calculation of
    tests/validation/test_cevns_stopped_pion.py, and the ESS CsI yearly count of seed 003's setup."""
    import test_cevns_stopped_pion as t
    ours, ref = t.csi_flux_averaged_sigma()
    # ESS (seed003 §5.2: 0.3 ν/flavour/POT, 2e23 POT/yr, L = 20 m; Table 2: CsI 22.5 kg, 1 keVnr, ε = 0.8)
    n_mol = 22.5e3 / (132.905452 + 126.904473) * 6.02214076e23
    flux = 0.3 * 2e23 / (4 * math.pi * 2000.0**2)
    sig = sum(t.flux_avg_darkbeam(z, a, f, 1e-6) for z, a in t.NUCLEI.values()
              for f in ("nu_mu", "nu_e", "nu_mu_bar"))
    return {"csi_sigma": ours, "csi_sigma_indep": ref, "ess_csi_per_year": 0.8 * flux * n_mol * sig}


def seed_cards(events: int = 50_000) -> list[tuple[str, float, float, float]]:
    """(card, N, stat error, wall s) of every card in cards/seeds/ at its own settings."""
    import darkbeam
    out = []
    for card in sorted((ROOT / "cards" / "seeds").glob("*.toml")):
        t0 = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            res = darkbeam.run(card, events=events, outputs=[], summary=None, keep_events=False)
        out.append((card.name, float(res.expected_events), float(res.stat_uncertainty),
                    time.perf_counter() - t0))
        print(f"{card.name:32s} N = {_fmt(out[-1][1])} ± {_fmt(out[-1][2])}", flush=True)
    return out


#: masses beyond the compared range, drawn only (η → γV closes at m_χ = m_η/3 = 183 MeV on shell)
MB_PLOT_ONLY = (0.165, 0.18, 0.20, 0.25)


def miniboone_dm(events: int, img: Path) -> dict:
    """darkbeam against the published MiniBooNE-DM curve (tests/validation/miniboone_dm.py): the
    yields of both cards through darkbeam.scan (m_V = 3 m_χ), the calibrated ratios, the BdNMC
    comparison, and the plot (darkbeam's limits over the digitised curve, ratios below)."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import numpy as np
    t0 = time.perf_counter()
    masses = tuple(mb.MASSES) + MB_PLOT_ONLY
    e = mb.yields(mb.CARD_E, masses, events)
    n = mb.yields(mb.CARD_N, masses, events)
    k = len(mb.MASSES)
    sub = [mb.ChannelYields(y.masses[:k], y.n[:k], y.err[:k], y.seconds) for y in (e, n)]
    res = mb.compare(*sub)
    lim = res["n_lim"]
    with np.errstate(divide="ignore"):
        eps_e = mb.EPS_REF * (e.n / lim["electron"]) ** -0.25
        eps_n = mb.EPS_REF * (n.n / lim["nucleon"]) ** -0.25
        eps_c = mb.EPS_REF * (e.n / lim["electron"] + n.n / lim["nucleon"]) ** -0.25
    curve = mb.digitised_curve()
    fig, (ax, axr) = plt.subplots(2, 1, figsize=(8, 8), sharex=True, gridspec_kw={"height_ratios": [3, 1.2]})
    if curve is not None:
        ax.plot(curve[:, 0], curve[:, 1], color="k", lw=2, label="MiniBooNE-DM 90% CL (arXiv:1807.06137 Fig. 24a, digitised)")
    pm = np.array(mb.MASSES)
    ax.plot(pm, [mb.PUBLISHED_EPS2[m] for m in mb.MASSES], "ko", ms=4, mfc="none",
            label="published, at the compared masses")
    ax.plot(e.masses, eps_c**2, color="tab:blue", lw=2, marker="s", ms=4,
            label="darkbeam, χe + χN (N_e/N_lim,e + N_N/N_lim,N = 1)")
    ax.plot(e.masses, eps_e**2, color="tab:orange", ls="--", lw=1.2, label="darkbeam, χe only")
    ax.plot(n.masses, eps_n**2, color="tab:green", ls=":", lw=1.5, label="darkbeam, χN only")
    for name, m in mb.CALIBRATION.items():
        ax.axvline(m, color="0.6", lw=0.8, ls="-.")
        ax.text(m, 3e-9, f" calibration\n ({name})", fontsize=7, color="0.4", va="bottom")
    ax.axvspan(0.15, 0.3, color="0.9", zorder=0)
    ax.text(0.155, 1e-4, "not compared:\np-brem V (not in\ndarkbeam's χ chain)", fontsize=7, va="top")
    ax.set_xscale("log"); ax.set_yscale("log")
    ax.set_ylim(2e-9, 3e-4); ax.set_xlim(9e-4, 0.3)
    ax.set_ylabel(r"$\varepsilon^2$  ($m_V = 3m_\chi$, $\alpha_D = 0.5$, scalar $\chi$)")
    ax.legend(fontsize=7, loc="upper left")
    ax.set_title(f"MiniBooNE-DM, 1.86e20 POT on the BNB steel dump: darkbeam vs published "
                 f"({events:,} samples/mass/channel)", fontsize=9)
    ratios = np.array([r["ratio"] for r in res["rows"]])
    errs = np.array([r["ratio_err"] for r in res["rows"]])
    axr.errorbar(pm, ratios, yerr=errs, fmt="s", color="tab:blue", ms=4)
    axr.axhline(1, color="k", lw=0.8)
    axr.axhspan(0.7, 1.3, color="tab:blue", alpha=0.1, label="test tolerance ±30 %")
    axr.set_ylim(0.5, 1.6)
    axr.set_xlabel(r"$m_\chi$ [GeV]")
    axr.set_ylabel(r"$\varepsilon_{darkbeam}/\varepsilon_{pub}$")
    axr.legend(fontsize=7, loc="upper left")
    fig.tight_layout()
    fig.savefig(img, dpi=110)
    plt.close(fig)
    brem = {m: mb.brem_share(m) for m in mb.MASSES}
    return {"res": res, "e": sub[0], "n": sub[1], "brem": brem, "seconds": time.perf_counter() - t0,
            "events": events, "curve_found": curve is not None}


def miniboone_lines(mbr: dict) -> list[str]:
    res, e, n = mbr["res"], mbr["e"], mbr["n"]
    lim = res["n_lim"]
    rows = res["rows"]
    comp = [r for r in rows if not r["calibration"]]
    lo, hi = min(r["ratio"] for r in comp), max(r["ratio"] for r in comp)
    for r in rows:
        r["best"] = min(r["eps_e"], r["eps_n"]) / r["eps_pub"]

    def at(m):
        return next(r for r in rows if abs(r["m_chi"] - m) < 1e-9)

    def rng(sel, key):
        v = [r[key] for r in sel]
        return f"{min(v):.2f}–{max(v):.2f}"

    def pct(m):
        return f"{100 * mbr['brem'][m]:.0f} %"
    bd_ratios = [y / mb.BDNMC[round(r["m_chi"], 6)][k][0] for r in rows if round(r["m_chi"], 6) in mb.BDNMC
                 for k, y in enumerate((r["n_e"], r["n_n"]))]
    bdnmc_range = f"darkbeam/BdNMC = {min(bd_ratios):.2f}–{max(bd_ratios):.2f}"
    cross = [r for r in comp if 0.010 <= r["m_chi"] <= 0.040]
    eta = [r for r in comp if 0.050 <= r["m_chi"] <= 0.150]
    flat = [r["n_e"] * (r["eps_pub"] / mb.EPS_REF) ** 4 for r in rows if r["m_chi"] <= 0.007]
    low_n = [r["n_n"] * (r["eps_pub"] / mb.EPS_REF) ** 4 for r in rows if r["m_chi"] <= 0.007]
    lines = [
        "## MiniBooNE-DM: darkbeam against the published curve",
        "",
        f"Published: {mb.SOURCE}. darkbeam: `cards/miniboone_dm.toml` (χe: 75 < T_e < 850 MeV, cos θ_e > 0.99) "
        "and `cards/miniboone_dm_nucleon.toml` (χN: 35 < T_N < 600 MeV), both with π⁰/η → γV(*) → γχχ̄ "
        "(2.4 π⁰ and 0.08 η per POT), complex-scalar χ, both χ and χ̄ tracked, the R = 5 m fiducial sphere "
        "491 m from the dump face, efficiency 1; yields through `darkbeam.scan.scan(…, dark_matter_ratio=3)` "
        f"at ε = 10⁻³, {mbr['events']:,} samples per mass and channel ({mbr['seconds']:.0f} s); ε scales "
        "exactly as N^(1/4). Method and sources: `tests/validation/miniboone_dm.py`; test: "
        "`tests/validation/test_miniboone_dm_curve.py`.",
        "",
        "**What the curve is.** ε² (not Y = ε²α_D(m_χ/m_V)⁴: read as Y it would put 2×10⁷ electron events "
        "of darkbeam, and of BdNMC, on the curve at m_χ = 10 MeV; as ε² ~10³, the scale of a limit). The "
        "comparison below is independent of that convention (a constant factor at fixed m_V/m_χ is absorbed "
        "by the calibration). Its shape tells the channel: darkbeam's electron count on the curve is flat "
        f"({_fmt(min(flat))}–{_fmt(max(flat))} events) for m_χ ≤ 7 MeV, where σ(χe) saturates, while the "
        f"nucleon count there is {_fmt(min(low_n))}–{_fmt(max(low_n))} events; above 40 MeV it is the other "
        "way round. The electron channel sets the curve below "
        "≈ 10 MeV, the nucleon channel above ≈ 40 MeV.",
        "",
        "**How the limit is set.** The paper's 90 % CL signal counts and efficiencies could not be retrieved "
        "here (only its abstract is in the project's sources) and its limit is a fit to background-dominated "
        "samples, so the excluded count is **calibrated at one mass per channel**, where that channel alone "
        f"sets the curve: χe at m_χ = {1e3 * mb.CALIBRATION['electron']:g} MeV (N_lim,e = {lim['electron']:.4g} "
        f"darkbeam events), χN at m_χ = {1e3 * mb.CALIBRATION['nucleon']:g} MeV (N_lim,N = {lim['nucleon']:.4g}; "
        "π⁰ closed even off shell). These are darkbeam's counts before any detection efficiency, at 2.4 π⁰/POT "
        "(×0.375 at BdNMC's 0.9): they are N_90/efficiency of the analysis in darkbeam's normalisation "
        "(the cards' `[scan] threshold`). The **other 15 masses test the mass dependence**. darkbeam's limit "
        "is where N_e/N_lim,e + N_N/N_lim,N = 1 (the channels combined); the single-channel columns give "
        "the best single channel.",
        "",
        f"**Result.** At the {len(comp)} non-calibration masses ε_darkbeam/ε_published = {lo:.2f}–{hi:.2f} "
        f"(test: within ±30 % + 3σ), over a range where the published ε spans a factor "
        f"{rows[-1]['eps_pub'] / rows[0]['eps_pub']:.0f}. In events (N ∝ ε⁴) the residual mass dependence is "
        f"a factor ≤ {max(hi, 1 / lo) ** 4:.1f}.",
        "",
        "![MiniBooNE-DM](img/miniboone_dm_curve.png)",
        "",
        "| m_χ (MeV) | ε published | ε darkbeam (χe + χN) | ratio ± stat | χe only / pub | χN only / pub | χe share | N_e, N_N at ε = 10⁻³ | BdNMC N_e, N_N | p-brem V / meson V |",
        "|---|---|---|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        m = r["m_chi"]
        bd = mb.BDNMC.get(round(m, 6))
        bd_s = f"{_fmt(bd[0][0])}, {_fmt(bd[1][0])}" if bd else "—"
        tag = " (calibration)" if r["calibration"] else ""
        lines.append(
            f"| {1e3 * m:g}{tag} | {r['eps_pub']:.3g} | {r['eps']:.3g} | {r['ratio']:.3f} ± {r['ratio_err']:.3f} | "
            f"{r['eps_e'] / r['eps_pub']:.2f} | {r['eps_n'] / r['eps_pub']:.2f} | {r['electron_share']:.2f} | "
            f"{_fmt(r['n_e'])}, {_fmt(r['n_n'])} | {bd_s} | {mbr['brem'][m]:.2g} |")
    lines += [
        "",
        "**Offsets and what they come from.**",
        "",
        "* *Signal generator (none).* darkbeam's counts agree with BdNMC's (pgdeniverville/BdNMC 6cba825, the "
        "generator of the paper's signal model, run side by side at the cards' inputs, mean of three seeds; "
        f"BdNMC column): {bdnmc_range} over the compared masses, i.e. ≤ 3 % in ε. Largest: χe at m_χ ≥ 70 MeV, "
        "9–13 % below BdNMC (2–3σ of BdNMC's seed spread) while χN there agrees and the V production agrees "
        "(BdNMC V_num 3.96×10¹¹ at 150 MeV, darkbeam 4.0×10¹¹); ruled out as its cause: aiming (plain "
        "sampling agrees), the V* → χχ̄ angular distribution (isotropic: +3 %), the width (α_D → 0: +4.5 %), "
        "the cos θ_e > 0.99 cut (no effect in either code).",
        "* *Digitisation.* The digitised points within ±3 % of each mass spread by ±3–8 % in ε², i.e. "
        "±2–4 % in ε.",
        "* *Normalisation (absorbed by the calibration, reported).* N_lim,e = "
        f"{lim['electron']:.3g} and N_lim,N = {lim['nucleon']:.3g} darkbeam events on the curve. For a "
        "background-limited NCE sample of O(10³) events a limit of a few hundred signal events after "
        "efficiency is plausible; for the electron channel the calibration implies that the analysis "
        f"excluded {lim['electron']:.2g} × efficiency × (its π⁰/POT ÷ 2.4) signal events — to be checked "
        "against the paper's electron-channel background and efficiency when its text is at hand (which "
        "π⁰/POT the publication used, 2.4 or BdNMC's 0.9, is UNCONFIRMED).",
        f"* *Crossover, 10–40 MeV (ratios {rng(cross, 'ratio')}).* Both channels contribute (χe share "
        f"{at(0.010)['electron_share']:.2f} at 10 MeV → {at(0.040)['electron_share']:.2f} at 40 MeV); the best "
        f"single channel is {rng(cross, 'best')}, the combination {rng(cross, 'ratio')}. The residual depends "
        "on how the paper combined its channels, not known here.",
        f"* *η region, 50–150 MeV ({rng(eta, 'ratio')}).* BdNMC's counts follow darkbeam's here, so the "
        "publication's sensitivity has a mass dependence that the signal generator does not: the "
        "nucleon-channel efficiency as a function of the recoil spectrum (harder for heavier V), the "
        "time-of-flight selection the paper used at high m_χ, and proton bremsstrahlung. The T_N window is "
        "not it (35–350, 35–600 and 35–900 MeV change the ratios by ≤ 2 % in ε). Bremsstrahlung (last "
        "column: production only; its V are harder and more forward, so its share of the *signal* is larger) "
        f"is {pct(0.030)} of the meson V at 30 MeV, {pct(0.070)} at the nucleon calibration mass, "
        f"{pct(0.100)} at 100 MeV, {pct(0.120)} at 120 MeV and {mbr['brem'][0.150]:.2g}× at 150 MeV. The "
        f"step of the ratio from {at(0.120)['ratio']:.2f} (120 MeV) to {at(0.150)['ratio']:.2f} (150 MeV), "
        f"×{at(0.150)['ratio'] / at(0.120)['ratio']:.2f}, matches the one bremsstrahlung in the publication's "
        f"signal would make, ((1 + {mbr['brem'][0.150]:.2g})/(1 + {mbr['brem'][0.120]:.2g}))^(1/4) = "
        f"{((1 + mbr['brem'][0.150]) / (1 + mbr['brem'][0.120])) ** 0.25:.2f}. Above 150 MeV it dominates "
        "(the published curve continues to 0.28 GeV and dips at the ρ/ω resonance of its form factor, "
        "m_χ ≈ 0.25 GeV) and darkbeam, which does not yet turn proton-brem V into χ, loses the curve "
        "(grey band in the plot).",
        "",
        "The other curves in the reference set: the NOvA recast (arXiv:1807.06501, Y with α_D = 0.05, "
        "58 events, 2.97×10²⁰ POT) uses channels darkbeam has (NuMI BMPT π⁰/η → γχχ̄, NOvA ND, χe) and can be "
        "compared once the recast's electron selection and efficiency (from NOvA's ν–e analysis, "
        "arXiv:1710.03428) are typed into a card — not done here. CHARM (arXiv:1908.07525) and SeaQuest "
        "(arXiv:1804.00661) are inelastic-DM curves: they need χ₁χ₂ production at the target (issue 18), "
        "so the CHARM, NuCal and E137 cases above stay figure readings of the dark-photon regions.",
        "",
    ]
    return lines


def kdar_lines(events: int = 100_000) -> list[str]:
    """The MicroBooNE KDAR scalar comparison and the unfocused BNB ν_μ flux (tests/validation/microboone_kdar.py)."""
    pub = kdar.PUBLISHED
    theta0 = 4.0e-4
    counts = kdar.kdar_counts((0.100, 0.150, 0.200), theta0, events)
    s_up = kdar.cls_upper_limit(pub["observed"], pub["background"])
    s_lo = kdar.cls_upper_limit(pub["observed"], pub["background"] + 0.8)
    s_hi = kdar.cls_upper_limit(pub["observed"], pub["background"] - 0.8)
    n100 = counts[0.100][0] * (pub["theta_high"] / theta0) ** 4
    n200 = counts[0.200][0] * (pub["theta_low"] / theta0) ** 4
    ratio = (counts[0.200][0] / counts[0.100][0]) ** 0.25
    y_implied = [0.027 * s_up / n for n in (n100, n200)]
    flux = kdar.bnb_numu_flux()
    f_nu, e_nu = flux["pion_dif_numu"]
    f_nub, e_nub = flux["pion_dif_numubar"]
    rows = "".join(f"| {m * 1e3:.0f} | {n:.3g} ± {e:.2g} | {kdar.theta_at(n, s_up, theta0):.3g} |\n"
                   for m, (n, e) in counts.items())
    return [
        "## MicroBooNE KDAR Higgs-portal scalar (`cards/microboone_kdar_scalar.toml`)",
        "",
        "MicroBooNE, PRL 127 (2021) 151803, arXiv:2106.00568 (abstract; the paper's body — efficiencies, time "
        "window, its own signal count at the limit — was not available here): 1.93×10²⁰ NuMI POT, K⁺ decaying "
        "at rest in the NuMI hadron absorber 100 m away, K⁺ → π⁺S, S → e⁺e⁻ in the TPC; 1 event observed, "
        "background 1.9 ± 0.8; θ < (3.3–4.6)×10⁻⁴ at 95 % CL for m_S = 100–200 MeV. darkbeam: the card "
        "(efficiency 1), absorber point z = 725 m on the NuMI axis (104 m from the MicroBooNE centre, catalog), "
        "K⁺ at rest per POT 0.027 (an order-of-magnitude estimate, `facility_sources.toml` [NuMI.at_rest]: no "
        "published number was found). Signal at the limit: the 95 % CL CLs upper limit for n = 1, b = 1.9 is "
        f"{s_up:.2f} events ({s_lo:.2f}–{s_hi:.2f} for b = 1.9 ∓ 0.8) — computed here, a stand-in for the "
        "paper's own statement. All three masses are long-lived (γβcτ ≫ 100 m), so N ∝ θ⁴.",
        "",
        f"| m_S (MeV) | darkbeam N at θ = {theta0:g} | θ where darkbeam N = {s_up:.2f} |",
        "|---|---|---|",
        rows.rstrip("\n"),
        "",
        f"* **Agrees — mass dependence:** darkbeam's θ-limit ratio between 100 and 200 MeV, "
        f"(N(200)/N(100))^{{1/4}} = {ratio:.3f}, against the published 4.6/3.3 = {4.6 / 3.3:.3f} "
        "(assuming a mass-independent efficiency and that the range's ends belong to 100 and 200 MeV; "
        "`tests/validation/test_microboone_kdar.py`, 15 %).",
        f"* **Normalisation — not verified:** at the published limits darkbeam (efficiency 1) expects "
        f"{n100:.2f} events at (100 MeV, 4.6×10⁻⁴) and {n200:.2f} at (200 MeV, 3.3×10⁻⁴) instead of "
        f"≈ {s_up:.1f}, i.e. its limit θ is ×{kdar.theta_at(n100, s_up, pub['theta_high']) / pub['theta_high']:.2f} "
        "of the published one. The count is ∝ (K⁺ stopping yield × efficiency): the paper's limit implies "
        f"yield × efficiency ≈ {y_implied[0]:.3g}–{y_implied[1]:.3g} K⁺ per POT, i.e. with the 0.027 estimate "
        "an efficiency of "
        f"{y_implied[0] / 0.027:.0%}–{y_implied[1] / 0.027:.0%}, or a larger stopping yield with a smaller "
        "efficiency. Neither number could be checked against the paper here.",
        "* Not modelled: the paper's time window and selection, kaons decaying at rest in the target, and "
        "in-flight K⁺ (the 2025 MicroBooNE analyses, arXiv:2501.08052, add both).",
        "",
        "## Unfocused BNB ν_μ flux at MiniBooNE (`production.meson_dif`)",
        "",
        "π± from the BNB Sanford–Wang spectra (0.943 π⁺, 0.857 π⁻ per POT) decaying in the 50 m decay region "
        "(catalog `[decay_region]`) in straight lines — **no horn** — π → μν toward the MiniBooNE sphere "
        "(R = 6.1 m at 541 m); flux = Σ weight of the rays through the sphere / πR².",
        "",
        "| flux at MiniBooNE | darkbeam, no horn (ν/cm²/POT) | published, horn focusing (ν/cm²/POT) | ratio |",
        "|---|---|---|---|",
        f"| ν_μ (π⁺) | {f_nu:.3g} ± {e_nu:.1g} | {kdar.MINIBOONE_NUMU_FLUX:.3g} (MiniBooNE flux paper, PRD 79 "
        f"(2009) 072002, arXiv:0806.1449; digits as recalled, not re-read here) | {f_nu / kdar.MINIBOONE_NUMU_FLUX:.2f} |",
        f"| ν̄_μ (π⁻) | {f_nub:.3g} ± {e_nub:.1g} | — (defocused by the horn in ν mode) | — |",
        "",
        "The unfocused ν_μ flux is "
        f"{f_nu / kdar.MINIBOONE_NUMU_FLUX:.0%} of the published horn-focused one: the horn's gain is absent, "
        "as it must be (`tests/validation/test_microboone_kdar.py` checks flux < published). K⁺ → μν (no K⁺ "
        "spectrum at the BNB: MiniBooNE uses a Feynman-scaling K⁺ fit, not implemented), K_e3 and μ decays are "
        "not included. The channel's forward flux is checked against a closed form "
        "(`tests/unit/production/test_meson_dif.py`, 1 %). NuMI and LBNF fluxes are not compared (no "
        "published number at hand).",
        "",
    ]


def write_md(rows: list[dict], fast: bool, reach_note: str | None, out: Path,
             seeds: list | None = None, mbdm: dict | None = None) -> None:
    lines = [
        "# Validation against the literature",
        "",
        f"Generated by `python benchmarks/validation_report.py{' --fast' if fast else ''}` on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC ({platform.platform()}, Python "
        f"{platform.python_version()}). The cases, their sources and tolerances are defined once in "
        "`tests/validation/cases.py` and run by `pytest tests/validation` (reduced statistics) and "
        "`pytest -m slow tests/validation` (full statistics).",
        "",
        "**Figure readings.** The cases of this table are points read off the published dark-photon "
        "regions of NuCal, CHARM and E137 (no digitised curve of these analyses is in the project's "
        "reference set; the MiniBooNE-DM case that was here is now a comparison with its digitised curve, "
        "section below).",
        "",
        "**Criterion.** A point *inside* a published 90 % CL excluded region must give "
        f"N > {MARGIN:.0f} × {N90} events for the published exposure; a point *outside* must give "
        f"N < {N90} / {MARGIN:.0f} (statistical error included at 2σ on the conservative side). Why a "
        "factor 10: meson yields per POT and two detector geometries are uncertain by O(1), and "
        "in the long-lived regime N ∝ ε⁴, so ×10 in N is ×1.8 in ε.",
        "",
        "| case | source | published | darkbeam N (±1σ stat) | criterion | result | tolerance reason |",
        "|---|---|---|---|---|---|---|",
    ]
    for r in rows:
        c = r["case"]
        result = "PASS" if r["pass"] else ("FAIL (known, see below)" if c.known_failure else "**FAIL**")
        lines.append(f"| {c.name} | {c.source} | {c.published} | {_fmt(r['n'])} ± {_fmt(r['err'])} | "
                     f"{c.criterion} | {result} | {c.reason} |")
    lines += ["", "Per-channel counts:", ""]
    for r in rows:
        parts = ", ".join(f"{k} {_fmt(v)}" for k, v in r["by_channel"].items())
        lines.append(f"* {r['case'].name}: {parts} ({r['events']} per channel, {r['wall']:.1f} s)")
    fails = [r for r in rows if not r["pass"]]
    lines += ["", "## Disagreements", ""]
    if not fails:
        lines.append("None.")
    for r in fails:
        lines.append(f"* **{r['case'].name}** (darkbeam N = {_fmt(r['n'])}): "
                     f"{r['case'].known_failure or 'unexplained; see the test output.'}")
    lines += [
        "",
        "## Plots",
        "",
        "![cases](img/validation_cases.png)",
        "",
    ]
    if reach_note:
        lines += ["NuCal reach of `cards/nucal_dark_photon.toml` restricted to its π⁰ + η "
                  f"channels (`darkbeam.scan` cannot reweight proton_brem yet), e⁺e⁻, 1.71×10¹⁸ POT; `darkbeam.scan`, {reach_note}):", "",
                  "![NuCal reach](img/nucal_reach.png)", ""]
    if mbdm:
        lines += miniboone_lines(mbdm)
    cev = cevns_numbers()
    lines += [
        "## SM CEvNS with stopped-pion neutrinos (independent calculation)",
        "",
        "`tests/validation/test_cevns_stopped_pion.py`: `darkbeam.scattering.total_cross_section(\"cevns\")` "
        "folded with `darkbeam.scattering.stopped_pion` spectra, against a calculation written in the "
        "test (Freedman cross section, Lewin–Smith Helm form factor, scipy quadrature).",
        "",
        "| quantity | published / independent | darkbeam | ratio | result | tolerance |",
        "|---|---|---|---|---|---|",
        f"| ⟨σ⟩ CsI, π-DAR flux, per nucleus, vs independent calculation (12 flavour × nucleus × "
        f"threshold cases agree to < 0.5 %) | {cev['csi_sigma_indep'] / 1e-40:.1f}×10⁻⁴⁰ cm² | "
        f"{cev['csi_sigma'] / 1e-40:.1f}×10⁻⁴⁰ cm² | {cev['csi_sigma'] / cev['csi_sigma_indep']:.5f} | PASS | "
        "0.5 % (quadrature) |",
        f"| ⟨σ⟩ CsI vs COHERENT measurement, PRL 129 (2022) 081801, arXiv:2110.07730 abstract (number "
        f"not re-verified in this session: the stored abstract had it stripped) | "
        f"(165 +30 −25)×10⁻⁴⁰ cm² | {cev['csi_sigma'] / 1e-40:.1f}×10⁻⁴⁰ cm² | "
        f"{cev['csi_sigma'] / 165e-40:.2f} | {'PASS' if 115e-40 < cev['csi_sigma'] < 225e-40 else 'FAIL'} | "
        "2σ of the measurement |",
        f"| ESS CsI SM CEvNS per year (seed 003 setup: 22.5 kg, T > 1 keVnr, ε = 0.8, 0.3 ν/flavour/POT, "
        f"2×10²³ POT, 20 m) | not retrieved (Baxter et al., arXiv:1911.00762, Table 1) | "
        f"{cev['ess_csi_per_year']:.3g} | — | report only | — |",
        "",
    ]
    lines += kdar_lines(40_000 if fast else 100_000)
    lines += [
        "## Further checks",
        "",
        "* `tests/validation/test_sbnd_pi0_dark_photon.py`: π⁰ → γA′ at SBND against an independent "
        "semi-analytic integration (ratios 1.003 ± 0.017 and 0.998 ± 0.008).",
        "* Not yet done: the CCM ALP benchmark of seed 002 (no numeric benchmark count in the "
        "paper; `cards/ccm_alp.toml` ships the configuration); the CEvNS *generator* chain (the "
        "stopped-pion neutrino source is being added separately; the checks above are of the "
        "cross-section layer).",
        "",
    ]
    if seeds:
        lines += ["## Seed scenario cards (`cards/seeds/`)", "",
                  "Expected events at each card's own benchmark point (50 000 samples per channel; "
                  "not a comparison with a publication: the seed papers quote no counts for these "
                  "configurations). A zero means no sample reached the detector: the COHERENT CsI "
                  "crystal (16 cm at 19.3 m, 90°) and the ESS CsI detector (20 m) subtend ~10⁻⁶ of the "
                  "sphere, so those decay cards need ≳ 10⁷ samples (or importance sampling of "
                  "directions). The chargephobic count is tiny by construction (the X barely couples to "
                  "e and p).", "",
                  "| card | N ± stat | wall (s) |", "|---|---|---|"]
        lines += [f"| {n} | {_fmt(v)} ± {_fmt(e)} | {t:.1f} |" for n, v, e, t in seeds]
        lines.append("")
    out.write_text("\n".join(lines))


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--fast", action="store_true", help="reduced statistics (the default test run)")
    ap.add_argument("--no-scan", action="store_true", help="skip the NuCal reach plot")
    ap.add_argument("--no-seeds", action="store_true", help="skip the seed-card table")
    ap.add_argument("--no-miniboone", action="store_true", help="skip the MiniBooNE-DM curve comparison")
    args = ap.parse_args(argv)
    docs = ROOT / "docs"
    (docs / "img").mkdir(parents=True, exist_ok=True)
    rows = run_all(args.fast)
    plot_cases(rows, docs / "img" / "validation_cases.png")
    note = None if args.no_scan else nucal_reach(docs / "img" / "nucal_reach.png", 20_000)
    seeds = None if args.no_seeds else seed_cards()
    mbdm = None if args.no_miniboone else miniboone_dm(50_000 if args.fast else 400_000,
                                                       docs / "img" / "miniboone_dm_curve.png")
    write_md(rows, args.fast, note, docs / "validation.md", seeds, mbdm)
    print(f"wrote {docs / 'validation.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
