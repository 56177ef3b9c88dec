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


def write_md(rows: list[dict], fast: bool, reach_note: str | None, out: Path,
             seeds: list | None = None) -> None:
    lines = [
        "# Validation against the literature",
        "",
        f"Generated by `python benchmarks/validation_report.py{' --fast' if fast else ''}` on "
        f"{datetime.now(timezone.utc):%Y-%m-%d %H:%M} UTC ({platform.platform()}, Python "
        f"{platform.python_version()}). The cases, their sources and tolerances are defined once in "
        "`tests/validation/cases.py` and run by `pytest tests/validation` (reduced statistics) and "
        "`pytest -m slow tests/validation` (full statistics).",
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
        "## Further checks",
        "",
        "* `tests/validation/test_sbnd_pi0_dark_photon.py`: π⁰ → γA′ at SBND against an independent "
        "semi-analytic integration (ratios 1.003 ± 0.017 and 0.998 ± 0.008).",
        "* MiniBooNE-DM, count at the published limit (`cards/miniboone_dm.toml` with the nucleon "
        "channel: `signal.process = dm_nucleon`, 35 < T_N < 600 MeV; m_χ = 20 MeV, m_V = 60 MeV, "
        "α_D = 0.5, complex scalar χ): at Y = 10⁻⁸ (the published 90 % CL limit, arXiv:1702.02688 "
        "abstract) darkbeam expects N ≈ 2.4×10⁴ ± 0.6×10⁴ events (50 000 samples per channel, no "
        "detection efficiency). The signal count of the published analysis at its limit is not in "
        "the abstract and was not retrieved, so this is **not yet a pass/fail comparison**. A "
        "background-limited NCE-like analysis would typically have its limit at O(10²–10³) signal "
        "events, which would make darkbeam O(10–100) high (a factor 3–10 in Y, since N ∝ Y²); the "
        "candidate inputs are the χ acceptance of a 5 m sphere at 490 m (set by the Sanford–Wang "
        "p–Be *shape* used for the steel dump, with no shower softening), the 2.4 π⁰/POT yield (upper "
        "end of the documented 0.9–2.4 spread) and the missing detection efficiency (≈ 35 % for "
        "NCE-like events). The electron channel's per-χ interaction probability is at most "
        "2.0×10⁻⁶ in darkbeam (ε = 10⁻³, m_V = 30 MeV, 75 < E_e < 850 MeV), against "
        "n_e L σ ≈ 2.3×10²⁶ cm⁻² × 8.1×10⁻³³ cm² = 1.9×10⁻⁶ by hand (8 m chord): the scattering "
        "step agrees; the open question is the χ flux.",
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
    args = ap.parse_args(argv)
    docs = ROOT / "docs"
    (docs / "img").mkdir(parents=True, exist_ok=True)
    rows = run_all(args.fast)
    plot_cases(rows, docs / "img" / "validation_cases.png")
    note = None if args.no_scan else nucal_reach(docs / "img" / "nucal_reach.png", 20_000)
    seeds = None if args.no_seeds else seed_cards()
    write_md(rows, args.fast, note, docs / "validation.md", seeds)
    print(f"wrote {docs / 'validation.md'}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
