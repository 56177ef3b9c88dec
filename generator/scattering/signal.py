"""Scattering of the beam particles (dark matter, ALPs, neutrinos) inside the detector.

For each particle whose line crosses the detector on [ℓ_in, ℓ_out] (chord Δ = ℓ_out − ℓ_in):

* every scattering centre j of the medium (nuclear species, or the electrons) gets a recoil sampled
  from its dσ/dx on a per-event log grid (:func:`~darkbeam.scattering.sampling.log_grid_sample`),
  with the exact importance ratio r_j = f_j(x)/q_j(x) and the grid estimate σ̂_j;
* one centre is chosen with probability P_j = n_j σ̂_j / λ̂, λ̂ = Σ n_j σ̂_j (m⁻¹);
* the event's interaction probability is ``p_interact`` = (1 − e^{−λ̂Δ}) · r_j/σ̂_j. Its mean over the
  sampling is (1 − e^{−λ̂Δ})/λ̂ · Σ_j n_j σ_j, i.e. exactly Δ Σ n_j σ_j (the thin-target n·σ·L, with
  E[r_j] = σ_j inside the recoil window) up to the attenuation factor (1 − e^{−λ̂Δ})/(λ̂Δ), which is 1
  for thin detectors and gives the probability of a first interaction for thick ones (there the
  attenuation uses the grid estimate σ̂, accurate to ~10⁻³);
* the vertex is drawn from e^{−λ̂ℓ} truncated to the chord (→ uniform when λ̂Δ ≪ 1), the same exact
  inverse CDF as decays in flight (formulas-detection.md §5.4).
* an X that can decay (an ALP or a mediator scattering, not dark matter or a neutrino) must reach
  the vertex first: ``p_interact`` also carries its survival e^{−ℓ/(βγcτ)} to the sampled vertex
  ℓ (:func:`survival`), whose mean over the vertex density is the exact probability to survive
  to ℓ and scatter there.

Cuts: the recoil window [recoil_min, recoil_max] on the sampled kinetic energy T restricts the
sampling range itself (no event is wasted below threshold); the visible-energy window, the angle
of the visible particle to the beam axis (+z) and the time window act through ``passed``.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

import numpy as np

from ..constants import C_M_PER_NS
from ..errors import DarkbeamError
from ..sampling import probability_in_segment, truncated_exponential
from .processes import PROCESSES
from .sampling import log_grid_sample
from .targets import Targets, targets_from_material

if TYPE_CHECKING:  # darkbeam.response reads this package's parameter file
    from ..response import Response

CM2_TO_M2 = 1e-4


@lru_cache(maxsize=None)
def _material_targets(name: str, isotopes: tuple[tuple[str, int], ...] = ()) -> Targets:
    from ..detectors import load_material
    return targets_from_material(load_material(name), dict(isotopes))


def detector_targets(detector) -> Targets:
    """Scattering centres of a detector: its material (catalog name or custom composition) split into
    natural isotopes, or the isotopes its ``isotopes`` key names (:func:`targets_from_material`)."""
    isotopes = tuple(getattr(detector, "isotopes", ()) or ())
    custom = getattr(detector, "custom_material", None)
    if custom is not None:
        return targets_from_material(custom, dict(isotopes))
    return _material_targets(detector.material, isotopes)


@dataclass(frozen=True)
class ScatterSignal:
    """Beam particle X scatters in ``detector`` by ``process`` (a key of :data:`PROCESSES`).

    Parameters (GeV, rad, ns): ``recoil_min``/``recoil_max`` window on the recoil kinetic energy T
    (electron or nucleus; for the photon processes the recoil is computed and cut after sampling);
    ``energy_min``/``energy_max`` window on the visible energy (T for elastic processes, E_γ
    (+ T_e for a e → γ e) for ALP conversion); ``angle_max`` on the angle of the visible particle
    (recoil, or photon) to +z; ``time_min``/``time_max`` on the interaction time ``t`` (ns, facility
    clock); ``efficiency`` a constant factor; ``targets`` the medium (default: the detector's catalog
    material); ``n_bins`` the sampling grid size.
    """

    process: str = "dm_electron"
    recoil_min: float = 0.0
    recoil_max: float = np.inf
    energy_min: float = 0.0
    energy_max: float = np.inf
    angle_max: float = np.pi
    time_min: float = -np.inf
    time_max: float = np.inf
    efficiency: float = 1.0
    targets: Targets | None = None
    n_bins: int = 32
    response: Response | None = None
    #: SM weak couplings of CEvNS: None (the data file's default, "radiative") or "tree"/"radiative"
    weak_couplings: str | None = None

    def __post_init__(self) -> None:
        if self.process not in PROCESSES:
            raise DarkbeamError(f"unknown scatter process {self.process!r}; known: {', '.join(PROCESSES)}")
        if not (0 <= self.recoil_min < self.recoil_max):
            raise DarkbeamError(f"recoil window [{self.recoil_min}, {self.recoil_max}] GeV: expected "
                                "0 <= recoil_min < recoil_max")
        if not (0 < self.efficiency <= 1):
            raise DarkbeamError(f"efficiency {self.efficiency}: expected 0 < efficiency <= 1")
        if self.weak_couplings is not None:
            if not hasattr(PROCESSES[self.process], "couplings"):
                raise DarkbeamError(f"weak_couplings = {self.weak_couplings!r} applies to process 'cevns', "
                                    f"not {self.process!r}")
            self.process_model()            # validates the value

    def process_model(self):
        """The :class:`~.processes.Process` with this signal's options (CEvNS couplings)."""
        proc = PROCESSES[self.process]
        if self.weak_couplings is not None:
            proc = dataclasses.replace(proc, couplings=self.weak_couplings)
        return proc

    def closed_reason(self, model) -> str | None:
        return None

    def interaction_ratio(self, ref, new) -> float | None:
        """p_interact(new)/p_interact(ref) for the same X when the process's cross section changes
        by one factor k between the two models (the recoil distribution and the choice of centre
        are then unchanged; p = 1 − e^{−λΔ} scales as k while λΔ ≪ 1); None when it does not
        (see ``Process.coupling_ratio``)."""
        return PROCESSES[self.process].coupling_ratio(ref, new)

    def medium(self, detector) -> Targets:
        return self.targets if self.targets is not None else detector_targets(detector)

    def apply(self, x, detector, model, rng: np.random.Generator) -> dict:
        """Event columns for the X that cross the detector (see :mod:`darkbeam.events`)."""
        l_in, l_out = detector.intersect(x.vertex, x.directions)
        hit = np.isfinite(l_in)
        x = x.select(hit)
        l_in, l_out = l_in[hit], l_out[hit]
        n = len(x)
        proc = self.process_model()
        p = x.momentum
        e = x.p4[:, 3]
        with np.errstate(divide="ignore"):
            beta_gamma = p / x.mass if x.mass > 0 else np.full(n, np.inf)
        u = rng.random((n, 5))
        lo_t = self.recoil_min if proc.variable == "T" else 0.0
        hi_t = self.recoil_max if proc.variable == "T" else np.inf

        centres = proc.centres(self.medium(detector))
        # the photon angle spans ~18 decades in v = 1 − cosθ: twice the bins keep the variance low
        n_bins = self.n_bins * (2 if proc.variable == "v" else 1)
        samples, ratios, lams = [], [], []
        for c in centres:
            f = proc.density(model, x.species, x.mass, c)
            lo, hi = proc.range(e, x.mass, c, lo_t, hi_t)
            xs_, r, integral = log_grid_sample(lambda z, f=f: f(z, e[:, None]), lo, hi, u[:, 0], u[:, 1],
                                               n_bins)
            samples.append(xs_)
            ratios.append(np.where(integral > 0, r / np.where(integral > 0, integral, 1.0), 0.0))
            lams.append(c.density * integral * CM2_TO_M2)
        lam_j = np.stack(lams, axis=1)                              # (n, n_centres) m⁻¹
        lam = lam_j.sum(axis=1)
        cum = np.cumsum(lam_j, axis=1) / np.where(lam > 0, lam, 1.0)[:, None]
        j = np.minimum((cum < u[:, 2:3]).sum(axis=1), len(centres) - 1)
        rows = np.arange(n)
        var = np.stack(samples, axis=1)[rows, j]
        ratio = np.stack(ratios, axis=1)[rows, j]
        # closed kinematics (window above T_max, or σ = 0): zero weight, and a no-recoil final state
        # so that the recorded four-momenta stay physical
        var = np.where(ratio > 0, var, 0.0)
        span = l_out - l_in
        with np.errstate(divide="ignore"):
            att_len = np.where(lam > 0, 1.0 / np.where(lam > 0, lam, 1.0), np.inf)
        p_interact = probability_in_segment(np.zeros(n), span, att_len) * ratio
        p_interact = np.where(lam > 0, p_interact, 0.0)
        ell = truncated_exponential(u[:, 4], l_in, l_out, att_len)
        p_stable = p_interact        # as if X could not decay (the warm-up's coupling-free weight)
        p_interact = p_interact * survival(model, x.species, ell, beta_gamma)
        vtx = x.vertex + ell[:, None] * x.directions
        beta = p / e
        t_vtx = x.t + ell / (beta * C_M_PER_NS)
        light = np.linalg.norm(vtx - x.origin, axis=1) / C_M_PER_NS
        delay = np.maximum(t_vtx - x.t_origin - light, 0.0)

        # final state, centre by centre (vectorised within each)
        phi = 2 * np.pi * u[:, 3]
        products, visible, recoil = None, np.zeros(n), np.zeros(n)
        for k, c in enumerate(centres):
            m = j == k
            if not m.any() and k < len(centres) - 1:
                continue
            prods, vis, rec = proc.final_state(x.p4[m], x.pdgs[m], var[m], phi[m], c, x.mass)
            if products is None:
                products = [(pdg, np.zeros((n, 4))) for pdg, _ in prods]
                pdg_cols = [np.zeros(n, dtype=np.int64) for _ in prods]
            for i, (pdg, p4) in enumerate(prods):
                products[i][1][m] = p4
                pdg_cols[i][m] = pdg
            visible[m], recoil[m] = vis, rec
        # the recoiling centre's PDG id differs between nuclear species: the record's column takes
        # the most frequent one; the per-event ids are in ``product_pdg``
        prod_out = tuple((_most_common(c_, pdg), p4) for (pdg, p4), c_ in zip(products, pdg_cols))
        visible_true = visible
        t_meas = t_vtx
        if self.response is not None:
            nuclear = np.full(n, proc.target_kind == "nucleus" and proc.variable == "T")
            zz = np.array([getattr(c, "z", 0) for c in centres], dtype=float)[j]
            aa = np.array([getattr(c, "a", 1.0) for c in centres], dtype=float)[j]
            visible = self.response.visible_energy(visible, rng, nuclear, zz, aa)
            t_meas = self.response.measured_time(t_vtx, rng)
        vis_dir = products[-1][1][:, :3] if proc.variable == "T" else products[0][1][:, :3]
        norm = np.linalg.norm(vis_dir, axis=1)
        cos_vis = np.divide(vis_dir[:, 2], norm, out=np.ones(n), where=norm > 0)
        passed = ((visible >= self.energy_min) & (visible <= self.energy_max)
                  & (recoil >= self.recoil_min) & (recoil <= self.recoil_max)
                  & (cos_vis >= np.cos(self.angle_max))
                  & (t_meas >= self.time_min) & (t_meas <= self.time_max) & (p_interact > 0))
        return {
            "x": x, "l_in": l_in, "l_out": l_out, "beta_gamma": beta_gamma, "p_decay": np.ones(n),
            "p_interact": p_interact, "br": np.ones(n), "efficiency": np.full(n, self.efficiency),
            "vtx": vtx, "t": t_vtx, "delay": delay, "passed": passed, "products": prod_out,
            "product_pdg": tuple(pdg_cols), "visible_energy": visible, "visible_energy_true": visible_true,
            "recoil_energy": recoil, "t_measured": t_meas, "p_interact_stable": p_stable,
            "target_index": j,
        }


