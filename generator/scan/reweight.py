"""Exact reweighting of a generated sample to other couplings (DESIGN.md "Weights").

An event's weight is (DESIGN.md, :mod:`darkbeam.events`)

    w = POT · w_production · p_decay · p_interact · br · efficiency.

For a new model (same mass, other couplings) each coupling-dependent factor is recomputed from the
stored inputs, with nothing approximated:

* ``w_production`` × BR_c(new) / BR_c(ref) for the event's production channel c, with BR_c the
  channel's own ``branching_ratio(model)`` (for P → γX: 2F_P²(1 − m²/m_P²)³ BR(P→γγ),
  arXiv:1801.04847 Eqs. 2.7–2.10: the ratio is F_P(new)²/F_P(ref)² = (ε/ε_ref)² for the dark
  photon, and exact for any vector couplings, not only a power law). Channels may instead provide
  ``production_scale(model)``; the ratio of the two is used the same way.
* ``p_decay`` = e^{−ℓ_in/L} − e^{−ℓ_out/L} with L = βγ·cτ(new), from the stored ``x_beta_gamma``,
  ``l_in``, ``l_out`` (formulas-detection.md §5.3; :func:`darkbeam.sampling.probability_in_segment`).
* ``br`` = BR(X → final state) of the new model (``model.branching_ratios()[final_state]``).
* ``p_interact`` × σ(new)/σ(ref) for a scattering signal (p = nσℓ in the thin-target limit): the
  signal's ``interaction_ratio(ref, new)`` (:class:`~darkbeam.scattering.ScatterSignal`: α_D c_e²
  for χe, α_D Q_N² for coherent χN when c_p : c_n is kept, g_aγγ², g_aee²; 1 for CEvNS and νe
  when the products c_ν·c_f are unchanged), or S(new)/S(ref) from ``interaction_scale(model)``;
  a process whose cross section does not change by one factor (SM–mediator interference) is
  refused with :class:`ReweightError`. Exact while the detector is thin for X (λΔ ≪ 1, as for
  any weakly coupled X); the stored p_interact = 1 − e^{−λΔ} otherwise makes the result high by
  ≈ (k − 1)λΔ/2 for a cross-section ratio k. An X that can decay (an ALP, not dark matter)
  also carries its survival e^{−ℓ/(βγcτ)} to the vertex in p_interact, recomputed with the new
  cτ from the stored vertices. 1 for decay signals.

Two ways to recompute p_decay (``method``):

* ``"chord"`` (default): the probability to decay anywhere on the chord, above. Exact event by
  event, valid when no cut depends on where on the chord X decays (today's cuts: visible energy).
* ``"vertex"``: importance reweighting of the stored decay point. At generation the distance ℓ to
  the decay point was drawn from the truncated exponential g_ref(ℓ) = e^{−ℓ/L_ref}/(L_ref·p_ref) on
  [ℓ_in, ℓ_out] (formulas-detection.md §5.4) and the event carries p_ref; the unbiased weight for
  decay length L is p_ref·(L_ref/L)·e^{−ℓ(1/L − 1/L_ref)}, whose mean over g_ref is p_decay(L). It
  keeps any cut on the decay point or time (fiducial volume, delay window) exact in expectation;
  its variance grows where L ≪ L_ref (the reference's decay points are spread along the chord).

``p_decay`` and ``br`` are recomputed for decay signals (:class:`~darkbeam.decays.DecaySignal`, or any
signal with ``reweights_decay = True``); for other signals (scattering) they are kept as stored.

The kinematics, the chord and the cuts do not depend on the couplings, so this is the weight the
generator gives the same event at the new couplings (see :mod:`darkbeam.scan.couplings` for why the
reference is taken long-lived). The Monte Carlo variance is Σw² − (Σw)²/N per channel, N the
samples generated per channel (as in :mod:`darkbeam.run`).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from ..errors import DarkbeamError
from ..sampling import probability_in_segment

#: event columns the reweighting reads
COLUMNS = ("w_production", "p_decay", "p_interact", "br", "efficiency", "channel", "x_beta_gamma",
           "l_in", "l_out", "x_pdg")

#: matrix elements (couplings × events) evaluated at once
_CHUNK = 4_000_000


class ReweightError(DarkbeamError):
    """A sample that cannot be reweighted to the requested model."""


class ReweightWarning(UserWarning):
    """A reweighting that may miss events the reference sample could not keep."""


#: ℓ_in/L above which p_decay = e^{−ℓ_in/L}(…) underflows to an exact 0 in float64 (e^{−745} ≈ 5e−324)
UNDERFLOW_X = 745.0


@dataclass(frozen=True)
class Reference:
    """What the reweighting needs to know about the sample: the model it was made with, its
    production channels (index = the events' ``channel``), the signal, the POT and the samples
    generated per channel."""

    model: object
    channels: list
    signal: object
    pot: float
    n_generated: int

    @property
    def final_state(self) -> str:
        return getattr(self.signal, "final_state", None)

    @classmethod
    def from_plan(cls, plan, model=None) -> "Reference":
        return cls(model if model is not None else plan.model, list(plan.channels), plan.signal,
                   float(plan.pot), int(plan.card.run.events))

    @classmethod
    def from_metadata(cls, metadata: dict) -> "Reference":
        """Rebuild the reference of a file written by darkbeam from its metadata (the card text,
        POT, channel names, model mass and ε — or every coupling when ``metadata["model"]`` holds
        ``couplings``). Card overrides not recorded in the metadata (``--set``) are not known."""
        from ..card import card_from_dict
        from ..pipeline import build
        from ..production import make_channel
        text = metadata.get("card")
        if not text:
            raise ReweightError("the file's metadata holds no card: it cannot be reweighted")
        raw = tomllib.loads(text)
        raw.pop("scan", None)
        for key in ("source", "text"):
            raw.pop(key, None)
        desc = metadata.get("model", {})
        raw.setdefault("model", {})
        if "mass" in desc:
            raw["model"]["mass"] = desc["mass"]
        raw.setdefault("run", {}).update(outputs=[], summary=False)
        plan = build(card_from_dict(raw, metadata.get("card_path", "<file>"), text))
        model = plan.model
        # all couplings when the metadata has them (model.couplings()), else ε (describe_model)
        given = desc.get("couplings") or ({"epsilon": desc["epsilon"]} if "epsilon" in desc else {})
        given = {k: v for k, v in given.items() if k in getattr(model, "coupling_names", ())}
        if given:
            model = model.with_couplings(**given)
        channels = [make_channel(n) for n in metadata.get("channels", [c.name for c in plan.channels])]
        n_gen = int(metadata.get("n_generated_per_channel", plan.card.run.events))
        return cls(model, channels, plan.signal, float(metadata.get("pot", plan.pot)), n_gen)


def _production_scale(channel, model) -> float:
    if hasattr(channel, "production_scale"):
        return float(channel.production_scale(model))
    if hasattr(channel, "branching_ratio"):
        return float(channel.branching_ratio(model))
    raise ReweightError(f"channel {channel.name} cannot be reweighted in the couplings yet (it has no "
                        f"production_scale); run it at each coupling with darkbeam run --set instead")


def production_ratios(ref: Reference, model) -> np.ndarray:
    """Per channel: w_production(new) / w_production(ref) (exact; 0 for a channel closed in both)."""
    out = np.empty(len(ref.channels))
    for i, ch in enumerate(ref.channels):
        caveat = getattr(ch, "reweight_caveat", None)
        message = caveat(ref.model, model) if caveat is not None else None
        if message:
            import warnings
            warnings.warn(message, ReweightWarning, stacklevel=3)
        old, new = _production_scale(ch, ref.model), _production_scale(ch, model)
        if old == 0.0:
            if new != 0.0:
                raise ReweightError(f"{ch.name}: the reference model produces no X "
                                    f"({ref.model!r}), so it cannot be reweighted to {model!r}")
            out[i] = 0.0
        else:
            out[i] = new / old
    return out


def _interaction_ratio(ref: Reference, model) -> float:
    ratio = getattr(ref.signal, "interaction_ratio", None)
    if ratio is not None:
        r = ratio(ref.model, model)
        if r is None:
            raise ReweightError(
                f"scatter process {getattr(ref.signal, 'process', '?')!r}: its cross section does not "
                f"change by one factor from {ref.model!r} to {model!r} (SM–mediator interference, or "
                "proton/neutron or u/d couplings not in the same proportion), so the sample cannot be "
                "reweighted; run at each coupling with darkbeam run --set instead")
        return float(r)
    scale = getattr(ref.signal, "interaction_scale", None)
    if scale is None:
        return 1.0
    old = float(scale(ref.model))
    return float(scale(model)) / old if old else 0.0


def is_decay_signal(signal) -> bool:
    """Whether events of ``signal`` carry an in-volume decay probability to recompute."""
    from ..decays import DecaySignal
    return bool(getattr(signal, "reweights_decay", isinstance(signal, DecaySignal)))


def _check_mass(ref: Reference, model) -> None:
    if not np.isclose(model.mass, ref.model.mass, rtol=1e-12, atol=0.0):
        raise ReweightError(f"reweighting changes couplings, not the mass: the sample has "
                            f"m = {ref.model.mass:.6g} GeV, the new model {model.mass:.6g} GeV")


METHODS = ("chord", "vertex")


def decay_factor(columns: dict[str, np.ndarray], ctau_ref: float, ctau_new: np.ndarray,
                 method: str = "chord") -> np.ndarray:
    """New p_decay per (model, event): shape (len(ctau_new), n_events); cτ in m.

    ``"chord"``: e^{−ℓ_in/L} − e^{−ℓ_out/L}, L = βγ·cτ_new; ``"vertex"``:
    p_ref·(cτ_ref/cτ_new)·exp(−(ℓ/βγ)(1/cτ_new − 1/cτ_ref)) with ℓ the stored decay distance
    (see the module docstring)."""
    ctau_new = np.asarray(ctau_new, dtype=float)[:, None]
    bg = np.asarray(columns["x_beta_gamma"], dtype=float)[None, :]
    if method == "chord":
        return probability_in_segment(np.asarray(columns["l_in"], dtype=float)[None, :],
                                      np.asarray(columns["l_out"], dtype=float)[None, :], bg * ctau_new)
    if method != "vertex":
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    ell = np.asarray(columns["ell"], dtype=float)[None, :]
    p_ref = np.asarray(columns["p_decay"], dtype=float)[None, :]
    with np.errstate(divide="ignore", over="ignore", under="ignore", invalid="ignore"):
        inv_new = np.where(np.isfinite(ctau_new), 1.0 / ctau_new, 0.0)
        log_f = (np.log(p_ref) + np.log(ctau_ref * inv_new)
                 - ell / bg * (inv_new - 1.0 / ctau_ref))
        f = np.exp(log_f)
    return np.where(np.isfinite(f), f, 0.0)


def expected_grid(columns: dict[str, np.ndarray], ref: Reference, models: list,
                  method: str = "chord") -> tuple[np.ndarray, np.ndarray]:
    """Σw and Σw² per (model, channel) for the events in ``columns`` reweighted to each model.

    ``columns``: 1-d arrays of :data:`COLUMNS` (and ``ell``, the decay distance, for
    ``method="vertex"``; see :func:`columns_of`); returns two arrays of shape
    (len(models), n_channels). Vectorised over events and models (chunks of ≤ ~4·10⁶ elements).
    """
    if method not in METHODS:
        raise ValueError(f"method must be one of {METHODS}, got {method!r}")
    n_ch = len(ref.channels)
    k = len(models)
    sums, sums2 = np.zeros((k, n_ch)), np.zeros((k, n_ch))
    ch = np.asarray(columns["channel"], dtype=np.int64)
    n = len(ch)
    if n == 0 or k == 0:
        return sums, sums2
    for m in models:
        _check_mass(ref, m)
    onehot = np.zeros((n, n_ch))
    onehot[np.arange(n), ch] = 1.0
    base = (ref.pot * np.asarray(columns["w_production"]) * np.asarray(columns["p_interact"])
            * np.asarray(columns["efficiency"]))
    decay = is_decay_signal(ref.signal)
    if not decay:                       # scattering: p_decay (survival) and br kept as stored
        base = base * np.asarray(columns["p_decay"]) * np.asarray(columns["br"])
    # scattering of the model's own unstable X: its survival e^{−ℓ/(βγcτ)} to the vertex is in
    # p_interact, and changes with cτ
    survive = None if decay else _survival_exponent(columns, ref)
    fs = ref.final_state
    # per model: channel production ratio (k, n_ch), final-state BR, cτ, interaction ratio
    ratio = np.array([production_ratios(ref, m) for m in models]).reshape(k, n_ch)
    factor = np.array([(m.branching_ratios().get(fs, 0.0) if decay else 1.0)
                       * _interaction_ratio(ref, m) for m in models])
    lifetimes = decay or survive is not None
    ctau = np.array([m.ctau() for m in models]) if lifetimes else None
    ctau_ref = ref.model.ctau() if lifetimes else None
    step = max(1, _CHUNK // n)
    for a in range(0, k, step):
        b = min(k, a + step)
        if decay:
            p = decay_factor(columns, ctau_ref, ctau[a:b], method)
        elif survive is not None:
            with np.errstate(divide="ignore"):
                p = np.exp(-survive[None, :] * (1.0 / ctau[a:b, None] - 1.0 / ctau_ref))
        else:
            p = 1.0
        w = p * base[None, :] * factor[a:b, None] * ratio[a:b][:, ch]
        sums[a:b] = w @ onehot
        sums2[a:b] = (w * w) @ onehot
    return sums, sums2


def _survival_exponent(columns: dict[str, np.ndarray], ref: Reference) -> np.ndarray | None:
    """ℓ/βγ (m) of scattering events whose X is the reference model's own particle (0 for the
    others), or None when there is none: survival e^{−ℓ/(βγcτ)} is then reweighted with cτ."""
    pdgid = getattr(ref.model, "pdgid", None)
    if pdgid is None or not np.isfinite(ref.model.ctau()) or "x_pdg" not in columns:
        return None
    own = np.asarray(columns["x_pdg"]) == pdgid
    if not own.any():
        return None
    if "ell" not in columns:
        raise ReweightError("the events lack their vertices (prod_*, vtx_*), which the survival of "
                            "an unstable X to its scattering vertex needs for reweighting")
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(own, np.asarray(columns["ell"]) / np.asarray(columns["x_beta_gamma"]), 0.0)


def stat_uncertainty(sums: np.ndarray, sums2: np.ndarray, n_generated: int) -> np.ndarray:
    """1σ Monte Carlo uncertainty of the total, from per-channel Σw, Σw² (last axis = channel):
    √Σ_c max(Σw² − (Σw)²/N, 0) (as :func:`darkbeam.run.execute` does)."""
    var = np.maximum(sums2 - sums ** 2 / max(n_generated, 1), 0.0)
    return np.sqrt(var.sum(axis=-1))


def columns_of(events) -> dict[str, np.ndarray]:
    """The reweighting inputs of an event batch: :data:`COLUMNS` and ``ell``, the distance (m) from
    the production vertex to the decay vertex (when the record has both)."""
    import awkward as ak

    fields = ak.fields(events)
    missing = [c for c in COLUMNS if c not in fields]
    if missing:
        raise ReweightError(f"the events lack the reweighting inputs {missing}")
    cols = {c: ak.to_numpy(events[c]) for c in COLUMNS}
    if all(f"{a}_{x}" in fields for a in ("prod", "vtx") for x in "xyz"):
        d = [ak.to_numpy(events[f"vtx_{x}"]) - ak.to_numpy(events[f"prod_{x}"]) for x in "xyz"]
        cols["ell"] = np.sqrt(d[0] ** 2 + d[1] ** 2 + d[2] ** 2)
    return cols


def _source(source, reference) -> tuple[dict[str, np.ndarray], Reference]:
    """(columns, reference) from a Result, an (events, metadata) pair or a file path."""
    if isinstance(source, (str, Path)):
        from .. import io
        events, meta = io.read(source)
        return columns_of(events), reference or Reference.from_metadata(meta)
    if isinstance(source, tuple) and len(source) == 2:
        events, meta = source
        return columns_of(events), reference or Reference.from_metadata(meta)
    if hasattr(source, "plan") and hasattr(source, "events"):
        if source.events is None:
            raise ReweightError("this result was made with keep_events=False: nothing to reweight")
        if reference is None:
            if source.plan is None:
                raise ReweightError("this result has no plan; pass reference=Reference(...)")
            reference = Reference.from_plan(source.plan)
        return columns_of(source.events), reference
    raise TypeError(f"cannot reweight a {type(source).__name__}: give a Result, (events, metadata) "
                    "or a path to a file written by darkbeam")


def _warn_if_truncated(columns: dict[str, np.ndarray], ref: Reference, model) -> None:
    """Warn when the reference was short-lived enough that some X crossing the detector had
    p_decay = 0 (ℓ_in/L ≳ 745) and were not kept, and the new model lives longer (those X would
    count there): seen as kept events reaching ℓ_in/L_ref > 745/2."""
    if not is_decay_signal(ref.signal) or len(columns["l_in"]) == 0:
        return
    ctau_ref, ctau_new = ref.model.ctau(), model.ctau()
    if not ctau_new > ctau_ref:
        return
    x = np.max(np.asarray(columns["l_in"]) / (np.asarray(columns["x_beta_gamma"]) * ctau_ref))
    if x > UNDERFLOW_X / 2:
        import warnings
        warnings.warn(f"the sample was generated short-lived (ℓ_in/L up to {x:.0f}): X whose decay "
                      f"probability underflowed to 0 (ℓ_in/L > {UNDERFLOW_X:.0f}) were not kept, and "
                      "would count at the longer lifetime asked for; the result may be low. Generate "
                      "at a long-lived coupling (darkbeam.scan.reference_coupling).",
                      ReweightWarning, stacklevel=3)


def reweight(source, model_new=None, *, reference: Reference | None = None, by_channel: bool = False,
             with_uncertainty: bool = False, method: str = "chord", **couplings):
    """Expected events of a sample at other couplings, without regenerating.

    Parameters
    ----------
    source
        A :class:`~darkbeam.result.Result` (made with ``keep_events=True``), an ``(events, metadata)``
        pair from :func:`darkbeam.io.read`, or the path of a file written by darkbeam.
    model_new
        The new model (same mass). Or give the couplings as keywords instead
        (``epsilon=1e-6``; names of ``model.coupling_names``), applied to the sample's model.
    reference
        Override what is known about the sample (model, channels, signal, POT); see :class:`Reference`.
    by_channel
        Return ``{channel name: expected}`` instead of the total.
    with_uncertainty
        Return ``(expected, 1σ Monte Carlo uncertainty)``.
    method
        ``"chord"`` (exact; cuts independent of the decay point) or ``"vertex"`` (reweights the
        stored decay point; for samples cut on the decay point or time). See the module docstring.

    Returns the expected number of signal events for the sample's POT.
    """
    columns, ref = _source(source, reference)
    if model_new is None:
        model_new = ref.model.with_couplings(**couplings) if couplings else ref.model
    elif couplings:
        raise TypeError("give either model_new or couplings as keywords, not both")
    _warn_if_truncated(columns, ref, model_new)
    sums, sums2 = expected_grid(columns, ref, [model_new], method)
    if by_channel:
        out = {ch.name: float(sums[0, i]) for i, ch in enumerate(ref.channels)}
        return (out, {ch.name: float(np.sqrt(max(sums2[0, i] - sums[0, i] ** 2 / ref.n_generated, 0)))
                      for i, ch in enumerate(ref.channels)}) if with_uncertainty else out
    total = float(sums[0].sum())
    if with_uncertainty:
        return total, float(stat_uncertainty(sums[0], sums2[0], ref.n_generated))
    return total
