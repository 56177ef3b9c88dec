"""Proton bremsstrahlung p N → p N X of a vector X, quasi-real (Fermi–Weizsäcker–Williams)
approximation of Blümlein & Brunner (arXiv:1311.3870; formulas-production.md §2).

Per proton that interacts in the target:

    d²N_X/dz dp_T² = σ_pp(s′)/σ_pp(s) · |F_1^X(m_X²)|² · w(z, p_T²),

w = Blümlein–Brunner w_ba (default), or the alternatives of §2.4–2.5 (``kernel='transverse'``
exact LC-PT transverse kernel, ``'fr'`` Foroughi-Abari–Ritz T+L kernel) with optionally the
off-shell proton form factor |F(p′²)|² (``offshell_lambda`` = Λ_p, e.g. 1.5 GeV). F_1^X is the
VMD timelike form factor for general quark couplings (c_u−c_d)F_ρ + 3(c_u+c_d)F_ω (§2.2), with
widths switched off below 4m_π² (``form_factor_widths='threshold'``, default: F_1(0) = 1 exactly)
or constant (``'constant'``, as BdNMC/ALPINIST and the check values C2–C3; F_1(0) = 0.987 with the
default pole set, a 2.5 % normalisation error at low mass, §8 item 4).

Choice and spread (documented, formulas-production.md §2.3–2.5, §8): BB is the community
standard (BdNMC, FairShip, ALPINIST, SHiP) and the default; it exceeds the exact transverse kernel
by 8 % (0.1 GeV), 1.6× (0.5 GeV), 2.5× (1 GeV); the FR kernel with the off-shell factor
(Λ_p = 1–2 GeV) is 2–70× below BB at m_X ≳ 0.5 GeV — the dominant theory spread. The BB
third-term coefficient is ambiguous (3–5 %; ``third='z'|'one'``).

Integration region (configurable): z ∈ [0.1, 0.9], p_T ≤ 1 GeV (ALPINIST/FairShip choice).

Parents: beam protons at their interaction points (:func:`interacting_protons`), weight =
interaction probability per POT. Each parent gives one X with an exact importance weight
(the kernel over the proposal density of :func:`.splitting.sample_z_pt2`, its p_T mixed with the
detector's cone by :func:`aimed_brem` when the channel is aimed), so the mean weight is
P_int ∫∫ d²N. The recoil proton p′ = p − p_X (3-momentum) is a sibling; the target supplies
the small four-momentum q = p_X + p′ − p (q⁰ ≈ −H/(2z(1−z)p), the light-cone energy denominator).
"""

from __future__ import annotations

import math

import numpy as np

from ..constants import PDG
from ..sources.parents import Parents
from .aiming import aimed_polar
from .base import Channel, DarkParticles, rotate_to
from .splitting import (M_P, check_quasi_real, integrate_kernel, offshell_form_factor, sample_z_pt2,
                        sigma_ratio, vector_form_factor_squared, w_blumlein_brunner, w_transverse,
                        w_transverse_longitudinal)

KERNELS = ("bb", "transverse", "fr")


def interacting_protons(rng: np.random.Generator, n: int, p_beam: float, target_length: float,
                        interaction_length: float, z0: float = 0.0) -> Parents:
    """``n`` beam protons (momentum ``p_beam`` GeV along +z) at their first interaction point
    in a target of length ``target_length`` m starting at z = ``z0``, interaction length
    λ_int ``interaction_length`` m. Vertex z from the truncated exponential; weight = P_int =
    1 − exp(−L/λ_int) per POT; t = path/c (β ≈ 1) in ns."""
    from ..constants import C_M_PER_NS
    from ..sampling import truncated_exponential

    if not (target_length > 0 and interaction_length > 0 and p_beam > 0):
        raise ValueError("interacting_protons needs p_beam, target_length, interaction_length > 0")
    u = rng.random(n)
    depth = truncated_exponential(u, np.zeros(n), np.full(n, target_length), np.full(n, interaction_length))
    vertex = np.zeros((n, 3))
    vertex[:, 2] = z0 + depth
    p4 = np.zeros((n, 4))
    p4[:, 2] = p_beam
    p4[:, 3] = math.hypot(p_beam, M_P)
    p_int = -math.expm1(-target_length / interaction_length)
    return Parents(np.full(n, PDG["proton"], dtype=np.int32), p4, vertex, depth / C_M_PER_NS,
                   np.full(n, p_int))