def survival(model, x_pdg: int, ell: np.ndarray, beta_gamma: np.ndarray) -> np.ndarray:
    """Probability that X reaches its scattering vertex ``ell`` m from where it was made,
    e^{−ℓ/L} with L = βγcτ (formulas-detection.md §5.3), when X is the model's own unstable particle (an ALP, a mediator); 1 for a
    stable X (dark matter, neutrinos: a ``model`` whose particle is not X, or cτ = ∞)."""
    ones = np.ones(len(ell))
    if model is None or getattr(model, "pdgid", None) != int(x_pdg) or not hasattr(model, "ctau"):
        return ones
    ctau = float(model.ctau())
    if not ctau < np.inf:
        return ones
    with np.errstate(divide="ignore", invalid="ignore"):
        decay_length = beta_gamma * ctau
        return np.where(decay_length > 0, np.exp(-ell / np.where(decay_length > 0, decay_length, 1.0)), 0.0)


def _most_common(ids: np.ndarray, default) -> int:
    if len(ids) == 0:
        default = np.asarray(default).ravel()
        return int(default[0]) if default.size else 0
    vals, counts = np.unique(ids, return_counts=True)
    return int(vals[np.argmax(counts)])


#: keys of the proposed card blocks that :func:`scatter_signal_from_card` understands
SIGNAL_KEYS = ("kind", "process", "efficiency", "n_bins", "weak_couplings")
RESPONSE_KEYS = ("quenching", "lindhard_k", "resolution_constant", "resolution_stochastic",
                 "resolution_proportional", "time_resolution")
