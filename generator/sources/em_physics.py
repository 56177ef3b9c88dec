"""Electromagnetic interactions of photons and e± in a target: materials, cross sections, samplers.

Processes (all per atom of one element; units GeV, m, m² unless stated):

* **Pair production** γZ → e⁺e⁻Z, Bethe–Heitler with Thomas–Fermi screening and the Coulomb correction
  (Tsai, Rev. Mod. Phys. 46 (1974) 815, Eq. 3.9 form; screening functions Φ₁, Φ₂ in the Butcher–Messel
  approximation, Nucl. Phys. 20 (1960) 15, as given in the Geant4 Physics Reference Manual, "Gamma conversion"):
      dσ/dε = 4αr_e² Z(Z+ξ) {[ε² + (1−ε)²](Φ₁(δ)/4 − ln Z/3 − f) + ⅔ε(1−ε)(Φ₂(δ)/4 − ln Z/3 − f)},
      δ = 136 m_e/(Z^{1/3} k ε(1−ε)),   ε = E₊/k ∈ [m_e/k, 1 − m_e/k].
* **Bremsstrahlung** eZ → eγZ, the same screening functions (Tsai Eq. 3.9, Butcher–Messel):
      dσ/dk = (4αr_e²/k) Z(Z+ξ) {[1 + (1−y)²](Φ₁(δ)/4 − ln Z/3 − f) − ⅔(1−y)(Φ₂(δ)/4 − ln Z/3 − f)},
      y = k/E, δ = 136 m_e y/(Z^{1/3} E (1−y)).
  In complete screening (δ → 0) both reduce to the PDG RPP forms (Eqs. 34.29 and 34.31):
  dσ/dk = A/(X₀N_A k)·(4/3 − 4/3y + y²) and dσ/dx = A/(X₀N_A)·[1 − 4/3 x(1−x)].
* **Compton** γe → γe on free electrons, Klein–Nishina total cross section (formulas-production.md §4.3) and
  the Butcher–Messel sampling of ε = k′/k (Nucl. Phys. 20 (1960) 15; EGS4 manual SLAC-265 §2.9).
* **Annihilation** e⁺e⁻ → γγ on atomic electrons at rest: Heitler's total cross section
      σ = πr_e²/(γ+1)·[(γ² + 4γ + 1)/(γ² − 1)·ln(γ + √(γ²−1)) − (γ + 3)/√(γ²−1)]
  (W. Heitler, The Quantum Theory of Radiation, 3rd ed. (1954); EGS4 manual §2.12) and the photon energy
  spectrum from the spin-averaged |M|² (Peskin & Schroeder Eq. 5.105, electron at rest):
      dσ/dk₁ ∝ k₂/k₁ + k₁/k₂ + 2m(1/k₁ + 1/k₂) − m²(1/k₁ + 1/k₂)²,   k₁ + k₂ = E₊ + m.
* **Ionization**: continuous loss at the minimum-ionization value of the PDG tables (a simplification: the
  relativistic rise and the low-energy rise of dE/dx, and δ-ray production, are ignored), plus the
  restricted radiative loss from photons below the photon cut (complete screening, k dσ/dk at y → 0).
* **Multiple scattering**: Gaussian projected angles with the Highland width (PDG RPP Eq. 34.15).
* **Angles** of brem photons and pair leptons: θ = u m_e/E with u from the "modified Tsai" distribution
  f(u) ∝ u e^{−au} + d u e^{−3au}, a = 0.625, d = 27 (L. Urbán, Geant4 Physics Reference Manual).

Constants: CODATA 2018 via :mod:`scipy.constants`; f(Z), L_rad, L′_rad and X₀ from Tsai (1974) Eqs. 3.3, 3.66
and Table B.2 (formulas-production.md §4.3).
Not included: photoelectric effect and Rayleigh scattering (below ~1 MeV in high Z, under the default cut),
photonuclear reactions, Møller/Bhabha δ rays, the LPM effect (≳ TeV in W).
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numba as nb
import numpy as np
import scipy.constants as sc

from ..constants import ALPHA_EM, AVOGADRO

#: electron mass in GeV (CODATA 2018)
M_E = sc.physical_constants["electron mass energy equivalent in MeV"][0] * 1e-3
#: classical electron radius in m (CODATA 2018)
R_E = sc.physical_constants["classical electron radius"][0]
#: Tsai's radiation logarithms for Z ≤ 4 (Table B.2): Z → (L_rad, L'_rad)
_TSAI_LOW_Z = {1: (5.31, 6.144), 2: (4.79, 5.621), 3: (4.74, 5.805), 4: (4.71, 5.924)}


def coulomb_correction(z: float) -> float:
    """f(Z) = a²[(1 + a²)⁻¹ + 0.20206 − 0.0369a² + 0.0083a⁴ − 0.002a⁶], a = αZ (Tsai 1974 Eq. 3.3)."""
    a2 = (ALPHA_EM * z) ** 2
    return a2 * (1.0 / (1.0 + a2) + 0.20206 - 0.0369 * a2 + 0.0083 * a2 * a2 - 0.002 * a2 ** 3)


def radiation_logs(z: int) -> tuple[float, float]:
    """(L_rad, L′_rad) = (ln 184.15 Z^{-1/3}, ln 1194 Z^{-2/3}) for Z ≥ 5, Tsai's table below."""
    if z in _TSAI_LOW_Z:
        return _TSAI_LOW_Z[z]
    return math.log(184.15 * z ** (-1.0 / 3.0)), math.log(1194.0 * z ** (-2.0 / 3.0))


