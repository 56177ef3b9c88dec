"""Reach plot: the contour of expected events = threshold in the (mass, coupling) plane.

Style: mplhep's ROOT-like HEP style when mplhep is installed (``pip install mplhep``), plain
matplotlib otherwise. Existing limits are overlaid from CSV files of (mass in GeV, coupling) pairs
(header line optional; ``#`` comments allowed), drawn as lines and labelled.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import numpy as np

from ..errors import InputFileError

_AXIS_LABELS = {"epsilon": r"kinetic mixing $\varepsilon$", "g_agg": r"$g_{a\gamma\gamma}$ [GeV$^{-1}$]",
                "g_aee": r"$g_{aee}$", "g_amumu": r"$g_{a\mu\mu}$", "sin_theta": r"mixing $\sin\theta$",
                "scale": "coupling / card coupling"}


_OVERLAY_COLOURS = ("tab:red", "tab:green", "tab:orange", "tab:purple", "tab:brown", "tab:olive",
                    "tab:cyan", "tab:pink")


def read_limit_csv(path: str | Path) -> np.ndarray:
    """(n, 2) array of (mass GeV, coupling) from a CSV file; one clear error if it is not that."""
    path = Path(path)
    if not path.is_file():
        raise InputFileError(f"{path}: no such limit file (expected a CSV of mass [GeV], coupling)")
    rows = []
    for i, line in enumerate(path.read_text().splitlines(), 1):
        line = line.split("#", 1)[0].strip()
        if not line:
            continue
        parts = [p for p in line.replace(";", ",").replace("\t", ",").split(",") if p.strip()]
        try:
            m, g = float(parts[0]), float(parts[1])
        except (ValueError, IndexError):
            if not rows:                              # header lines before the data
                continue
            raise InputFileError(f"{path}:{i}: {line!r}: expected two numbers 'mass, coupling'") from None
        rows.append((m, g))
    if len(rows) < 2:
        raise InputFileError(f"{path}: expected at least two rows of 'mass [GeV], coupling'")
    return np.array(rows)


def _limits(limits) -> list[tuple[str, np.ndarray]]:
    if not limits:
        return []
    if isinstance(limits, Mapping):
        items = list(limits.items())
    else:
        items = []
        for item in ([limits] if isinstance(limits, (str, Path)) else limits):
            if isinstance(item, tuple):          # (label, csv path or (n, 2) array)
                items.append(item)
                continue
            item = str(item)
            label, _, path = item.partition("=") if "=" in item else (Path(item).stem, "", item)
            items.append((label, path))
    return [(str(label), np.asarray(data, dtype=float) if not isinstance(data, (str, Path))
             else read_limit_csv(data)) for label, data in items]


def _style():
    try:
        import mplhep
        return mplhep.style.ROOT
    except ImportError:            # optional: plain matplotlib
        return {}


def plot_reach(result, path: str | Path | Iterable[str | Path] | None = None, *,
               limits=None, threshold: float | None = None, title: str | None = None,
               show_grid: bool = True, ax=None):
    """Draw the reach of a :class:`~darkbeam.scan.table.ScanResult`.

    ``path``: file name or list of file names to write the one figure to (format from the
    extension: ``["reach.png", "reach.pdf"]``). ``limits``: ``{label: csv_path or (n,2) array}`` or
    ``["label=path.csv", ...]`` overlays. ``show_grid``: shade the expected events as a colour map.
    Returns the matplotlib Figure.
    """
    import matplotlib.pyplot as plt
    from matplotlib.colors import LogNorm

    level = result.threshold if threshold is None else float(threshold)
    overlays = _limits(limits)
    with plt.style.context(_style()):
        own = ax is None
        fig, ax = (plt.subplots(figsize=(11, 8.5)) if own else (ax.figure, ax))
        if show_grid and np.any(result.expected > 0):
            z = np.where(result.expected > 0, result.expected, np.nan).T
            vmax = np.nanmax(z)
            mesh = ax.pcolormesh(result.masses, result.couplings, z, shading="nearest",
                                 norm=LogNorm(vmin=max(level / 100, vmax * 1e-12), vmax=vmax),
                                 cmap="Blues", alpha=0.55, rasterized=True)
            fig.colorbar(mesh, ax=ax, label="expected signal events")
        lines = result.contour(level)
        cl = result.info.get("cl")
        label_reach = (f"{result.info.get('detector', 'this scan')}: N ≥ {level:.3g}"
                       + (f" ({100 * cl:.0f}% CL)" if cl and threshold is None else ""))   # cl: None if given
        for i, line in enumerate(lines):
            ax.plot(line[:, 0], line[:, 1], color="black", lw=2.5, label=label_reach if i == 0 else None)
        for j, (label, data) in enumerate(overlays):
            ax.plot(data[:, 0], data[:, 1], lw=1.6, ls="--", color=_OVERLAY_COLOURS[j % len(_OVERLAY_COLOURS)],
                    label=label)
        ax.set_xscale("log")
        ax.set_yscale("log")
        ax.set_xlim(result.masses[0], result.masses[-1])
        ax.set_ylim(result.couplings[0], result.couplings[-1])
        ax.set_xlabel(r"mass $m_X$ [GeV]")
        ax.set_ylabel(_AXIS_LABELS.get(result.coupling_name, result.coupling_name))
        info = result.info
        ttl = title or " ".join(str(x) for x in (info.get("model"), info.get("facility_detector"))
                                if x)
        if ttl:
            ax.set_title(ttl, fontsize="small")
        bits = [f"{info['events_per_mass']:,} samples/mass" if "events_per_mass" in info else None,
                f"b = {info['background']:g}" if info.get("background") else None,
                f"m_χ = m_X/{info['dark_matter_ratio']:g}" if info.get("dark_matter_ratio") else None]
        note = ", ".join(b for b in bits if b)
        if note:
            ax.text(0.02, 0.02, note, transform=ax.transAxes, fontsize="small", va="bottom")
        if lines or overlays:
            ax.legend(loc="upper right", fontsize="small")
        fig.tight_layout()
        if path is not None:
            paths = [path] if isinstance(path, (str, Path)) else list(path)
            for p in paths:
                p = Path(p)
                p.parent.mkdir(parents=True, exist_ok=True)
                fig.savefig(p, dpi=150)
            if own:
                plt.close(fig)      # saved: free pyplot's reference (the Figure stays usable)
    return fig
