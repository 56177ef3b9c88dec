"""Branching ratios and cτ of a preset against mass (for ``darkbeam info model PRESET --plot``)."""

from __future__ import annotations

import os
import warnings

import numpy as np

from ._common import ModelValidityWarning
from .presets import PRESETS, with_defaults


def model_scan(preset: str, masses: np.ndarray, **params: float) -> tuple[dict[str, np.ndarray], np.ndarray]:
    """Branching ratios (channel → array) and cτ (m) of ``preset`` at each mass (GeV)."""
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset!r}; known: {sorted(PRESETS)}")
    func = PRESETS[preset][0]
    params = with_defaults(preset, params)      # presets.DEFAULTS for what is not given
    brs: dict[str, list[float]] = {}
    ctau = []
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelValidityWarning)
        for m in masses:
            model = func(float(m), **params)
            for ch, br in model.branching_ratios().items():
                brs.setdefault(ch, []).append(br)
            ctau.append(model.ctau())
    return {k: np.asarray(v) for k, v in brs.items()}, np.asarray(ctau)


def plot_model(preset: str, path: str | os.PathLike, *, masses: np.ndarray | None = None,
               min_br: float = 1e-3, **params: float) -> str:
    """Draw BRs (top) and cτ (bottom) of ``preset`` against mass and save to ``path``.

    ``masses`` defaults to 250 log-spaced points between 1 MeV and 2 GeV; ``params`` are the
    preset's arguments (those not given: :data:`darkbeam.models.presets.DEFAULTS`). Channels whose BR never exceeds
    ``min_br`` are not drawn. Uses the Agg backend (no display). Returns the path written.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    m = np.geomspace(1e-3, 2.0, 250) if masses is None else np.asarray(masses, dtype=float)
    brs, ctau = model_scan(preset, m, **params)
    fig, (ax1, ax2) = plt.subplots(2, 1, figsize=(7, 7), sharex=True, gridspec_kw={"height_ratios": [2, 1]})
    shown = [ch for ch, br in brs.items() if np.nanmax(br) > min_br]
    # tab10's 10 colours, then the same colours dashed, dotted, …: no two curves look alike
    colours = plt.get_cmap("tab10").colors
    styles = ("-", "--", ":", "-.")
    for i, ch in enumerate(shown):
        ax1.plot(m, brs[ch], label=ch, color=colours[i % len(colours)], ls=styles[(i // len(colours)) % len(styles)])
    ax1.set_yscale("log")
    ax1.set_ylim(min_br, 1.5)
    ax1.set_ylabel("branching ratio")
    ax1.legend(fontsize=7, ncol=3)
    label = ", ".join(f"{k}={v:g}" if isinstance(v, float) else f"{k}={v}"
                      for k, v in with_defaults(preset, params).items())
    ax1.set_title(f"{preset} ({label})" if label else preset)
    ax2.plot(m, ctau, color="k")
    ax2.set_xscale("log")
    ax2.set_yscale("log")
    ax2.set_xlabel("mass [GeV]")
    ax2.set_ylabel(r"$c\tau$ [m]")
    fig.tight_layout()
    fig.savefig(path)
    plt.close(fig)
    return str(path)