@dataclass(frozen=True)
class Material:
    """An element: Z, A (g/mol), density (g/cm³), dE/dx_min (MeV cm²/g), critical energy (MeV)."""

    name: str
    Z: int
    A: float
    density: float
    dEdx_min: float
    critical_energy_MeV: float

    @property
    def x0_g_cm2(self) -> float:
        """Radiation length in g/cm²: 716.408 A/[Z²(L_rad − f) + Z L′_rad] (Tsai Eq. 3.66)."""
        lrad, lprad = radiation_logs(self.Z)
        return 716.408 * self.A / (self.Z ** 2 * (lrad - coulomb_correction(self.Z)) + self.Z * lprad)

    @property
    def x0(self) -> float:
        """Radiation length in m."""
        return self.x0_g_cm2 / self.density * 1e-2

    @property
    def atoms_per_m3(self) -> float:
        return self.density * AVOGADRO / self.A * 1e6

    @property
    def xi(self) -> float:
        """ξ = L′_rad/(L_rad − f): the atomic-electron term, Z² → Z(Z + ξ)."""
        lrad, lprad = radiation_logs(self.Z)
        return lprad / (lrad - coulomb_correction(self.Z))

    @property
    def dedx_ion(self) -> float:
        """Continuous ionization loss in GeV/m (minimum-ionization value)."""
        return self.dEdx_min * self.density * 1e-3 * 1e2


@lru_cache(maxsize=None)
def _materials() -> dict:
    with (resources.files(__package__) / "data" / "em_materials.toml").open("rb") as fh:
        return tomllib.load(fh)


def material(name: str) -> Material:
    """The :class:`Material` ``name`` from ``data/em_materials.toml``."""
    table = _materials()
    if name not in table:
        raise ValueError(f"unknown EM material {name!r}; known: {', '.join(table)}")
    row = table[name]
    return Material(name, int(row["Z"]), float(row["A"]), float(row["density"]), float(row["dEdx_min"]),
                    float(row["critical_energy_MeV"]))


# ------------------------------------------------------------------------------ numba scalar kernels
@nb.njit(cache=True)
def screening_phi1(delta: float) -> float:
    """Φ₁(δ) (Butcher–Messel approximation of the Thomas–Fermi screening function)."""
    if delta <= 1.0:
        return 20.867 - 3.242 * delta + 0.625 * delta * delta
    return 21.12 - 4.184 * math.log(delta + 0.952)


@nb.njit(cache=True)
def screening_phi2(delta: float) -> float:
    """Φ₂(δ) (Butcher–Messel)."""
    if delta <= 1.0:
        return 20.209 - 1.930 * delta - 0.086 * delta * delta
    return 21.12 - 4.184 * math.log(delta + 0.952)


