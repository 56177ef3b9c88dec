"""What a card will do, before it runs: ``darkbeam check CARD`` and ``darkbeam run --dry-run``.

:func:`describe_plan` turns a built :class:`~darkbeam.pipeline.Plan` into lines of text: the
facility (beam, target, POT), the model (mass, couplings, total width, cτ and leading branching
ratios at the card's point), each channel open or closed with the reason the pipeline gave
(``Plan.closed_reasons``, the same text a run puts in ``zero_reasons``), the detector (distance and
off-axis angle from the target, solid angle, mass), the signal and cuts, and the files the run
writes. Nothing is generated: only the catalog, the model's widths and one ray count for the solid
angle are evaluated.
"""

from __future__ import annotations

import math

import numpy as np

#: ħc (GeV m), CODATA 2018: cτ = ħc / Γ
HBAR_C_GEV_M = 1.973269804e-16

#: rays of the solid-angle estimate (its relative error is < 0.5 % for the catalog's detectors)
SOLID_ANGLE_RAYS = 200_000


def solid_angle(detector, rays: int = SOLID_ANGLE_RAYS) -> float:
    """Solid angle (sr) the detector subtends at the target (frame origin): the fraction of
    directions inside the cone around its bounding sphere (half-angle α = asin(R/d)) whose ray
    meets the volume, times the cone's 2π(1 − cos α). Directions from a fixed random stream (the
    same number every time); a target inside the bounding sphere counts the whole sphere."""
    centre, radius = detector.bounding_sphere()
    d = float(np.linalg.norm(centre))
    cos_alpha = -1.0 if radius >= d else math.sqrt(1.0 - (radius / d) ** 2)
    rng = np.random.default_rng(20261206)
    cos_t = rng.uniform(cos_alpha, 1.0, rays)
    phi = rng.uniform(0.0, 2 * math.pi, rays)
    sin_t = np.sqrt(1.0 - cos_t**2)
    local = np.stack([sin_t * np.cos(phi), sin_t * np.sin(phi), cos_t], axis=1)
    axis = centre / d if d > 0 else np.array([0.0, 0.0, 1.0])
    # rotation taking +z onto the axis (Rodrigues), applied to the local directions
    z = np.array([0.0, 0.0, 1.0])
    v, c = np.cross(z, axis), float(z @ axis)
    if np.linalg.norm(v) < 1e-12:
        rot = np.eye(3) if c > 0 else np.diag([1.0, -1.0, -1.0])
    else:
        vx = np.array([[0, -v[2], v[1]], [v[2], 0, -v[0]], [-v[1], v[0], 0]])
        rot = np.eye(3) + vx + vx @ vx / (1 + c)
    directions = local @ rot.T
    enter, _ = detector.intersect(np.zeros_like(directions), directions)
    hit = np.isfinite(enter)
    return float(hit.mean()) * 2 * math.pi * (1.0 - cos_alpha)


def _model_lines(model) -> list[str]:
    out = []
    name = getattr(model, "name", type(model).__name__)
    couplings = {}
    if getattr(model, "epsilon", None):
        couplings["epsilon"] = model.epsilon
    if hasattr(model, "couplings"):
        try:
            couplings |= {k: float(v) for k, v in model.couplings().items()
                          if isinstance(v, (int, float)) and v != 0}
        except (TypeError, ValueError):
            pass
    text = ", ".join(f"{k} = {v:.3g}" for k, v in couplings.items())
    out.append(f"model:     {name}, m = {model.mass:.6g} GeV" + (f"; {text}" if text else ""))
    width = getattr(model, "total_width", None)
    if callable(width):
        gamma = width()
        ctau = HBAR_C_GEV_M / gamma if gamma > 0 else math.inf
        out.append(f"           total width {gamma:.4g} GeV, cτ = {ctau:.4g} m")
        brs = sorted(((v, k) for k, v in model.branching_ratios().items() if v > 0), reverse=True)
        if brs:
            out.append("           BR " + ", ".join(f"{k} {v:.3g}" for v, k in brs[:5]))
    dm = getattr(model, "dark_matter", None)
    if dm is not None:
        out.append(f"           dark matter: {getattr(dm, 'kind', type(dm).__name__)}, "
                   f"m_chi = {dm.mass:.6g} GeV")
    return out


def _cut_text(cuts) -> str:
    values = cuts.model_dump(exclude_none=True)
    shown = {k: v for k, v in values.items() if not (k == "energy_min" and v == 0.0)
             and not (k == "time_reference" and "time_window" not in values)}
    unit = {"energy_min": " GeV", "energy_max": " GeV", "recoil_min": " GeV", "recoil_max": " GeV",
            "angle_max": " rad", "time_window": " ns", "delay_min": " ns"}
    return ", ".join(f"{k} = {v:g}{unit.get(k, '')}" if isinstance(v, float) else f"{k} = {v}{unit.get(k, '')}"
                     for k, v in shown.items()) or "none"


def describe_plan(plan, summary: str | None = None) -> list[str]:
    """The plan of a run as lines of text (see the module docstring). ``summary``: the summary
    path the run would write (None: none)."""
    card, fac, det = plan.card, plan.facility, plan.detector
    pot_from = "card" if card.facility.pot is not None else "facility default"
    lines = [f"card:      {card.source}",
             (f"facility:  {fac.name}: {fac.beam_particle} beam, {fac.beam_kinetic_energy:g} GeV kinetic, "
              f"on {fac.target_material} ({100 * fac.target_length:.4g} cm long); "
              f"POT = {plan.pot:.4g} ({pot_from})")]
    lines += _model_lines(plan.model)
    lines.append("channels:")
    for i, channel in enumerate(plan.channels):
        if i in plan.closed_reasons:
            lines.append(f"  {channel.name:<22s} closed: {plan.closed_reasons[i]}")
        else:
            parent = getattr(channel, "parent", None)
            lines.append(f"  {channel.name:<22s} open" + (f" (parent {parent})" if parent else ""))
    mass = det.mass_t if det.mass_t else det.shape_mass_t()
    mass_from = "quoted" if det.mass_t else "volume × density"
    lines.append(f"detector:  {det.name} ({det.shape.kind}, {det.material}): centre {det.distance:.4g} m from "
                 f"the target, {math.degrees(det.off_axis_angle):.3g}° off axis; solid angle "
                 f"{solid_angle(det):.4g} sr; mass {mass:.4g} t ({mass_from})")
    sig = card.signal
    what = (f"decay to {sig.final_state}" if sig.kind == "decay" else f"scatter: {sig.process}")
    lines.append(f"signal:    {what}, efficiency {sig.efficiency:g}")
    lines.append(f"cuts:      {_cut_text(card.cuts)}")
    files = list(card.run.outputs) + ([summary] if summary else [])
    lines.append(f"outputs:   {', '.join(files) if files else 'none'}  "
                 f"({card.run.events} samples per open channel, seed {card.run.seed})")
    return lines
