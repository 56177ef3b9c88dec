"""The scattering processes of a ScatterSignal: cross section, sampling variable, final state.

Each process knows on which scattering centres it acts (``"electron"`` or ``"nucleus"``), the
variable it samples (``"T"`` recoil kinetic energy, or ``"v"`` = 1 − cosθ of the photon), its
differential cross section from :mod:`darkbeam.scattering.cross_sections`, and how to build the
final state (exact 2 → 2 kinematics, four-momentum conserved).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from ..constants import ALPHA_EM
from ..errors import DarkbeamError
from . import cross_sections as xs
from .kinematics import elastic_recoil, photon_at_angle
from .targets import Nucleus

M_E = xs.M_E
PDG_E, PDG_GAMMA = 11, 22
#: smallest v = 1 − cosθ sampled for the photon processes (below it the screened/massive
#: integrands vanish ∝ v; the truncated part is < 10⁻¹⁰ of σ for E ≤ 100 GeV)
V_MIN = 1e-18
#: lowest recoil sampled when no threshold is given, as a fraction of T_max
T_FLOOR = 1e-9


@dataclass(frozen=True)
class Electron:
    """The electron as a scattering centre."""

    density: float
    mass: float = M_E
    pdgid: int = PDG_E


@dataclass(frozen=True)
class Nucleon:
    """Protons (``kind="p"``) or neutrons (``"n"``) bound in nuclei, treated as free (§3.3)."""

    kind: str
    density: float

    @property
    def mass(self) -> float:
        return xs.mass(2212) if self.kind == "p" else xs.mass(2112)

    @property
    def pdgid(self) -> int:
        return 2212 if self.kind == "p" else 2112


def _vector_model(model, process):
    from ..models import VectorMediator
    if not isinstance(model, VectorMediator):
        raise DarkbeamError(f"scatter process {process!r} needs a vector-mediator model, got {type(model).__name__}")
    return model


def _dm(model, process):
    model = _vector_model(model, process)
    dm = model.dark_matter
    if dm is None or dm.kind not in ("dirac", "complex_scalar"):
        raise DarkbeamError(f"scatter process {process!r} needs Dirac or complex-scalar dark matter in the "
                            f"model, got {dm!r} (inelastic up-scattering is not implemented)")
    return model, dm


def _ratio2(new: float, ref: float) -> float | None:
    """(new/ref)²: None if only ref is 0 (a zero sample cannot be scaled up), 0 if both are."""
    if ref == 0.0:
        return 0.0 if new == 0.0 else None
    return (new / ref) ** 2


def _proportional_ratio2(new: tuple[float, float], ref: tuple[float, float]) -> float | None:
    """(λ)² if ``new`` = λ·``ref`` (two couplings in the same proportion), None otherwise."""
    (a1, b1), (a0, b0) = new, ref
    if abs(a1 * b0 - b1 * a0) > 1e-12 * (abs(a1 * b0) + abs(b1 * a0)):
        return None
    return _ratio2(a1, a0) if a0 != 0.0 else _ratio2(b1, b0)


def _alpha_d_ratio(new, ref) -> float | None:
    return _ratio2(math.sqrt(new.dark_matter.alpha_d), math.sqrt(ref.dark_matter.alpha_d))


def _times(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a * b


class Process:
    name: str
    target_kind: str
    variable: str

    def coupling_ratio(self, ref, new) -> float | None:
        """dσ(new)/dσ(ref) when the two models' cross sections differ by one factor at every
        kinematic point and on every scattering centre (the same mass), else None. Used to
        reweight a sample in the couplings (:mod:`darkbeam.scan.reweight`)."""
        return None

    def centres(self, targets) -> list:
        if self.target_kind == "electron":
            return [Electron(targets.electron_density)]
        return list(targets.nuclei)

    def range(self, energy, m_x, centre, recoil_min, recoil_max):
        """Sampling range (lo, hi) per event."""
        if self.variable == "v":
            return np.full_like(energy, V_MIN), np.full_like(energy, 2.0)
        tmax = xs.elastic_t_max(energy, m_x, centre.mass)
        hi = np.minimum(tmax, recoil_max)
        lo = np.maximum(recoil_min, T_FLOOR * tmax)
        return lo, hi

    def final_state(self, p4, x_pdg, var, phi, centre, m_x):
        """((pdg, p4), ...) of the outgoing particles, visible energy, recoil kinetic energy."""
        out, rec = elastic_recoil(p4, centre.mass, var, phi)
        return ((x_pdg, out), (centre.pdgid, rec)), var, var


@dataclass(frozen=True)
class DarkMatterElectron(Process):
    """χ e → χ e through the vector mediator (formulas-detection.md §3.1)."""

    name: str = "dm_electron"
    target_kind: str = "electron"
    variable: str = "T"

    def coupling_ratio(self, ref, new) -> float | None:
        """dσ ∝ α_D c_e²."""
        return _times(_alpha_d_ratio(new, ref), _ratio2(new.coupling("e"), ref.coupling("e")))

    def density(self, model, x_pdg, m_x, centre):
        model, dm = _dm(model, self.name)
        c2 = 4 * math.pi * dm.alpha_d * 4 * math.pi * ALPHA_EM * model.coupling("e") ** 2
        return lambda t, e: xs.dsigma_dt_dm_electron(t, e, m_x, model.mass, c2, dm.kind)


@dataclass(frozen=True)
class DarkMatterNucleus(Process):
    """Coherent χ N → χ N with Helm F² (formulas-detection.md §3.2)."""

    name: str = "dm_nucleus"
    target_kind: str = "nucleus"
    variable: str = "T"

    def coupling_ratio(self, ref, new) -> float | None:
        """dσ ∝ α_D (Z c_p + N c_n)²: one factor for every nucleus iff (c_p, c_n) keep their
        proportion (always for ε alone, or for a common scale of all couplings)."""
        pn = (new.coupling("p"), new.coupling("n"))
        return _times(_alpha_d_ratio(new, ref), _proportional_ratio2(pn, (ref.coupling("p"), ref.coupling("n"))))

    def density(self, model, x_pdg, m_x, centre: Nucleus):
        model, dm = _dm(model, self.name)
        c2 = 4 * math.pi * dm.alpha_d * 4 * math.pi * ALPHA_EM * model.nuclear_charge(centre.z, centre.n) ** 2
        return lambda t, e: xs.dsigma_dt_dm_nucleus(t, e, m_x, model.mass, c2, centre.a, centre.mass, dm.kind)


@dataclass(frozen=True)
class DarkMatterNucleon(Process):
    """Incoherent χ p, χ n → χ p, χ n with dipole/Galster form factors (formulas-detection.md §3.3),
    every nucleon of the medium counted (Z protons + N neutrons per nucleus; Pauli blocking and
    binding neglected — use with a recoil threshold, |q| ≳ 0.2 GeV)."""

    name: str = "dm_nucleon"
    target_kind: str = "nucleon"
    variable: str = "T"

    def centres(self, targets) -> list:
        n_p = sum(x.z * x.density for x in targets.nuclei)
        n_n = sum(x.n * x.density for x in targets.nuclei)
        return [Nucleon("p", n_p), Nucleon("n", n_n)]

    def coupling_ratio(self, ref, new) -> float | None:
        """dσ ∝ α_D × a quadratic form in (c_u, c_d) through the nucleon form factors: one factor
        iff (c_u, c_d) keep their proportion."""
        ud = (new.coupling("u"), new.coupling("d"))
        return _times(_alpha_d_ratio(new, ref), _proportional_ratio2(ud, (ref.coupling("u"), ref.coupling("d"))))

    def density(self, model, x_pdg, m_x, centre: Nucleon):
        model, dm = _dm(model, self.name)
        g2 = 4 * math.pi * dm.alpha_d
        cu, cd = model.coupling("u"), model.coupling("d")
        return lambda t, e: xs.dsigma_dt_dm_nucleon(t, e, m_x, model.mass, g2, cu, cd, centre.kind, dm.kind)


_NU = tuple(xs.NU_FLAVOUR.values())     #: the neutrino flavours' coupling names


def _same_mediator_couplings(ref, new, targets: tuple[str, ...]) -> float | None:
    """SM + mediator amplitudes interfere, so the cross section scales by no single factor; it is
    unchanged (ratio 1) when every product c_ν·c_f that enters (ν flavour × target fermion f) is
    unchanged — e.g. ε of a dark photon, which has c_ν = 0. None otherwise."""
    from ..models import VectorMediator
    if not (isinstance(ref, VectorMediator) and isinstance(new, VectorMediator)):
        return 1.0 if type(ref) is type(new) else None
    same = all(ref.coupling(nu) * ref.coupling(f) == new.coupling(nu) * new.coupling(f)
               for nu in _NU for f in targets)
    return 1.0 if same else None



def _nu_couplings(model, x_pdg):
    """(c_ν, c_u, c_d, c_e, m_X) of a vector-mediator model for the neutrino ``x_pdg``; zeros (SM
    only) when the model is not a vector mediator (e.g. ``None``)."""
    from ..models import VectorMediator
    flav = xs.NU_FLAVOUR.get(abs(int(x_pdg)))
    if flav is None:
        raise DarkbeamError(f"neutrino scattering needs a neutrino beam particle, got PDG {x_pdg}")
    if not isinstance(model, VectorMediator):
        return 0.0, 0.0, 0.0, 0.0, 1.0
    return (model.coupling(flav), model.coupling("u"), model.coupling("d"), model.coupling("e"), model.mass)


@dataclass(frozen=True)
class CEvNS(Process):
    """ν N → ν N coherent, SM + the model's vector mediator, per flavour (formulas-detection.md §3.6)."""

    name: str = "cevns"
    target_kind: str = "nucleus"
    variable: str = "T"
    s_w2: float | None = None
    #: SM couplings: "radiative" (default of data/parameters.toml) or "tree" (:func:`~.cross_sections.cevns_sm_couplings`)
    couplings: str | None = None

    def __post_init__(self) -> None:
        if self.couplings is not None and self.couplings not in xs.CEVNS_COUPLINGS:
            raise DarkbeamError(f"cevns couplings = {self.couplings!r}: expected one of "
                                f"{', '.join(xs.CEVNS_COUPLINGS)}")

    def coupling_ratio(self, ref, new) -> float | None:
        return _same_mediator_couplings(ref, new, ("u", "d"))

    def density(self, model, x_pdg, m_x, centre: Nucleus):
        c_nu, c_u, c_d, _, m_med = _nu_couplings(model, x_pdg)
        return lambda t, e: xs.dsigma_dt_cevns(t, e, centre.z, centre.n, centre.mass, centre.a, c_nu=c_nu,
                                               c_u=c_u, c_d=c_d, m_med=m_med, s_w2=self.s_w2,
                                               couplings=self.couplings)