#: the Coulomb correction f(Z) is applied above this energy (GeV) only, as in Geant4 (Physics Reference
#: Manual, gamma conversion and bremsstrahlung): below it the Born result with f overcorrects near threshold
COULOMB_CORRECTION_MIN_E = 0.05


@nb.njit(cache=True)
def pair_shape(k: float, eps: float, z13: float, lnz3: float, fz: float) -> float:
    """{...} of dσ/dε for pair production (dimensionless, ≥ 0); lnz3 = ln Z/3, fz = f(Z)."""
    if eps * k <= M_E or (1.0 - eps) * k <= M_E:
        return 0.0
    lnz3f = lnz3 + (fz if k > COULOMB_CORRECTION_MIN_E else 0.0)
    delta = 136.0 * M_E / (z13 * k * eps * (1.0 - eps))
    f1 = screening_phi1(delta) / 4.0 - lnz3f
    f2 = screening_phi2(delta) / 4.0 - lnz3f
    val = (eps * eps + (1.0 - eps) ** 2) * f1 + 2.0 / 3.0 * eps * (1.0 - eps) * f2
    return max(val, 0.0)


@nb.njit(cache=True)
def brem_shape(e_total: float, y: float, z13: float, lnz3: float, fz: float) -> float:
    """{...} of k·dσ/dk for bremsstrahlung (dimensionless, ≥ 0) at photon fraction y = k/E."""
    if y <= 0.0 or y >= 1.0:
        return 0.0
    lnz3f = lnz3 + (fz if e_total > COULOMB_CORRECTION_MIN_E else 0.0)
    delta = 136.0 * M_E * y / (z13 * e_total * (1.0 - y))
    f1 = screening_phi1(delta) / 4.0 - lnz3f
    f2 = screening_phi2(delta) / 4.0 - lnz3f
    val = (1.0 + (1.0 - y) ** 2) * f1 - 2.0 / 3.0 * (1.0 - y) * f2
    return max(val, 0.0)


@nb.njit(cache=True)
def klein_nishina(k: float) -> float:
    """Klein–Nishina total cross section per electron (m²) at photon energy k (GeV)."""
    kap = k / M_E
    if kap < 1e-4:
        return 8.0 / 3.0 * math.pi * R_E * R_E * (1.0 - 2.0 * kap)
    l2 = math.log(1.0 + 2.0 * kap)
    return 2.0 * math.pi * R_E * R_E * ((1.0 + kap) / kap ** 2 * (2.0 * (1.0 + kap) / (1.0 + 2.0 * kap) - l2 / kap)
                                        + l2 / (2.0 * kap) - (1.0 + 3.0 * kap) / (1.0 + 2.0 * kap) ** 2)


@nb.njit(cache=True)
def heitler_annihilation(e_total: float) -> float:
    """e⁺e⁻ → γγ cross section per electron at rest (m²), positron total energy E (GeV)."""
    g = e_total / M_E
    if g <= 1.0 + 1e-9:
        g = 1.0 + 1e-9
    root = math.sqrt(g * g - 1.0)
    return math.pi * R_E * R_E / (g + 1.0) * ((g * g + 4.0 * g + 1.0) / (g * g - 1.0) * math.log(g + root)
                                              - (g + 3.0) / root)


# ------------------------------------------------------------------------------------ total tables
_GL_X, _GL_W = np.polynomial.legendre.leggauss(48)


@dataclass(frozen=True)
class CrossSectionTables:
    """Macroscopic cross sections (1/m) on a log-energy grid for one material and photon cut.

    ``log_e``: ln(E/GeV) grid; ``pair``, ``compton``: photon energy k; ``brem`` (k > cut), ``annihilation``:
    e± total energy E. ``soft_brem_loss``: continuous radiative loss (GeV/m) below the photon cut.
    """

    log_e: np.ndarray
    pair: np.ndarray
    compton: np.ndarray
    brem: np.ndarray
    annihilation: np.ndarray
    soft_brem_loss: float


