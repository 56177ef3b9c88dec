"""Fast electromagnetic cascade in a target: every photon above a cut and the e± and γ track-length spectra.

A class-II condensed-history Monte Carlo (numba kernel, one primary after another, particle stack) with the
processes and cross sections of :mod:`.em_physics` (Bethe–Heitler pair production with screening,
screened bremsstrahlung above the photon cut, Klein–Nishina Compton scattering, e⁺ annihilation in flight
and at rest, continuous ionization loss, Highland multiple scattering). The target is a cylinder of one
element along +z, z ∈ [0, length], radius ``radius`` (m), in the facility frame.

Simplifications (documented; see :mod:`.em_physics`): constant minimum-ionizing dE/dx, no δ rays, no
photoelectric effect or Rayleigh scattering, free-electron Compton, e± below the cut stop where they are
(positrons then annihilate at rest), soft bremsstrahlung below the photon cut as a continuous loss.
Cross sections for discrete interactions are taken at the start of each step; steps are limited to lose
≤ 10 % of the kinetic energy and to ≤ 0.2 X₀.

Outputs per POT (each primary carries its own weight per POT):

* ``photons``: every photon state with energy above the cut — its birth point, momentum, time and weight
  (primaries included by default; a Compton-scattered photon is a new state). With P = σ_X/σ_tot per state
  this gives thick-target yields such as Primakoff (formulas-production.md §4.3).
* ``track_length[s]`` for s in γ, e⁻, e⁺: dℓ/dE in m/GeV on log-spaced bins of total energy, so that
  N = n ∫ dE T(E) σ(E) (formulas-production.md §3.3 and §5.3–5.4).
* ``deposit_profile``: energy deposited per depth bin (GeV per POT), and the energy ledger
  (``energy_in = deposited + escaped`` exactly, with e⁺ counted as T + 2m_e).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numba as nb
import numpy as np

from ..constants import C_M_PER_NS
from .em_physics import (M_E, Material, coulomb_correction, cross_section_tables, material,
                         sample_annihilation, sample_brem_energy, sample_compton, sample_pair_fraction)
from .parents import Parents

_GAMMA, _ELECTRON, _POSITRON = 0, 1, 2
_MAX_LOSS_FRACTION = 0.1
_MAX_STEP_X0 = 0.2


# ------------------------------------------------------------------------------------ small kernels
@nb.njit(cache=True)
def _interp(log_e, table, e):
    """Linear interpolation of ``table`` in ln E (0 outside the grid's low end, clamped at the top)."""
    if e <= 0.0:
        return 0.0
    x = math.log(e)
    n = log_e.size
    if x <= log_e[0]:
        return 0.0
    if x >= log_e[n - 1]:
        return table[n - 1]
    h = (log_e[n - 1] - log_e[0]) / (n - 1)
    i = int((x - log_e[0]) / h)
    if i >= n - 1:
        i = n - 2
    f = (x - log_e[i]) / h
    return table[i] * (1.0 - f) + table[i + 1] * f


@nb.njit(cache=True)
def _rotate(ux, uy, uz, cos_t, phi):
    """Direction at polar angle θ (cos θ given) and azimuth φ around the unit vector u."""
    sin_t = math.sqrt(max(0.0, 1.0 - cos_t * cos_t))
    cp, sp = math.cos(phi), math.sin(phi)
    if abs(uz) > 0.99999999:
        s = 1.0 if uz > 0 else -1.0
        return sin_t * cp, sin_t * sp, s * cos_t
    perp = math.sqrt(1.0 - uz * uz)
    # two unit vectors orthogonal to u
    ax, ay, az = -uy / perp, ux / perp, 0.0
    bx, by, bz = uy * az - uz * ay, uz * ax - ux * az, ux * ay - uy * ax
    vx = cos_t * ux + sin_t * (cp * ax + sp * bx)
    vy = cos_t * uy + sin_t * (cp * ay + sp * by)
    vz = cos_t * uz + sin_t * (cp * az + sp * bz)
    norm = math.sqrt(vx * vx + vy * vy + vz * vz)
    return vx / norm, vy / norm, vz / norm


@nb.njit(cache=True)
def _tsai_u(rng):
    """u of the modified Tsai angular distribution f(u) ∝ u e^{−au} + d u e^{−3au} (a = 0.625, d = 27):
    a mixture of two Gamma(2) laws with weights 1 : d/9."""
    a = 0.625 if rng.random() < 0.25 else 1.875
    return -math.log(rng.random() * rng.random()) / a


@nb.njit(cache=True)
def _distance_out(x, y, z, ux, uy, uz, length, radius):
    """Path length from an inside point to the surface of the cylinder z ∈ [0, L], r ≤ R."""
    s = 1e300
    if uz > 0.0:
        s = (length - z) / uz
    elif uz < 0.0:
        s = -z / uz
    if radius < 1e300:
        a = ux * ux + uy * uy
        if a > 0.0:
            b = x * ux + y * uy
            c = x * x + y * y - radius * radius
            disc = b * b - a * c
            if disc > 0.0:
                sr = (-b + math.sqrt(disc)) / a
                if sr < s:
                    s = sr
    return max(s, 0.0)


@nb.njit(cache=True)
def _grow(arr, n_used):
    new = np.empty((2 * arr.shape[0], arr.shape[1]))
    new[:n_used] = arr[:n_used]
    return new


@nb.njit(cache=True)
def _push(buf, n, kind, e, x, y, z, ux, uy, uz, t):
    """Append a particle row to ``buf`` (grown when full); returns the buffer and the new count."""
    if n >= buf.shape[0]:
        buf = _grow(buf, n)
    buf[n, 0] = kind
    buf[n, 1] = e
    buf[n, 2], buf[n, 3], buf[n, 4] = x, y, z
    buf[n, 5], buf[n, 6], buf[n, 7] = ux, uy, uz
    buf[n, 8] = t
    return buf, n + 1


@nb.njit(cache=True)
def _record_photon(buf, n, k, ux, uy, uz, x, y, z, t, w):
    """Append a photon (px, py, pz, E, x, y, z, t, weight) to ``buf``; returns the buffer and the new count."""
    if n >= buf.shape[0]:
        buf = _grow(buf, n)
    buf[n, 0], buf[n, 1], buf[n, 2], buf[n, 3] = k * ux, k * uy, k * uz, k
    buf[n, 4], buf[n, 5], buf[n, 6] = x, y, z
    buf[n, 7] = t
    buf[n, 8] = w
    return buf, n + 1


@nb.njit(cache=True)
def _add_track(hist, species, log10_lo, dlog10, w, e_hi, e_lo, length):
    """Add ``length`` of track spread uniformly in energy over [e_lo, e_hi] (or at e_hi if equal)."""
    nb_ = hist.shape[1]
    if e_hi <= 0.0:
        return
    if e_hi - e_lo <= 1e-15 * e_hi:
        j = int(math.floor((math.log10(e_hi) - log10_lo) / dlog10))
        if 0 <= j < nb_:
            hist[species, j] += w * length
        return
    per_e = length / (e_hi - e_lo)
    j_lo = int(math.floor((math.log10(e_lo) - log10_lo) / dlog10))
    j_hi = int(math.floor((math.log10(e_hi) - log10_lo) / dlog10))
    for j in range(max(j_lo, 0), min(j_hi, nb_ - 1) + 1):
        b_lo = 10.0 ** (log10_lo + j * dlog10)
        b_hi = 10.0 ** (log10_lo + (j + 1) * dlog10)
        overlap = min(e_hi, b_hi) - max(e_lo, b_lo)
        if overlap > 0.0:
            hist[species, j] += w * per_e * overlap


@nb.njit(cache=True)
def _deposit(profile, dz, w, z, energy):
    j = int(z / dz)
    if j >= profile.size:
        j = profile.size - 1
    if j < 0:
        j = 0
    profile[j] += w * energy


# ------------------------------------------------------------------------------------------- kernel
@nb.njit(cache=True)
def _run(rng, ptype, energy, pos, direc, time, weight, record_primaries,
         z13, lnz3, fz, length, radius, x0, dedx, cut_g, cut_e, c_light,
         log_e, t_pair, t_compton, t_brem, t_ann,
         log10_lo, dlog10, n_ebins, dz, n_zbins):
    hist = np.zeros((3, n_ebins))
    profile = np.zeros(n_zbins)
    ledger = np.zeros(5)  # energy_in, deposited, escaped γ, escaped e⁻, escaped e⁺ (T + 2m)
    photons = np.empty((1024, 9))
    n_ph = 0
    stack = np.empty((256, 9))  # type, E(γ) or T(e±), x, y, z, ux, uy, uz, t
    max_step = _MAX_STEP_X0 * x0

    for ip in range(ptype.size):
        w = weight[ip]
        n_st = 1
        stack[0, 0] = ptype[ip]
        stack[0, 1] = energy[ip]
        stack[0, 2:5] = pos[ip]
        stack[0, 5:8] = direc[ip]
        stack[0, 8] = time[ip]
        ledger[0] += w * (energy[ip] + (2.0 * M_E if ptype[ip] == _POSITRON else 0.0))
        if ptype[ip] == _GAMMA and record_primaries and energy[ip] > cut_g:
            photons, n_ph = _record_photon(photons, n_ph, energy[ip], direc[ip, 0], direc[ip, 1], direc[ip, 2],
                                           pos[ip, 0], pos[ip, 1], pos[ip, 2], time[ip], w)

        while n_st > 0:
            n_st -= 1
            kind = int(stack[n_st, 0])
            e = stack[n_st, 1]
            x, y, z = stack[n_st, 2], stack[n_st, 3], stack[n_st, 4]
            ux, uy, uz = stack[n_st, 5], stack[n_st, 6], stack[n_st, 7]
            t = stack[n_st, 8]
            # secondaries are collected here and pushed after the particle ends
            new = np.empty((4, 9))
            n_new = 0

            if kind == _GAMMA:
                while True:
                    if e <= cut_g:
                        ledger[1] += w * e
                        _deposit(profile, dz, w, z, e)
                        break
                    s_pair = _interp(log_e, t_pair, e)
                    s_comp = _interp(log_e, t_compton, e)
                    s_tot = s_pair + s_comp
                    s_int = -math.log(1.0 - rng.random()) / s_tot
                    s_out = _distance_out(x, y, z, ux, uy, uz, length, radius)
                    s = min(s_int, s_out)
                    _add_track(hist, 0, log10_lo, dlog10, w, e, e, s)
                    x += s * ux
                    y += s * uy
                    z += s * uz
                    t += s / c_light
                    if s_out <= s_int:
                        ledger[2] += w * e
                        break
                    if rng.random() * s_tot < s_pair:
                        # pair production (ε = positron energy fraction)
                        eps = sample_pair_fraction(rng, e, z13, lnz3, fz)
                        for lep in range(2):
                            frac = eps if lep == 0 else 1.0 - eps
                            el = frac * e
                            cth = math.cos(min(_tsai_u(rng) * M_E / el, math.pi))
                            vx, vy, vz = _rotate(ux, uy, uz, cth, 2.0 * math.pi * rng.random())
                            new, n_new = _push(new, n_new, _POSITRON if lep == 0 else _ELECTRON, el - M_E,
                                               x, y, z, vx, vy, vz, t)
                        break
                    # Compton scattering
                    eps, onecost = sample_compton(rng, e)
                    k2 = eps * e
                    phi = 2.0 * math.pi * rng.random()
                    gx, gy, gz = _rotate(ux, uy, uz, 1.0 - onecost, phi)
                    te = e - k2
                    if te > cut_e:
                        px, py, pz = e * ux - k2 * gx, e * uy - k2 * gy, e * uz - k2 * gz
                        pn = math.sqrt(px * px + py * py + pz * pz)
                        new, n_new = _push(new, n_new, _ELECTRON, te, x, y, z, px / pn, py / pn, pz / pn, t)
                    else:
                        ledger[1] += w * te
                        _deposit(profile, dz, w, z, te)
                    e, ux, uy, uz = k2, gx, gy, gz
                    if e > cut_g:
                        photons, n_ph = _record_photon(photons, n_ph, e, ux, uy, uz, x, y, z, t, w)
            else:
                positron = kind == _POSITRON
                species = 2 if positron else 1
                while True:
                    if e <= cut_e:
                        ledger[1] += w * e
                        _deposit(profile, dz, w, z, e)
                        if positron:
                            if M_E > cut_g:
                                cth = 2.0 * rng.random() - 1.0
                                phi = 2.0 * math.pi * rng.random()
                                vx, vy, vz = _rotate(0.0, 0.0, 1.0, cth, phi)
                                new, n_new = _push(new, n_new, _GAMMA, M_E, x, y, z, vx, vy, vz, t)
                                new, n_new = _push(new, n_new, _GAMMA, M_E, x, y, z, -vx, -vy, -vz, t)
                            else:
                                ledger[1] += w * 2.0 * M_E
                                _deposit(profile, dz, w, z, 2.0 * M_E)
                        break
                    etot = e + M_E
                    s_brem = _interp(log_e, t_brem, etot)
                    s_ann = _interp(log_e, t_ann, etot) if positron else 0.0
                    s_tot = s_brem + s_ann
                    s_int = -math.log(1.0 - rng.random()) / s_tot if s_tot > 0.0 else 1e300
                    loss_rate = dedx[0] + dedx[1]
                    s_loss = max(_MAX_LOSS_FRACTION * e, 0.5 * cut_e) / loss_rate
                    s_out = _distance_out(x, y, z, ux, uy, uz, length, radius)
                    s = min(s_int, s_loss, s_out, max_step)
                    escapes = s_out <= min(s_int, s_loss, max_step)
                    de = loss_rate * s
                    if de >= e:
                        de = e
                        s = e / loss_rate
                        escapes = False
                    _add_track(hist, species, log10_lo, dlog10, w, etot, etot - de, s)
                    zmid = z + 0.5 * s * uz
                    x += s * ux
                    y += s * uy
                    z += s * uz
                    beta = math.sqrt(max(1.0 - (M_E / (etot - 0.5 * de)) ** 2, 1e-12))
                    t += s / (beta * c_light)
                    e -= de
                    ledger[1] += w * de
                    _deposit(profile, dz, w, zmid, de)
                    if escapes:
                        ledger[4 if positron else 3] += w * (e + (2.0 * M_E if positron else 0.0))
                        e = -1.0
                        break
                    if e <= cut_e:
                        continue
                    # multiple scattering over the step (Highland, PDG RPP Eq. 34.15)
                    p = math.sqrt(e * (e + 2.0 * M_E))
                    bet = p / (e + M_E)
                    xr = s / x0
                    if xr > 1e-8:
                        th0 = 0.0136 / (bet * p) * math.sqrt(xr) * max(1.0 + 0.038 * math.log(xr / (bet * bet)), 0.0)
                        thx = th0 * rng.standard_normal()
                        thy = th0 * rng.standard_normal()
                        th = math.sqrt(thx * thx + thy * thy)
                        if th > 0.0:
                            ux, uy, uz = _rotate(ux, uy, uz, math.cos(min(th, math.pi)), math.atan2(thy, thx))
                    if s < s_int or s_int >= 1e299:
                        continue
                    etot = e + M_E
                    if rng.random() * s_tot < s_brem:
                        # bremsstrahlung photon k ∈ [cut, T], log-uniform proposal, rejection on k dσ/dk
                        if e <= cut_g:
                            continue
                        k = sample_brem_energy(rng, etot, cut_g, z13, lnz3, fz)
                        cth = math.cos(min(_tsai_u(rng) * M_E / etot, math.pi))
                        vx, vy, vz = _rotate(ux, uy, uz, cth, 2.0 * math.pi * rng.random())
                        new, n_new = _push(new, n_new, _GAMMA, k, x, y, z, vx, vy, vz, t)
                        e -= k
                    else:
                        # annihilation in flight: k₁ from 1/k₁ + 1/k₂ proposal, rejection on |M|²
                        wtot = etot + M_E
                        p = math.sqrt(e * (e + 2.0 * M_E))
                        k1 = sample_annihilation(rng, etot)
                        k2 = wtot - k1
                        cth = min(max((wtot - M_E * wtot / k1) / p, -1.0), 1.0)
                        v1x, v1y, v1z = _rotate(ux, uy, uz, cth, 2.0 * math.pi * rng.random())
                        qx, qy, qz = p * ux - k1 * v1x, p * uy - k1 * v1y, p * uz - k1 * v1z
                        qn = math.sqrt(qx * qx + qy * qy + qz * qz)
                        if qn <= 0.0:
                            qx, qy, qz, qn = -v1x, -v1y, -v1z, 1.0
                        new, n_new = _push(new, n_new, _GAMMA, k1, x, y, z, v1x, v1y, v1z, t)
                        new, n_new = _push(new, n_new, _GAMMA, k2, x, y, z, qx / qn, qy / qn, qz / qn, t)
                        e = -1.0
                        break
                    # after a brem the lepton continues (push its remaining state as a new stack entry)
                    new, n_new = _push(new, n_new, kind, e, x, y, z, ux, uy, uz, t)
                    e = -1.0
                    break

            # push the secondaries; record the photons above the cut at their birth
            for i in range(n_new):
                if new[i, 0] == _GAMMA:
                    if new[i, 1] > cut_g:
                        photons, n_ph = _record_photon(photons, n_ph, new[i, 1], new[i, 5], new[i, 6], new[i, 7],
                                                       new[i, 2], new[i, 3], new[i, 4], new[i, 8], w)
                stack, n_st = _push(stack, n_st, new[i, 0], new[i, 1], new[i, 2], new[i, 3], new[i, 4],
                                    new[i, 5], new[i, 6], new[i, 7], new[i, 8])
    return photons[:n_ph].copy(), hist, profile, ledger


# --------------------------------------------------------------------------------------- Python API
@dataclass(frozen=True)
class CascadeResult:
    """Result of :func:`em_cascade` (all quantities per POT through the primaries' weights).

    ``photons``: every photon state above the cut (see module docstring).
    ``energy_edges``: bin edges (GeV) of the track-length spectra, total energy.
    ``track_length``: {"gamma", "e-", "e+"} → dℓ/dE per bin in m/GeV.
    ``depth_edges`` (m) and ``deposit_profile`` (GeV per bin).
    ``energy_in``, ``deposited``, ``escaped`` {"gamma", "e-", "e+"} in GeV (e⁺ counted as T + 2m_e).
    ``material``: the target element; ``x0``: its radiation length (m).
    """

    photons: Parents
    energy_edges: np.ndarray
    track_length: dict[str, np.ndarray]
    depth_edges: np.ndarray
    deposit_profile: np.ndarray
    energy_in: float
    deposited: float
    escaped: dict[str, float]
    material: Material
    x0: float


def em_cascade(primaries: Parents, target: str | Material, rng: np.random.Generator, length: float,
               radius: float = np.inf, photon_cut: float = 1e-3, electron_cut: float = 1e-3,
               energy_range: tuple[float, float] = (1e-3, 1e3), n_energy_bins: int = 120,
               depth_bin: float | None = None, record_primaries: bool = True) -> CascadeResult:
    """Follow photons, electrons and positrons (``primaries``, pdg 22/11/−11) through a cylindrical target.

    Parameters
    ----------
    primaries : Parents
        Incident particles with their weights per POT; vertices must lie inside the target.
    target : str or Material
        Element name from ``data/em_materials.toml`` (Be, C, Al, Fe, Cu, W, Hg, Pb).
    rng : numpy.random.Generator
        The random stream (passed into the numba kernel).
    length, radius : float
        Target cylinder along +z from z = 0 (m).
    photon_cut, electron_cut : float
        Photons (GeV) and e± kinetic energies (GeV) below which particles deposit their energy locally.
    energy_range, n_energy_bins : track-length histogram range (GeV, total energy) and log-spaced bins.
    depth_bin : float
        Depth bin of the deposit profile (m); default X₀/4.
    record_primaries : bool
        Include the primary photons in ``photons``.
    """
    mat = material(target) if isinstance(target, str) else target
    if not set(np.unique(primaries.pdg)) <= {22, 11, -11}:
        raise ValueError("em_cascade follows photons and e± only (pdg 22, 11, −11)")
    if not (length > 0 and radius > 0 and photon_cut > 0 and electron_cut > 0):
        raise ValueError("length, radius and the cuts must be positive")
    v = primaries.vertex
    inside = (v[:, 2] >= 0) & (v[:, 2] <= length) & (np.hypot(v[:, 0], v[:, 1]) <= radius)
    if not np.all(inside):
        raise ValueError(f"{np.count_nonzero(~inside)} primary vertices lie outside the target")
    tables = cross_section_tables(mat.name, float(photon_cut))
    ptype = np.where(primaries.pdg == 22, _GAMMA, np.where(primaries.pdg == 11, _ELECTRON, _POSITRON))
    p = primaries.p4[:, :3]
    pn = np.linalg.norm(p, axis=1)
    if np.any(pn <= 0):
        raise ValueError("primaries must have non-zero momentum")
    energy = np.where(ptype == _GAMMA, primaries.p4[:, 3], primaries.p4[:, 3] - M_E)
    x0 = mat.x0
    dz = x0 / 4.0 if depth_bin is None else float(depth_bin)
    n_zbins = max(int(math.ceil(min(length, 200.0 * x0) / dz)), 1)
    lo, hi = np.log10(energy_range[0]), np.log10(energy_range[1])
    dlog10 = (hi - lo) / n_energy_bins
    dedx = np.array([mat.dedx_ion, tables.soft_brem_loss])
    photons, hist, profile, ledger = _run(
        rng, ptype.astype(np.int64), energy.astype(float), np.ascontiguousarray(v, dtype=float),
        np.ascontiguousarray(p / pn[:, None]), primaries.t.astype(float), primaries.weight.astype(float),
        record_primaries, mat.Z ** (1.0 / 3.0), math.log(mat.Z) / 3.0, coulomb_correction(mat.Z),
        float(length), float(radius) if np.isfinite(radius) else 1e301, x0, dedx, float(photon_cut),
        float(electron_cut), C_M_PER_NS, tables.log_e, tables.pair, tables.compton, tables.brem,
        tables.annihilation, lo, dlog10, n_energy_bins, dz, n_zbins)
    edges = 10.0 ** (lo + dlog10 * np.arange(n_energy_bins + 1))
    widths = np.diff(edges)
    out = Parents(np.full(len(photons), 22, dtype=np.int32), photons[:, :4].copy(), photons[:, 4:7].copy(),
                  photons[:, 7].copy(), photons[:, 8].copy())
    return CascadeResult(out, edges, {"gamma": hist[0] / widths, "e-": hist[1] / widths, "e+": hist[2] / widths},
                         dz * np.arange(n_zbins + 1), profile, float(ledger[0]), float(ledger[1]),
                         {"gamma": float(ledger[2]), "e-": float(ledger[3]), "e+": float(ledger[4])}, mat, x0)
