"""Timing plots: arrival time vs visible energy, delay distribution, and the stopped-pion
neutrino timing for comparison (matplotlib, Agg backend, PNG).

Time conventions (as the timing cuts, :mod:`darkbeam.timing.cuts`): with the run's ``pulse`` the
first panel shows the time after the arrival of light (t − t_edge − |vertex|/c, t = 0 when light
that left the target at the pulse's leading edge reaches the vertex: the ``time_reference =
"light"`` of ``[cuts] time_window``); without it, ``t`` on the facility clock. The third panel's
emission times are on the facility clock (the pulse table's zero)."""

from __future__ import annotations

from pathlib import Path
from typing import Mapping

import awkward as ak
import numpy as np

from ..constants import C_M_PER_NS


#: particles that leave no signal: neutrinos, dark matter, ALPs
_INVISIBLE = (12, 14, 16, 51, 52, 53, 9000005)


def visible_energy(events: ak.Array) -> np.ndarray:
    """Visible energy (GeV) of each event: Σ over the daughters of the dark particle X (the
    particles whose ``mother`` is X's index) of E, or of the kinetic energy E − m for a recoiling
    nucleus or nucleon (its rest mass is not seen); neutrinos, dark matter, ALPs and the
    outgoing X itself are invisible.
    """
    particles = events.particles
    is_x = particles.pdg == events.x_pdg
    i_x = ak.argmax(is_x, axis=1, keepdims=True)
    has_x = ak.any(is_x, axis=1)
    daughters = particles.mother == ak.fill_none(i_x[:, 0], -2)
    apdg = abs(particles.pdg)
    invisible = _is_invisible(apdg, events.x_pdg)
    recoil = (apdg >= 1_000_000_000) | (apdg == 2212) | (apdg == 2112)
    mass = np.sqrt(np.maximum(particles.E ** 2 - particles.px ** 2 - particles.py ** 2
                              - particles.pz ** 2, 0.0))
    energy = ak.where(recoil, particles.E - mass, particles.E)
    e_vis = ak.sum(energy[daughters & ~invisible], axis=1)
    return np.where(ak.to_numpy(has_x), ak.to_numpy(e_vis), 0.0)


def _is_invisible(apdg: ak.Array, x_pdg: ak.Array) -> ak.Array:
    out = apdg == abs(x_pdg)
    for code in _INVISIBLE:
        out = out | (apdg == code)
    return out


def emission_time(events: ak.Array) -> np.ndarray:
    """t − |vertex − production vertex|/c (ns): the event time with the light travel time from
    X's production point removed; for a prompt parent (π⁰, η) it is the proton time plus the
    delay, the quantity to set next to the neutrino emission times of a stopped-pion source."""
    d = np.sqrt((ak.to_numpy(events.vtx_x) - ak.to_numpy(events.prod_x)) ** 2
                + (ak.to_numpy(events.vtx_y) - ak.to_numpy(events.prod_y)) ** 2
                + (ak.to_numpy(events.vtx_z) - ak.to_numpy(events.prod_z)) ** 2)
    return ak.to_numpy(events.t) - d / C_M_PER_NS


def plot_timing(events: ak.Array, path: str | Path, *,
                neutrino_times: Mapping[str, np.ndarray] | object | None = None,
                bins: int = 60, pulse=None) -> Path:
    """Draw the signal's time vs visible energy and its delay distribution (weighted by
    ``weight``), and, if ``neutrino_times`` is given (label → emission times in ns, or a
    :class:`~darkbeam.timing.StoppedPionTimes`), the signal emission time next to the prompt and
    delayed neutrino times (each normalised to unit area). With ``pulse`` (the run's
    :class:`~darkbeam.timing.Pulse`) the time axis of the first panel counts from the arrival of
    light (module docstring). Writes a PNG and returns its path."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    path = Path(path)
    if neutrino_times is not None and hasattr(neutrino_times, "as_dict"):
        neutrino_times = neutrino_times.as_dict()
    n_panels = 3 if neutrino_times else 2
    fig, axes = plt.subplots(1, n_panels, figsize=(5.2 * n_panels, 4.3), constrained_layout=True)
    w = ak.to_numpy(events.weight) if len(events) else np.empty(0)
    t = ak.to_numpy(events.t) if len(events) else np.empty(0)
    if pulse is not None and len(events):
        from .cuts import time_after_light
        vtx = np.stack([ak.to_numpy(events.vtx_x), ak.to_numpy(events.vtx_y), ak.to_numpy(events.vtx_z)], axis=1)
        t = time_after_light(t, vtx, pulse)
    t_label = ("t after the light arrival (ns)\n0: light from the target, leaving at the pulse's\n"
               f"leading edge (clock t = {pulse.leading_edge:.4g} ns), reaches the vertex" if pulse is not None
               else "t (ns, facility clock: the pulse table's zero)")
    dly = ak.to_numpy(events.delay) if len(events) else np.empty(0)

    ax = axes[0]
    if len(events):
        e_vis = visible_energy(events)
        from matplotlib.colors import LogNorm
        top = float(np.histogram2d(e_vis, t, bins=bins, weights=w)[0].max()) or 1.0
        # colour range: six decades below the fullest bin
        h = ax.hist2d(e_vis, t, bins=bins, weights=w, cmin=top * 1e-6, cmap="viridis",
                      norm=LogNorm(vmin=top * 1e-6, vmax=top))
        fig.colorbar(h[3], ax=ax, label="expected events / bin")
    else:
        ax.text(0.5, 0.5, "no events", ha="center", va="center", transform=ax.transAxes)
    ax.set_xlabel("visible energy (GeV)")
    ax.set_ylabel(t_label, fontsize="small" if pulse is not None else None)
    ax.set_title("signal: time vs visible energy")

    ax = axes[1]
    if len(events):
        positive = dly[dly > 0]
        lo = max(positive.min(), 1e-3) if positive.size else 1e-3
        hi = max(dly.max(), lo * 10)
        edges = np.geomspace(lo, hi, bins + 1)
        counts, _, _ = ax.hist(np.clip(dly, lo, None), bins=edges, weights=w, histtype="step",
                               color="C0")
        ax.set_xscale("log")
        ax.set_yscale("log")
        if counts.max() > 0:
            ax.set_ylim(counts.max() * 1e-6, counts.max() * 3)
    ax.set_xlabel("delay (ns, relative to light from the proton's interaction point)")
    ax.set_ylabel("expected events / bin")
    ax.set_title("signal: delay")

    if neutrino_times:
        ax = axes[2]
        series = {"signal (t − L/c)": (emission_time(events) if len(events) else np.empty(0), w)}
        for label, times in neutrino_times.items():
            series[label] = (np.asarray(times, float), None)
        allt = np.concatenate([s[0] for s in series.values() if len(s[0])]) if series else np.empty(0)
        hi = np.quantile(allt, 0.995) if allt.size else 1.0
        lo = min(allt.min(), 0.0) if allt.size else 0.0
        edges = np.linspace(lo, hi, bins + 1)
        for i, (label, (times, weights)) in enumerate(series.items()):
            if len(times):
                ax.hist(times, bins=edges, weights=weights, density=True, histtype="step",
                        label=label, color=f"C{i}")
        ax.set_xlabel("emission time (ns, facility clock)")
        ax.set_ylabel("density (1/ns)")
        ax.set_yscale("log")
        ax.legend(fontsize="small")
        ax.set_title("signal vs stopped-pion neutrinos")

    fig.savefig(path, dpi=110)
    plt.close(fig)
    return path