def pair_cross_section(mat: Material, k: np.ndarray) -> np.ndarray:
    """Pair-production cross section per atom (m²) at photon energies k (GeV), Gauss–Legendre in ε."""
    k = np.atleast_1d(np.asarray(k, dtype=float))
    out = np.zeros_like(k)
    z13, lnz3, fz = mat.Z ** (1.0 / 3.0), math.log(mat.Z) / 3.0, coulomb_correction(mat.Z)
    norm = 4.0 * ALPHA_EM * R_E ** 2 * mat.Z * (mat.Z + mat.xi)
    for i, kk in enumerate(k):
        if kk <= 2.0 * M_E:
            continue
        e0 = M_E / kk
        # symmetric in ε ↔ 1 − ε: integrate [ε₀, 1/2] and double
        eps = e0 + (0.5 - e0) * 0.5 * (_GL_X + 1.0)
        vals = np.array([pair_shape(kk, e, z13, lnz3, fz) for e in eps])
        out[i] = 2.0 * norm * np.sum(_GL_W * vals) * 0.5 * (0.5 - e0)
    return out


def brem_cross_section(mat: Material, e_total: np.ndarray, k_cut: float) -> np.ndarray:
    """Bremsstrahlung cross section per atom (m²) for photons k > k_cut from e± of total energy E (GeV)."""
    e_total = np.atleast_1d(np.asarray(e_total, dtype=float))
    out = np.zeros_like(e_total)
    z13, lnz3, fz = mat.Z ** (1.0 / 3.0), math.log(mat.Z) / 3.0, coulomb_correction(mat.Z)
    norm = 4.0 * ALPHA_EM * R_E ** 2 * mat.Z * (mat.Z + mat.xi)
    for i, e in enumerate(e_total):
        k_max = e - M_E
        if k_max <= k_cut:
            continue
        lo, hi = math.log(k_cut), math.log(k_max)
        lk = lo + (hi - lo) * 0.5 * (_GL_X + 1.0)
        vals = np.array([brem_shape(e, math.exp(x) / e, z13, lnz3, fz) for x in lk])
        out[i] = norm * np.sum(_GL_W * vals) * 0.5 * (hi - lo)
    return out


@lru_cache(maxsize=32)
def cross_section_tables(name: str, k_cut: float, e_min: float = 1e-4, e_max: float = 2e4,
                         n: int = 300) -> CrossSectionTables:
    """Tabulate the macroscopic cross sections of material ``name`` (cached; immutable result)."""
    mat = material(name)
    log_e = np.linspace(math.log(e_min), math.log(e_max), n)
    e = np.exp(log_e)
    n_at = mat.atoms_per_m3
    pair = n_at * pair_cross_section(mat, e)
    compton = n_at * mat.Z * np.array([klein_nishina(x) for x in e])
    brem = n_at * brem_cross_section(mat, e, k_cut)
    ann = n_at * mat.Z * np.array([heitler_annihilation(x) if x > M_E else 0.0 for x in e])
    z13, lnz3, fz = mat.Z ** (1.0 / 3.0), math.log(mat.Z) / 3.0, coulomb_correction(mat.Z)
    # ∫₀^{k_cut} k dσ/dk dk ≈ k_cut × (k dσ/dk)|_{y→0}, complete screening
    soft = n_at * 4.0 * ALPHA_EM * R_E ** 2 * mat.Z * (mat.Z + mat.xi) * k_cut * brem_shape(1e6, 1e-12, z13, lnz3, fz)
    for arr in (pair, compton, brem, ann):
        arr.setflags(write=False)
    return CrossSectionTables(log_e, pair, compton, brem, ann, float(soft))


# ------------------------------------------------------------------------------------- samplers
@nb.njit(cache=True)
def sample_pair_fraction(rng, k: float, z13: float, lnz3: float, fz: float) -> float:
    """Positron energy fraction ε = E₊/k of a pair made by a photon of energy k (GeV).

    ε is drawn uniformly on [m_e/k, 1/2] and accepted with probability pair_shape/bound (the shape is
    symmetric in ε ↔ 1 − ε and falls with δ, so its value at δ(ε = 1/2) bounds it), then mirrored with
    probability 1/2.
    """
    e0 = M_E / k
    dmin = 4.0 * 136.0 * M_E / (z13 * k)
    fcorr = fz if k > COULOMB_CORRECTION_MIN_E else 0.0
    fmax = (screening_phi1(dmin) / 4.0 - lnz3 - fcorr) + max(screening_phi2(dmin) / 4.0 - lnz3 - fcorr, 0.0) / 6.0
    eps = 0.5
    if fmax > 0.0:
        for _ in range(10000):
            eps = e0 + (0.5 - e0) * rng.random()
            if rng.random() * fmax <= pair_shape(k, eps, z13, lnz3, fz):
                break
    if rng.random() < 0.5:
        eps = 1.0 - eps
    return eps


