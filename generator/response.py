"""Detector response: plain functions on arrays (energies in GeV unless a name says keV).

* Nuclear-recoil quenching: Lindhard (Lindhard et al., Mat. Fys. Medd. Dan. Vid. Selsk. 33 (1963)
  no. 10, parametrised as in Lewin & Smith 1996; formulas-detection.md §5.1) with a configurable k,
  and the COHERENT LAr light-yield linear form Q = 0.246 + 0.00078 T[keVnr] (COHERENT LAr data
  release, arXiv:2003.10630; §5.1). Lindhard describes the ionisation yield of a nucleus recoiling
  in its own medium (Ge, Si, Xe charge), not the scintillation quenching of CsI[Na], NaI or LAr light.
* Gaussian energy resolution σ(E)² = a² + b²E + c²E² (constant, stochastic, proportional terms), and
  the form σ(E) = σ₀ √(E/E_th) of the ESS study (seed003, arXiv:2112.04020 Table 2; §5.2).
* Thresholds/windows, tabulated efficiency curves, Gaussian time resolution.

Per-detector values come from the catalog and the card; none is hard-wired here (the constants of
the parametrisations are in ``darkbeam/scattering/data/parameters.toml``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np

from .errors import DarkbeamError
from .scattering._params import parameters


class ResponseValidityWarning(UserWarning):
    """A response parametrisation used outside its stated range."""


def lindhard_k(z, a):
    """Lindhard k = 0.133 Z^{2/3} A^{−1/2} (Lewin & Smith 1996; Ar: 0.1444); arrays accepted."""
    return parameters()["quenching"]["lindhard"]["k0"] * np.asarray(z, float) ** (2.0 / 3.0) / np.sqrt(a)


def lindhard_quenching(e_nr, z: int, a: float, k: float | None = None) -> np.ndarray:
    """Q(E_R) = k g(ε)/(1 + k g(ε)), g = 3ε^0.15 + 0.7ε^0.6 + ε, ε = 11.5 Z^{−7/3} E_R[keV].

    ``e_nr`` in GeV; ``k`` defaults to :func:`lindhard_k`. Returns the quenching factor (E_ee = Q E_R).
    """
    p = parameters()["quenching"]["lindhard"]
    k = lindhard_k(z, a) if k is None else k
    eps = p["eps0"] * z ** (-7.0 / 3.0) * np.asarray(e_nr, float) * 1e6
    eps = np.maximum(eps, 0.0)
    g = 3.0 * eps**0.15 + 0.7 * eps**0.6 + eps
    return k * g / (1.0 + k * g)


def coherent_lar_quenching(e_nr) -> np.ndarray:
    """COHERENT LAr Q = 0.246 + 0.00078 T[keVnr] (``e_nr`` in GeV); warns outside the fitted range."""
    p = parameters()["quenching"]["coherent_lar"]
    t_kev = np.asarray(e_nr, float) * 1e6
    if t_kev.size and (np.min(t_kev) < p["t_min_kev"] or np.max(t_kev) > p["t_max_kev"]):
        warnings.warn(f"COHERENT LAr quenching used outside {p['t_min_kev']}-{p['t_max_kev']} keVnr",
                      ResponseValidityWarning, stacklevel=2)
    return p["q0"] + p["q1"] * t_kev


def electron_equivalent(e_nr, quenching) -> np.ndarray:
    """E_ee = Q(E_nr) E_nr (``quenching`` an array or a function of E_nr)."""
    e_nr = np.asarray(e_nr, float)
    q = quenching(e_nr) if callable(quenching) else np.asarray(quenching, float)
    return q * e_nr


def resolution_sigma(e, constant: float = 0.0, stochastic: float = 0.0, proportional: float = 0.0
                     ) -> np.ndarray:
    """σ(E) = √(a² + b²E + c²E²) with a = ``constant`` (GeV), b = ``stochastic`` (GeV^½), c = ``proportional``."""
    e = np.maximum(np.asarray(e, float), 0.0)
    return np.sqrt(constant**2 + stochastic**2 * e + proportional**2 * e * e)


def threshold_scaled_sigma(e, sigma0: float, e_threshold: float) -> np.ndarray:
    """σ(E) = σ₀ √(E/E_th) (seed003 arXiv:2112.04020 Table 2 convention; GeV)."""
    return sigma0 * np.sqrt(np.maximum(np.asarray(e, float), 0.0) / e_threshold)


def smear_energy(e, sigma, rng: np.random.Generator, clip: bool = True) -> np.ndarray:
    """E + N(0, σ), σ an array or a function of E; negative results clipped to 0 if ``clip``."""
    e = np.asarray(e, float)
    s = sigma(e) if callable(sigma) else np.broadcast_to(np.asarray(sigma, float), e.shape)
    out = e + s * rng.standard_normal(e.shape)
    return np.maximum(out, 0.0) if clip else out


def in_window(value, low: float = -np.inf, high: float = np.inf) -> np.ndarray:
    """low ≤ value ≤ high (thresholds and windows on any visible quantity)."""
    v = np.asarray(value, float)
    return (v >= low) & (v <= high)


def tabulated_efficiency(e, energies, efficiencies) -> np.ndarray:
    """Efficiency curve by linear interpolation of a table (flat beyond its ends), clipped to [0, 1]."""
    eff = np.interp(np.asarray(e, float), np.asarray(energies, float), np.asarray(efficiencies, float))
    return np.clip(eff, 0.0, 1.0)


def gaussian_window_efficiency(e, low: float, high: float, sigma) -> np.ndarray:
    """Probability that a Gaussian-smeared E (σ array or function) falls in [low, high]:
    Φ((high − E)/σ) − Φ((low − E)/σ) — the expected-value alternative to :func:`smear_energy`."""
    from scipy.special import ndtr
    e = np.asarray(e, float)
    s = sigma(e) if callable(sigma) else np.broadcast_to(np.asarray(sigma, float), e.shape)
    with np.errstate(divide="ignore", invalid="ignore"):
        hi = np.where(s > 0, ndtr((high - e) / s), (e <= high).astype(float))
        lo = np.where(s > 0, ndtr((low - e) / s), (e < low).astype(float))
    return hi - lo


def smear_time(t, sigma_ns: float, rng: np.random.Generator) -> np.ndarray:
    """t + N(0, σ_t) (ns)."""
    t = np.asarray(t, float)
    return t + sigma_ns * rng.standard_normal(t.shape)


QUENCHING_MODELS = ("none", "lindhard", "coherent_lar")


@dataclass(frozen=True)
class Response:
    """A detector's response to one visible quantity (all optional; defaults = ideal detector).

    ``quenching``: ``"none"``, ``"lindhard"`` (k = ``lindhard_k`` or the Lindhard value of the
    recoiling nucleus) or ``"coherent_lar"`` — applied to nuclear recoils only, giving keV_ee-like
    visible energy; ``resolution_constant`` (GeV), ``resolution_stochastic`` (GeV^½),
    ``resolution_proportional`` (dimensionless) for σ(E)² = a² + b²E + c²E²; ``time_resolution``
    (ns, Gaussian). Card keys would be ``[detector.response]`` of the same names.
    """

    quenching: str = "none"
    lindhard_k: float | None = None
    resolution_constant: float = 0.0
    resolution_stochastic: float = 0.0
    resolution_proportional: float = 0.0
    time_resolution: float = 0.0

    def __post_init__(self) -> None:
        if self.quenching not in QUENCHING_MODELS:
            raise DarkbeamError(f"response quenching {self.quenching!r}: expected one of {QUENCHING_MODELS}")
        for name in ("resolution_constant", "resolution_stochastic", "resolution_proportional", "time_resolution"):
            if getattr(self, name) < 0:
                raise DarkbeamError(f"response {name} = {getattr(self, name)}: expected >= 0")

    @property
    def smears_energy(self) -> bool:
        return any((self.resolution_constant, self.resolution_stochastic, self.resolution_proportional))

    def visible_energy(self, e, rng: np.random.Generator, nuclear: np.ndarray | None = None,
                       z: np.ndarray | None = None, a: np.ndarray | None = None) -> np.ndarray:
        """Quench (rows with ``nuclear`` True, nucleus ``z``, ``a`` per row) then smear ``e`` (GeV)."""
        e = np.asarray(e, float)
        out = e.copy()
        if self.quenching != "none" and nuclear is not None and np.any(nuclear):
            if self.quenching == "coherent_lar":
                q = coherent_lar_quenching(e[nuclear])
            else:
                zz, aa = np.asarray(z)[nuclear], np.asarray(a)[nuclear]
                k = lindhard_k(zz, aa) if self.lindhard_k is None else self.lindhard_k
                q = _lindhard_array(e[nuclear], zz, k)
            out[nuclear] = q * e[nuclear]
        if self.smears_energy:
            out = smear_energy(out, lambda x: resolution_sigma(x, self.resolution_constant, self.resolution_stochastic,
                                                               self.resolution_proportional), rng)
        return out

    def measured_time(self, t, rng: np.random.Generator) -> np.ndarray:
        return smear_time(t, self.time_resolution, rng) if self.time_resolution > 0 else np.asarray(t, float)


def _lindhard_array(e_nr, z, k):
    """Lindhard Q with per-row Z and k (arrays)."""
    p = parameters()["quenching"]["lindhard"]
    eps = np.maximum(p["eps0"] * np.asarray(z, float) ** (-7.0 / 3.0) * e_nr * 1e6, 0.0)
    g = 3.0 * eps**0.15 + 0.7 * eps**0.6 + eps
    return k * g / (1.0 + k * g)
