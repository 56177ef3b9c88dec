"""Total cross sections σ(E) of the scattering processes (cm²), by Gauss–Legendre in ln x."""

from __future__ import annotations

import dataclasses

import numpy as np

from .processes import PROCESSES
from .sampling import log_grid_integral


def total_cross_section(process: str, energy, model, centre, *, x_pdg: int = 0, m_x: float | None = None,
                        recoil_min: float = 0.0, recoil_max: float = np.inf, **options) -> np.ndarray:
    """σ(E) in cm² of ``process`` (key of :data:`~darkbeam.scattering.PROCESSES`) on ``centre``
    (a :class:`~darkbeam.scattering.Nucleus` or :class:`~darkbeam.scattering.processes.Electron`),
    for beam energies ``energy`` (GeV) of particle ``x_pdg`` with mass ``m_x`` (default: the
    model's dark-matter mass for DM processes, the ALP mass for ALP ones, 0 for neutrinos),
    inside the recoil window (the variable's range for the photon processes is all angles).
    ``options`` set fields of the process (e.g. ``couplings="tree"`` for CEvNS).
    """
    proc = PROCESSES[process]
    if options:
        proc = dataclasses.replace(proc, **options)
    e = np.atleast_1d(np.asarray(energy, float))
    if m_x is None:
        if process.startswith("dm_"):
            m_x = model.dark_matter.mass
        elif process.startswith("inverse_"):
            m_x = model.mass
        else:
            m_x = 0.0
    f = proc.density(model, x_pdg, m_x, centre)
    lo, hi = proc.range(e, m_x, centre, recoil_min if proc.variable == "T" else 0.0,
                        recoil_max if proc.variable == "T" else np.inf)
    return log_grid_integral(lambda z: f(z, e[:, None]), lo, hi)