@dataclass(frozen=True)
class NeutrinoElectron(Process):
    """ν e → ν e, SM (NC, + CC for ν_e) + the model's vector mediator (formulas-detection.md §3.7)."""

    name: str = "nu_electron"
    target_kind: str = "electron"
    variable: str = "T"
    s_w2: float | None = None

    def coupling_ratio(self, ref, new) -> float | None:
        return _same_mediator_couplings(ref, new, ("e",))

    def density(self, model, x_pdg, m_x, centre):
        c_nu, _, _, c_e, m_med = _nu_couplings(model, x_pdg)
        return lambda t, e: xs.dsigma_dt_nu_electron(t, e, int(x_pdg), c_nu=c_nu, c_e=c_e, m_med=m_med,
                                                     s_w2=self.s_w2)


def _alp(model, name):
    from ..models import ALP
    if not isinstance(model, ALP):
        raise DarkbeamError(f"scatter process {name!r} needs an ALP model, got {type(model).__name__}")
    return model


@dataclass(frozen=True)
class InversePrimakoff(Process):
    """a N → γ N (formulas-detection.md §3.4); photon angle sampled, E_γ from exact kinematics."""

    name: str = "inverse_primakoff"
    target_kind: str = "nucleus"
    variable: str = "v"

    def coupling_ratio(self, ref, new) -> float | None:
        """dσ ∝ g_aγγ²."""
        return _ratio2(new.g_agg, ref.g_agg)

    def density(self, model, x_pdg, m_x, centre: Nucleus):
        g = _alp(model, self.name).g_agg
        return lambda v, e: xs.dsigma_dv_primakoff(v, e, m_x, g, centre.z, centre.a)

    def final_state(self, p4, x_pdg, var, phi, centre, m_x):
        eg = xs.compton_photon_energy(var, p4[:, 3], m_x, centre.mass)
        k, rec = photon_at_angle(p4, centre.mass, var, eg, phi)
        return ((PDG_GAMMA, k), (centre.pdgid, rec)), eg, rec[:, 3] - centre.mass


@dataclass(frozen=True)
class InverseCompton(Process):
    """a e → γ e (formulas-detection.md §3.5); visible energy E_γ + T_e."""

    name: str = "inverse_compton"
    target_kind: str = "electron"
    variable: str = "v"

    def coupling_ratio(self, ref, new) -> float | None:
        """dσ ∝ g_aee²."""
        return _ratio2(new.g_aee, ref.g_aee)

    def density(self, model, x_pdg, m_x, centre):
        g = _alp(model, self.name).g_aee
        return lambda v, e: xs.dsigma_dv_inverse_compton(v, e, m_x, g)

    def final_state(self, p4, x_pdg, var, phi, centre, m_x):
        eg = xs.compton_photon_energy(var, p4[:, 3], m_x, M_E)
        k, rec = photon_at_angle(p4, M_E, var, eg, phi)
        t_e = rec[:, 3] - M_E
        return ((PDG_GAMMA, k), (PDG_E, rec)), eg + t_e, t_e


PROCESSES = {p.name: p for p in (DarkMatterElectron(), DarkMatterNucleus(), DarkMatterNucleon(), CEvNS(), NeutrinoElectron(),
                                 InversePrimakoff(), InverseCompton())}