def brem_rate(channel, m: float, beam_momentum: float) -> float:
    """∫∫ w(z, p_T²) σ_pp(s′)/σ_pp(s) dz dp_T² for a brem channel's ``splitting`` kernel and its
    (z, p_T) ranges (Blümlein–Brunner, arXiv:1311.3870; formulas-production.md §2.1): the rate per
    interacting proton without the coupling factor. Shared by vector and scalar brem."""
    e_p = math.hypot(beam_momentum, M_P)

    def f(z, pt2):
        e_x = np.sqrt((z * beam_momentum) ** 2 + pt2 + m * m)
        return channel.splitting(z, pt2, m) * sigma_ratio(e_p, e_x)

    return integrate_kernel(f, m, channel.z_min, channel.z_max, channel.pt2_max)


def brem_kinematics(parents: Parents, m: float, z: np.ndarray, pt2: np.ndarray, phi: np.ndarray
                    ) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """X and recoil-proton four-momenta for splitting variables (z, p_T², φ) about each parent's
    direction; returns (p4_X, p4_p′, |p_parent|)."""
    p = np.linalg.norm(parents.p4[:, :3], axis=1)
    pl = z * p
    pt = np.sqrt(pt2)
    local = np.stack([pt * np.cos(phi), pt * np.sin(phi), pl], axis=1)
    px = rotate_to(parents.p4[:, :3], local)
    p4x = np.empty((len(p), 4))
    p4x[:, :3] = px
    p4x[:, 3] = np.sqrt(pl * pl + pt2 + m * m)
    p4r = np.empty_like(p4x)
    p4r[:, :3] = parents.p4[:, :3] - px
    p4r[:, 3] = np.sqrt(np.sum(p4r[:, :3] ** 2, axis=1) + M_P * M_P)
    return p4x, p4r, p


def aimed_brem(parents: Parents, m: float, u: np.ndarray, z_min: float, z_max: float, pt2_max: float,
               z_proposal: str, kernel, aim, rng: np.random.Generator):
    """(z, p_T², φ, w, importance) of brem samples, the X direction drawn toward ``aim``.

    (z, p_T²) come from :func:`.splitting.sample_z_pt2` (uniform deviates ``u`` (n, 3)); at fixed z
    the X's polar angle about the proton is tan θ = p_T/(z p), so the p_T² proposal and the
    physical density ``kernel(z, p_T², E_X)`` (per unit z and p_T², the coupling included) become
    densities in θ with dp_T²/dθ = 2(zp)² tan θ / cos²θ, and
    :func:`darkbeam.production.aiming.aimed_polar` mixes them with the detector's cone (θ < π/2,
    p_T² ≤ p_T,max² only; 0 elsewhere). ``w`` is the exact weight kernel/q of the sample."""
    z, pt2_plain, inv_q = sample_z_pt2(u[:, 0], u[:, 1], m, z_min, z_max, pt2_max, z_proposal)
    h0 = (1 - z) * m * m + z * z * M_P * M_P
    lg = np.log1p(pt2_max / h0)
    inv_qz = inv_q / ((pt2_plain + h0) * lg)
    zp = z * np.linalg.norm(parents.p4[:, :3], axis=1)

    def pt2_of(theta, rows):
        return (zp[rows] * np.tan(np.minimum(theta, 0.5 * math.pi))) ** 2

    def jacobian(theta, rows):
        ok = theta < 0.5 * math.pi
        c = np.where(ok, np.cos(theta), 1.0)
        return np.where(ok, 2 * zp[rows] ** 2 * np.tan(np.where(ok, theta, 0.0)) / c**2, 0.0)

    def proposal(theta, rows):
        pt2 = pt2_of(theta, rows)
        q = 1.0 / ((pt2 + h0[rows]) * lg[rows])
        return np.where(pt2 <= pt2_max, q * jacobian(theta, rows), 0.0)

    def target(theta, rows):
        pt2 = pt2_of(theta, rows)
        e_x = np.sqrt(zp[rows] ** 2 + pt2 + m * m)
        k = kernel(z[rows], pt2, e_x, rows) * inv_qz[rows]
        return np.where(pt2 <= pt2_max, k * jacobian(theta, rows), 0.0)

    theta_plain = np.arctan2(np.sqrt(pt2_plain), zp)
    theta, phi, w, importance = aimed_polar(parents.p4[:, :3], parents.vertex, theta_plain,
                                            2 * math.pi * u[:, 2], aim, rng, target, proposal)
    return z, pt2_of(theta, np.arange(len(z))), phi, w, importance