@nb.njit(cache=True)
def sample_brem_energy(rng, e_total: float, k_cut: float, z13: float, lnz3: float, fz: float) -> float:
    """Photon energy k ∈ [k_cut, E − m_e] of a bremsstrahlung emission by an e± of total energy E.

    Proposal dk/k (log-uniform), accepted with probability (k dσ/dk)/bound with bound 2(Φ₁(0)/4 − ln Z/3 − f)
    ≥ brem_shape (the shape is ≤ 2F₁(δ) ≤ 2F₁(0)).
    """
    t = e_total - M_E
    fcorr = fz if e_total > COULOMB_CORRECTION_MIN_E else 0.0
    gmax = 2.0 * (screening_phi1(0.0) / 4.0 - lnz3 - fcorr)
    k = k_cut
    span = math.log(t / k_cut)
    for _ in range(10000):
        k = k_cut * math.exp(rng.random() * span)
        if rng.random() * gmax <= brem_shape(e_total, k / e_total, z13, lnz3, fz):
            break
    return k


@nb.njit(cache=True)
def sample_compton(rng, k: float) -> tuple[float, float]:
    """(ε = k′/k, 1 − cos θ) of a Compton scattering of a photon of energy k on a free electron at rest.

    Butcher–Messel (1960) composition–rejection: ε from the mixture of 1/ε and ε on [ε₀, 1], ε₀ = 1/(1 + 2κ),
    accepted with 1 − ε sin²θ/(1 + ε²) (EGS4 manual SLAC-265 §2.9).
    """
    kap = k / M_E
    eps0 = 1.0 / (1.0 + 2.0 * kap)
    a1 = -math.log(eps0)
    a2 = 0.5 * (1.0 - eps0 * eps0)
    eps, onecost = 1.0, 0.0
    for _ in range(10000):
        if a1 / (a1 + a2) > rng.random():
            eps = math.exp(-a1 * rng.random())
        else:
            eps = math.sqrt(eps0 * eps0 + (1.0 - eps0 * eps0) * rng.random())
        onecost = (1.0 - eps) / (eps * kap)
        sint2 = onecost * (2.0 - onecost)
        if 1.0 - eps * sint2 / (1.0 + eps * eps) >= rng.random():
            break
    return eps, onecost


@nb.njit(cache=True)
def sample_annihilation(rng, e_total: float) -> float:
    """Energy k₁ of one photon of e⁺e⁻ → γγ (positron total energy E, electron at rest); k₂ = E + m − k₁.

    Proposal ∝ 1/k₁ + 1/k₂ on [k_min, k_max] (log-uniform k₁, mirrored with probability 1/2), accepted with
    (|M|²/proposal)/(W + 2m), W = E + m, using |M|² ∝ k₂/k₁ + k₁/k₂ + 2m(1/k₁ + 1/k₂) − m²(1/k₁ + 1/k₂)².
    """
    w = e_total + M_E
    p = math.sqrt(max(e_total * e_total - M_E * M_E, 0.0))
    kmin = M_E * w / (w + p)
    kmax = M_E * w / (w - p)
    k1 = 0.5 * w
    for _ in range(10000):
        k1 = kmin * math.exp(rng.random() * math.log(kmax / kmin))
        if rng.random() < 0.5:
            k1 = w - k1
        k2 = w - k1
        ratio = (k1 * k1 + k2 * k2) / w + 2.0 * M_E - M_E * M_E * w / (k1 * k2)
        if rng.random() * (w + 2.0 * M_E) <= ratio:
            break
    return k1
