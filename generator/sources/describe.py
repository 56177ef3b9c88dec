"""Human-readable summaries and plots of a facility's sources (for ``darkbeam info source FACILITY --plot``)."""

from __future__ import annotations

import warnings
from pathlib import Path

import numpy as np

from .facility_parameters import source_parameters
from .mesons import VALIDITY, facility_meson_source


def describe(facility: str) -> str:
    """Beam, target, meson parametrization (with source and validity), parent yields per POT with their
    spread, status and source, and the stopped-pion neutrino yield, as plain text."""
    par = source_parameters(facility)
    tgt = par["target"]
    lines = [f"{facility}: {par['beam']} beam, {par['beam_kinetic_GeV']:g} GeV kinetic "
             f"(p = {par['beam_momentum_GeV']:.4g} GeV/c) on {tgt['material']} (Z = {tgt['Z']}, A = {tgt['A']:g}), "
             f"target length {tgt['length_m']:g} m, λ_I = {tgt['interaction_length_m']:g} m"]
    for key in ("target_note", "parametrization_note"):
        if key in par:
            lines.append(f"  note: {par[key]}")
    name = par["parametrization"]
    lines.append(f"Meson spectra: {name}" + (f" — {VALIDITY[name]}" if name in VALIDITY else
                                             " (no hadronic parametrization; EM cascade only)"))
    if par["yields"]:
        lines.append("Parent yields per POT (default [spread], status, source):")
        for meson, y in par["yields"].items():
            lo, hi = y["spread"]
            lines.append(f"  {meson:<17} {y['value']:<9.4g} [{lo:.3g}, {hi:.3g}]  {y['status']:<9} {y['source']}"
                         + (f"; {y['note']}" if y.get("note") else ""))
    nu = par.get("neutrinos", {}).get("per_flavor_per_pot")
    if nu:
        lo, hi = nu["spread"]
        lines.append(f"Stopped-pion neutrinos per flavour per POT: {nu['value']:.4g} [{lo:.3g}, {hi:.3g}] "
                     f"({nu['status']}) — {nu['source']}")
    for meson, y in par.get("at_rest", {}).items():
        lo, hi = y["spread"]
        lines.append(f"{meson} decaying at rest ({y['location']}) per POT: {y['value']:.4g} [{lo:.3g}, {hi:.3g}] "
                     f"({y['status']}) — {y['source']}")
    lines += _decay_region_lines(facility)
    for key in ("pot_per_year", "pot_total"):
        if key in par:
            lines.append(f"{key.replace('_', ' ')}: {par[key]:.3g}")
    return "\n".join(lines)


def _decay_region_lines(facility: str) -> list[str]:
    """The decay pipe of the catalog (π±, K±, K⁰_L decays in flight) and the horn note."""
    from ..detectors import load_facility

    region = load_facility(facility).decay_region
    if region is None:
        return []
    absorber = "" if region.absorber is None else (f"; absorber point ({region.absorber[0]:g}, "
                                                   f"{region.absorber[1]:g}, {region.absorber[2]:g}) m")
    return [(f"Decay region: z = {region.start:g}–{region.end:g} m, radius {region.radius:g} m{absorber} "
             f"(catalog [decay_region], with sources)"),
            ("  note: decays in flight follow the unfocused target spectra in straight lines — horn focusing is "
             "not modelled; give a beam simulation's decay-point file (dk2nu-like schema) for the focused flux")]


def plot_source(facility: str, path: str | Path, mesons: list[str] | None = None, n: int = 400_000,
                seed: int = 0) -> Path:
    """Write a PNG of the facility's sources.

    Panels: the weighted p–θ spectra (parents per POT per bin) of the facility's mesons (``mesons`` defaults to
    those with a documented yield and a spectrum, up to four); for spallation sources the stopped-pion
    neutrino spectra (per flavour per POT); for electron beams the γ and e± track-length spectra of the EM
    cascade in the target. Uses matplotlib's Agg canvas directly (no global backend switch).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    par = source_parameters(facility)
    rng = np.random.default_rng(seed)
    sources = []
    for meson in mesons or list(par["yields"]):
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sources.append(facility_meson_source(facility, meson))
        except (ValueError, KeyError):
            continue
        if mesons is None and len(sources) == 4:
            break
    nu = par.get("neutrinos", {}).get("per_flavor_per_pot")
    electron = par["beam"] == "electron"
    n_panels = len(sources) + (1 if nu else 0) + (1 if electron else 0)
    if n_panels == 0:
        raise ValueError(f"{facility} has no sources to plot")
    fig = Figure(figsize=(4.2 * n_panels, 3.8), layout="constrained")
    FigureCanvasAgg(fig)
    axes = [fig.add_subplot(1, n_panels, i + 1) for i in range(n_panels)]
    for ax, src in zip(axes, sources):
        parents = src.sample(rng, n)
        p = np.linalg.norm(parents.p4[:, :3], axis=1)
        theta = np.arccos(np.clip(parents.p4[:, 2] / np.maximum(p, 1e-300), -1, 1))
        _, _, _, img = ax.hist2d(p, theta, bins=(60, 60), weights=parents.weight,
                                 range=[[0, np.quantile(p, 0.99)], [0, np.quantile(theta, 0.99)]],
                                 norm=LogNorm(), cmap="viridis")
        fig.colorbar(img, ax=ax, label="parents / POT / bin")
        ax.set_xlabel("p [GeV/c]")
        ax.set_ylabel("θ [rad]")
        ax.set_title(f"{facility} {src.meson}: {src.yield_per_pot:.3g}/POT")
    extra = axes[len(sources):]
    if nu:
        from .stopped_pion import michel_nu_e, michel_nubar_mu, nu_mu_energy

        ax = extra.pop(0)
        e = np.linspace(0.0, 0.0529, 300)
        ax.plot(1e3 * e, nu["value"] * michel_nu_e(e) * 1e-3, label="ν_e (delayed)")
        ax.plot(1e3 * e, nu["value"] * michel_nubar_mu(e) * 1e-3, label="ν̄_μ (delayed)")
        ax.axvline(1e3 * nu_mu_energy(), color="k", ls="--", label=f"ν_μ line ({nu['value']:.3g}/POT, prompt)")
        ax.set_xlabel("E_ν [MeV]")
        ax.set_ylabel("ν / POT / MeV")
        ax.set_title(f"{facility} stopped-pion ν")
        ax.legend(fontsize=7)
    if electron:
        from .target_em import facility_em_cascade

        ax = extra.pop(0)
        res = facility_em_cascade(facility, rng, n=20)
        centres = np.sqrt(res.energy_edges[1:] * res.energy_edges[:-1])
        for key, label in (("gamma", "γ"), ("e-", "e⁻"), ("e+", "e⁺")):
            ax.loglog(centres, res.track_length[key], drawstyle="steps-mid", label=label)
        ax.set_xlabel("E [GeV]")
        ax.set_ylabel("track length dℓ/dE [m/GeV] per e⁻")
        ax.set_title(f"{facility}: EM cascade in {res.material.name}")
        ax.legend(fontsize=7)
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path