def produce_brem(channel, parents: Parents, model, rng: np.random.Generator, coupling2: float,
                 z_proposal: str) -> DarkParticles:
    """One X per beam proton for a brem ``channel`` (its ``splitting`` kernel, z and p_T ranges):
    (z, p_T²) aimed by :func:`aimed_brem`, weight kernel × σ_pp(s′)/σ_pp(s) × ``coupling2`` / q,
    the recoil proton as sibling. Shared by vector and scalar brem."""
    m = model.mass
    e_p = parents.p4[:, 3]

    def kernel(z, pt2, e_x, rows):
        return channel.splitting(z, pt2, m) * sigma_ratio(e_p[rows], e_x) * coupling2

    z, pt2, phi, w, importance = aimed_brem(parents, m, rng.random((len(parents), 3)), channel.z_min,
                                            channel.z_max, channel.pt2_max, z_proposal, kernel, channel.aim, rng)
    p4x, p4r, p = brem_kinematics(parents, m, z, pt2, phi)
    check_quasi_real(p, m, channel.z_min, channel.z_max, channel.pt2_max, channel.name)
    return DarkParticles(
        pdg=model.pdgid, mass=m, p4=p4x, vertex=parents.vertex, t=parents.t,
        weight=parents.weight * w, origin=parents.vertex, t_origin=parents.t,
        parent_pdg=parents.pdg, parent_p4=parents.p4, parent_vertex=parents.vertex,
        siblings=((PDG["proton"], p4r),), importance=importance)


class ProtonBremChannel(Channel):
    """p N → p N X for a vector X (see module docstring for the options)."""

    name = "proton_brem"
    parent = "proton"

    def __init__(self, z_min: float = 0.1, z_max: float = 0.9, pt_max: float = 1.0,
                 kernel: str = "bb", third: str = "z", offshell_lambda: float | None = None,
                 form_factor_widths: str = "threshold", form_factor_params=None):
        if not 0 < z_min < z_max < 1:
            raise ValueError(f"proton_brem needs 0 < z_min < z_max < 1, got {z_min}, {z_max}")
        if pt_max <= 0:
            raise ValueError(f"proton_brem needs pt_max > 0 GeV, got {pt_max}")
        if kernel not in KERNELS:
            raise ValueError(f"proton_brem kernel must be one of {KERNELS}, got {kernel!r}")
        if third not in ("z", "one"):
            raise ValueError(f"proton_brem third must be 'z' or 'one', got {third!r}")
        self.z_min, self.z_max, self.pt2_max = z_min, z_max, pt_max * pt_max
        self.kernel, self.third, self.offshell_lambda = kernel, third, offshell_lambda
        if form_factor_widths not in ("threshold", "constant"):
            raise ValueError(f"form_factor_widths must be 'threshold' or 'constant', got {form_factor_widths!r}")
        self.form_factor_widths = form_factor_widths
        self.form_factor_params = form_factor_params

    def accepts(self, model) -> bool:
        return hasattr(model, "meson_factor")

    def form_factor_squared(self, model) -> float:
        return vector_form_factor_squared(model.mass, model.coupling("u"), model.coupling("d"),
                                          self.form_factor_widths, self.form_factor_params)

    def closed_reason(self, model) -> str | None:
        if self.form_factor_squared(model) == 0.0:
            return f"{self.name}: the model's proton form factor F_1^X vanishes (zero yield)"
        return None

    def splitting(self, z, pt2, m):
        """Kernel w(z, p_T²) per unit coupling including the optional off-shell factor."""
        if self.kernel == "bb":
            w = w_blumlein_brunner(z, pt2, m, self.third)
        elif self.kernel == "transverse":
            w = w_transverse(z, pt2, m)
        else:
            w = w_transverse_longitudinal(z, pt2, m)
        if self.offshell_lambda is not None:
            w = w * offshell_form_factor(z, pt2, m, self.offshell_lambda)
        return w

    def production_scale(self, model) -> float:
        """The coupling factor of the weight (|F₁|² × couplings² at fixed kinematics): the ratio of
        two models' values reweights a sample exactly (darkbeam.scan)."""
        return self.form_factor_squared(model)

    def rate(self, model, beam_momentum: float) -> float:
        """X per interacting proton of momentum ``beam_momentum`` (GeV): ∫∫ d²N/dz dp_T²."""
        return self.form_factor_squared(model) * brem_rate(self, model.mass, beam_momentum)

    def produce(self, parents: Parents, model, rng: np.random.Generator) -> DarkParticles:
        closed = self._closed(model)
        if closed is not None:
            return closed
        return produce_brem(self, parents, model, rng, self.form_factor_squared(model), "log")
