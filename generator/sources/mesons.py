"""Meson sources: parents sampled from a facility's production spectrum and yield per POT."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial

import numpy as np

from ..constants import PDG, mass
from ..sampling import truncated_exponential
from . import sanford_wang
from .grid_sampler import GridSampler
from .parents import Parents

#: parametrizations by name → (density factory(meson) → f(p, θ), p_max(meson)); each entry's
#: module documents its source and range of validity
_SW_SPECIES = {"pi0": "pi0", "pi+": "pi_plus", "pi-": "pi_minus"}


def _sanford_wang(meson: str, p_beam: float) -> tuple[Callable, float]:
    if meson not in _SW_SPECIES:
        raise ValueError(f"the Sanford–Wang parametrization has no {meson!r} spectrum; "
                         f"available: {', '.join(_SW_SPECIES)}")
    species = _SW_SPECIES[meson]
    return (partial(sanford_wang.d2sigma_dp_domega, species, p_beam=p_beam),
            sanford_wang.p_max(species, p_beam))


PARAMETRIZATIONS: dict[str, Callable[[str, float], tuple[Callable, float]]] = {
    "sanford_wang": _sanford_wang,
}


class MesonSource:
    """Mesons of one species made in the target, with weights per POT.

    Parameters
    ----------
    meson : str
        Name as in :data:`darkbeam.constants.PDG` (``pi0``, ``eta``, ...).
    density : callable
        Shape of the spectrum d²N/dp dΩ(p, θ) in any normalisation.
    p_max : float
        Largest momentum (GeV).
    yield_per_pot : float
        Mesons per proton on target (the normalisation).
    target_length, interaction_length : float
        Target length and nuclear interaction length (m): production points are sampled along the
        beam axis from exp(−z/λ_I) truncated to the target (the proton's first interaction).
    """

    def __init__(self, meson: str, density: Callable, p_max: float, yield_per_pot: float,
                 target_length: float = 0.0, interaction_length: float = np.inf):
        self.meson = meson
        self.pdg = PDG[meson]
        self.mass = mass(self.pdg)
        self.yield_per_pot = float(yield_per_pot)
        self.target_length = float(target_length)
        self.interaction_length = float(interaction_length)
        self.sampler = GridSampler(density, p_max)

    def sample(self, rng: np.random.Generator, n: int) -> Parents:
        """n mesons; the mean of ``weight`` over samples is ``yield_per_pot``."""
        p, theta, phi, w = self.sampler.sample(rng, n)
        st = np.sin(theta)
        p4 = np.empty((n, 4))
        p4[:, 0] = p * st * np.cos(phi)
        p4[:, 1] = p * st * np.sin(phi)
        p4[:, 2] = p * np.cos(theta)
        p4[:, 3] = np.sqrt(p * p + self.mass ** 2)
        vertex = np.zeros((n, 3))
        if self.target_length > 0:
            vertex[:, 2] = truncated_exponential(rng.random(n), 0.0, self.target_length,
                                                 self.interaction_length)
        return Parents(np.full(n, self.pdg, dtype=np.int32), p4, vertex, np.zeros(n),
                       w * self.yield_per_pot)


def meson_source(parametrization: str, meson: str, p_beam: float, yield_per_pot: float,
                 target_length: float = 0.0, interaction_length: float = np.inf) -> MesonSource:
    """Build the source of ``meson`` from a named parametrization (see :data:`PARAMETRIZATIONS`)."""
    if parametrization not in PARAMETRIZATIONS:
        raise ValueError(f"unknown meson parametrization {parametrization!r}; "
                         f"known: {', '.join(PARAMETRIZATIONS)}")
    density, p_max = PARAMETRIZATIONS[parametrization](meson, p_beam)
    return MesonSource(meson, density, p_max, yield_per_pot, target_length, interaction_length)