CUT_KEYS = ("recoil_min", "recoil_max", "energy_min", "energy_max", "angle_max", "time_min", "time_max")


def scatter_signal_from_card(signal: dict, cuts: dict, response: dict | None = None,
                             source: str = "<card>") -> ScatterSignal:
    """Build a :class:`ScatterSignal` from already unit-converted card blocks (GeV, rad, ns):
    ``[signal]`` (``kind = "scatter"``, ``process``, ``efficiency``), ``[cuts]`` (``CUT_KEYS``; ``None``
    = open) and the optional detector ``response`` (``RESPONSE_KEYS``). Unknown keys or bad values
    raise :class:`~darkbeam.errors.CardError` naming the file, the key and what was expected."""
    from ..errors import CardError
    from ..response import Response
    for block, d, known in (("signal", signal, SIGNAL_KEYS + ("final_state",)), ("cuts", cuts, CUT_KEYS),
                            ("detector.response", response or {}, RESPONSE_KEYS)):
        bad = sorted(set(d) - set(known))
        if bad:
            raise CardError(f"{source}: [{block}] unknown key(s) {bad}; known: {list(known)}")
    kw = {k: v for k, v in cuts.items() if v is not None}
    try:
        resp = Response(**response) if response else None
        return ScatterSignal(process=signal.get("process", "dm_electron"),
                             efficiency=signal.get("efficiency", 1.0),
                             weak_couplings=signal.get("weak_couplings"),
                             n_bins=int(signal.get("n_bins", 32)), response=resp, **kw)
    except DarkbeamError as exc:
        raise CardError(f"{source}: [signal]/[cuts] {exc}") from None
