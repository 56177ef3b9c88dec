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
    for key in ("pot_per_year", "pot_total"):
        if key in par:
            lines.append(f"{key.replace('_', ' ')}: {par[key]:.3g}")
    return "\n".join(lines)


def plot_source(facility: str, path: str | Path, mesons: list[str] | None = None, n: int = 400_000,
                seed: int = 0) -> Path:
    """Write a PNG of the weighted p–θ spectra (parents per POT per bin) of the facility's mesons.

    ``mesons`` defaults to those with a documented yield and a spectrum (up to four). Uses matplotlib's Agg
    canvas directly (no global backend switch).
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.colors import LogNorm
    from matplotlib.figure import Figure

    par = source_parameters(facility)
    rng = np.random.default_rng(seed)
    sources = []
    candidates = mesons or list(par["yields"])
    for meson in candidates:
        try:
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                sources.append(facility_meson_source(facility, meson))
        except (ValueError, KeyError):
            continue
        if mesons is None and len(sources) == 4:
            break
    if not sources:
        raise ValueError(f"{facility} has no meson spectra to plot")
    fig = Figure(figsize=(4.2 * len(sources), 3.8), layout="constrained")
    FigureCanvasAgg(fig)
    for i, src in enumerate(sources):
        ax = fig.add_subplot(1, len(sources), i + 1)
        parents = src.sample(rng, n)
        p = np.linalg.norm(parents.p4[:, :3], axis=1)
        theta = np.arccos(np.clip(parents.p4[:, 2] / np.maximum(p, 1e-300), -1, 1))
        h, xe, ye, img = ax.hist2d(p, theta, bins=(60, 60), weights=parents.weight,
                                   range=[[0, np.quantile(p, 0.99)], [0, np.quantile(theta, 0.99)]],
                                   norm=LogNorm(), cmap="viridis")
        fig.colorbar(img, ax=ax, label="parents / POT / bin")
        ax.set_xlabel("p [GeV/c]")
        ax.set_ylabel("θ [rad]")
        ax.set_title(f"{facility} {src.meson}: {src.yield_per_pot:.3g}/POT")
    path = Path(path)
    fig.savefig(path, dpi=110)
    return path
