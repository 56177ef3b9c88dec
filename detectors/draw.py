"""Top and side views of a facility: target, beam axis and detectors (matplotlib, Agg backend).

Horizontal beams (also dipping ones): top view = facility z (beam) horizontally, x vertically; side
view = z horizontally, y (up, orthogonalised to the beam) vertically. Vertical beams (LANSCE Lujan,
+z down): top view = x, y (looking down the beam); side view = x horizontally, height −z
vertically. Outlines are the convex hulls of each shape's projected surface points, so boxes,
cylinders in any orientation and spheres are drawn to scale. Lengths in m.
"""

from __future__ import annotations

import os
import tempfile

import numpy as np

from ..geometry import Union
from .catalog import load_detector, load_facility


def _cross2(a: np.ndarray, b: np.ndarray) -> float:
    """z component of the cross product of two 2-D vectors."""
    return float(a[0] * b[1] - a[1] * b[0])


def _hull(points: np.ndarray) -> np.ndarray:
    """Convex hull (closed polygon) of 2-D points, Andrew's monotone chain."""
    pts = np.unique(np.round(points, 12), axis=0)
    if len(pts) < 3:
        return pts

    def half(seq):
        out: list[np.ndarray] = []
        for p in seq:
            while len(out) >= 2 and _cross2(out[-1] - out[-2], p - out[-2]) <= 0:
                out.pop()
            out.append(p)
        return out

    lower, upper = half(pts), half(pts[::-1])
    return np.array(lower[:-1] + upper[:-1])


def _outlines(det) -> list[np.ndarray]:
    """Facility-frame surface points of each convex part of a detector."""
    if isinstance(det.shape, Union):
        return [pl.to_facility(s.outline_local(48)) for s, pl in det.shape.placed_parts(det.placement)]
    return [det.placement.to_facility(det.shape.outline_local(48))]


def draw_facility(name: str, path: str | os.PathLike) -> str:
    """Write a PNG with a top (z–x) and a side (z–y) view of facility ``name`` to ``path``.

    Returns the path written. The file is written under a temporary name and renamed when complete.
    """
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from matplotlib.patches import Polygon

    fac = load_facility(name)
    dets = [load_detector(n) for n in fac.detectors()]
    fig, axes = plt.subplots(2, 1, figsize=(10, 7), constrained_layout=True)
    if fac.vertical:
        views = [("top view (looking down the beam)", np.array([[1.0, 0, 0], [0, 1.0, 0]]),
                  ("x (m)", "y (m)")),
                 ("side view", np.array([[1.0, 0, 0], [0, 0, -1.0]]), ("x (m)", "height −z (m)"))]
    else:
        views = [("top view", np.array([[0, 0, 1.0], [1.0, 0, 0]]), ("z along the beam (m)", "x (m)")),
                 ("side view", np.array([[0, 0, 1.0], [0, 1.0, 0]]), ("z along the beam (m)", "y (m)"))]
    colours = plt.rcParams["axes.prop_cycle"].by_key()["color"]
    reach = max([1.0] + [d.distance for d in dets])
    for ax, (title, proj, (xlabel, ylabel)) in zip(axes, views):
        z0, z1 = fac.target.z_range
        beam = np.array([[0, 0, z0 - 0.05 * reach], [0, 0, z1]]) @ proj.T
        ax.plot(beam[:, 0], beam[:, 1], "k-", lw=1.0, label="incident beam")
        if not fac.vertical:
            axis = np.array([[0, 0, z1], [0, 0, 1.05 * reach]]) @ proj.T
            ax.plot(axis[:, 0], axis[:, 1], "k--", lw=0.8, label="beam axis")
        for seg in fac.target.segments:
            shape, pl = seg.shape_and_placement()
            hull = _hull(pl.to_facility(shape.outline_local(24)) @ proj.T)
            ax.add_patch(Polygon(hull, closed=True, color="0.3"))
        ax.plot([], [], "s", color="0.3", label=f"{fac.mode}: {fac.target_material}")
        for i, d in enumerate(dets):
            c = colours[i % len(colours)]
            for pts in _outlines(d):
                ax.add_patch(Polygon(_hull(pts @ proj.T), closed=True, fill=True, alpha=0.5, color=c))
            centre = proj @ d.placement.centre
            ax.plot([0, centre[0]], [0, centre[1]], ":", color=c, lw=0.8)
            ax.annotate(d.name, tuple(centre), fontsize=8, xytext=(3, 3), textcoords="offset points")
        ax.autoscale_view()
        ax.set_xlabel(xlabel)
        ax.set_ylabel(ylabel)
        ax.set_title(f"{fac.name} — {title}")
        ax.legend(loc="best", fontsize=8)
    extra = ""
    if fac.vertical:
        extra = "  (beam vertical, +z down)"
    elif fac.dip and "dip" not in fac.description:
        extra = f"  (beam dips {1e3 * fac.dip:.1f} mrad)"
    fig.suptitle(f"{fac.description}{extra}", fontsize=9)
    path = os.fspath(path)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(suffix=".png", dir=directory)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    try:
        fig.savefig(tmp, dpi=120, format="png")
        os.replace(tmp, path)
    finally:
        plt.close(fig)
        if os.path.exists(tmp):
            os.remove(tmp)
    return path
