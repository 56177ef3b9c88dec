"""Monte Carlo convergence: what a weighted estimate is worth, and why a result is zero.

A run estimates the expected signal as Σᵢ wᵢ over N independent samples (one sample = one parent
drawn by the source; a channel may turn one sample into several tracked particles, e.g. the χ and
the χ̄ of one decay, whose weights are summed per sample before any second moment is taken).
With Wᵢ the weight of sample i (0 when nothing reached the detector):

* estimate            S = Σ Wᵢ
* variance            V = Σ Wᵢ² − S²/N              (the unbiased sample variance × N)
* relative error      √V / S
* effective sample size  ESS = S² / Σ Wᵢ²     (Kish 1965, *Survey Sampling* §11.7; for weighted
                       MC the number of equal-weight samples with the same relative error:
                       √V/S ≈ 1/√ESS when most samples miss)
* largest share       max Wᵢ / S

Parents drawn with replacement from a finite pool (the EM cascade's photons and e±, a user's
parents file) are not independent samples of the physics: two draws of one pool entry repeat its
kinematics. For those the independent units are the pool entries (a two-stage estimate: the pool
is itself a sample of the true spectrum): the second moment is Σᵢ Sᵢ² over entries i, Sᵢ the sum
of the weights of every draw of entry i in the run — it contains the resampling variance and the
pool's own, and the ESS and the largest share are those of the entries. A pooled estimate that
does not converge then says so, and the remedy is a larger pool (``[production]
photon_primaries``, ``cascade_parents``), not more events.

A weighted estimate is trustworthy when its ESS is large and no single sample dominates; the run
warns (:class:`ConvergenceWarning`) when ESS < :data:`MIN_ESS` or one sample holds more than
:data:`MAX_SHARE` of S. A zero comes with the reason read off the chain's counters (no X made, none
reached the detector, every X decayed before it, the cuts removed all).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

#: below this effective sample size an estimate is flagged as not converged
MIN_ESS = 100.0
#: above this share of Σw held by one sample an estimate is flagged as not converged
MAX_SHARE = 0.1


class ConvergenceWarning(UserWarning):
    """A Monte Carlo estimate whose effective sample size is small or that one sample dominates."""


@dataclass
class Tally:
    """Running sums of one channel (or of a whole run): see the module docstring.

    ``n_generated`` samples drawn; ``sum_w``, ``sum_w2``, ``max_w`` over per-sample weights after
    cuts; ``n_events`` recorded events (tracked particles with weight > 0). Chain counters (tracked
    particles): ``n_made`` with a production weight > 0, ``n_reached`` whose line crosses the
    detector, ``n_signal`` with a decay/interaction probability > 0 before cuts, and, over those that
    reached it, ``sum_decay_length`` (m, finite ones) and ``sum_distance`` (ℓ_in, m) with their
    count ``n_lengths``.
    """

    n_generated: int = 0
    sum_w: float = 0.0
    sum_w2: float = 0.0
    max_w: float = 0.0
    n_events: int = 0
    n_made: int = 0
    n_reached: int = 0
    n_signal: int = 0
    sum_decay_length: float = 0.0
    sum_distance: float = 0.0
    n_lengths: int = 0
    #: pooled parents: the entries drawn and the sum of their weights (sparse; see module docstring)
    entry_ids: np.ndarray | None = field(default=None, repr=False)
    entry_sums: np.ndarray | None = field(default=None, repr=False)

    #: scalar fields (what a checkpoint's JSON holds; the entry arrays go to an .npz beside it)
    SCALARS = ("n_generated", "sum_w", "sum_w2", "max_w", "n_events", "n_made", "n_reached", "n_signal",
               "sum_decay_length", "sum_distance", "n_lengths")

    def __iadd__(self, other: "Tally") -> "Tally":
        for name in self.SCALARS:
            a, b = getattr(self, name), getattr(other, name)
            setattr(self, name, max(a, b) if name == "max_w" else a + b)
        if other.entry_ids is not None:
            ids = other.entry_ids if self.entry_ids is None else np.concatenate([self.entry_ids, other.entry_ids])
            sums = other.entry_sums if self.entry_sums is None else np.concatenate([self.entry_sums, other.entry_sums])
            if len(ids) > 1 << 20:
                ids, sums = _compact(ids, sums)
            self.entry_ids, self.entry_sums = ids, sums
        return self

    @classmethod
    def from_block(cls, sample: np.ndarray, n_samples: int, weight: np.ndarray, made: np.ndarray,
                   n_reached: int, signal: np.ndarray, decay_length: np.ndarray | None,
                   distance: np.ndarray, entries: np.ndarray | None = None) -> "Tally":
        """The tally of one block: ``sample`` (index of the drawn sample of each recorded row),
        ``weight`` (final weight of each recorded row), ``made`` (production weights of all tracked
        particles), ``signal`` (probabilities before cuts of those that reached the detector),
        ``decay_length`` and ``distance`` of those (None for stable particles); ``entries``: the
        pool entry of each recorded row (pooled parents), else None."""
        per_sample = np.bincount(sample, weights=weight, minlength=n_samples) if len(weight) else np.zeros(0)
        finite = np.isfinite(decay_length) if decay_length is not None else np.zeros(len(distance), bool)
        ids = sums = None
        if entries is not None:
            ids, sums = _compact(np.asarray(entries, dtype=np.int64), np.asarray(weight, dtype=float))
        return cls(
            n_generated=int(n_samples), sum_w=float(per_sample.sum()), sum_w2=float(np.sum(per_sample**2)),
            max_w=float(per_sample.max()) if len(per_sample) else 0.0, n_events=int(np.count_nonzero(weight)),
            n_made=int(np.count_nonzero(made > 0)), n_reached=int(n_reached),
            n_signal=int(np.count_nonzero(signal > 0)),
            sum_decay_length=float(decay_length[finite].sum()) if decay_length is not None else 0.0,
            sum_distance=float(distance[finite].sum()), n_lengths=int(finite.sum()),
            entry_ids=ids, entry_sums=sums)

    @property
    def pooled(self) -> bool:
        return self.entry_ids is not None

    def _units(self) -> tuple[float, float]:
        """(Σ of squared unit weights, largest unit weight): samples, or pool entries."""
        if not self.pooled:
            return self.sum_w2, self.max_w
        _, sums = _compact(self.entry_ids, self.entry_sums)
        if len(sums) == 0:
            return 0.0, 0.0
        return float(np.sum(sums**2)), float(sums.max())

    @property
    def second_moment(self) -> float:
        """Σ W² over the independent units (samples, or pool entries)."""
        return self._units()[0]

    # --- the numbers of the module docstring -------------------------------------------------
    @property
    def variance(self) -> float:
        if self.n_generated == 0:
            return 0.0
        return max(self.second_moment - self.sum_w**2 / self.n_generated, 0.0)

    @property
    def uncertainty(self) -> float:
        return math.sqrt(self.variance)

    @property
    def relative_uncertainty(self) -> float:
        return self.uncertainty / self.sum_w if self.sum_w > 0 else math.nan

    @property
    def effective_sample_size(self) -> float:
        m2 = self.second_moment
        return self.sum_w**2 / m2 if m2 > 0 else 0.0

    @property
    def max_weight_fraction(self) -> float:
        return self._units()[1] / self.sum_w if self.sum_w > 0 else 0.0

    def to_dict(self) -> dict:
        return {name: getattr(self, name) for name in self.SCALARS}

    @classmethod
    def from_dict(cls, data: dict, entries: tuple[np.ndarray, np.ndarray] | None = None) -> "Tally":
        out = cls(**{name: data[name] for name in cls.SCALARS})
        if entries is not None:
            out.entry_ids, out.entry_sums = entries
        return out

    # --- what the numbers mean ------------------------------------------------------------------
    def zero_reason(self, closed: str | None = None) -> str | None:
        """Why the estimate is zero (None when it is not)."""
        if self.sum_w > 0:
            return None
        if closed:
            return closed
        if self.n_generated == 0:
            return "no samples were generated"
        if self.n_made == 0:
            return "the production weight is zero for every sample (no X was made)"
        if self.n_reached == 0:
            return (f"none of the {self.n_made} X made reached the detector (the detector is outside "
                    "every sampled direction)")
        if self.n_signal == 0:
            if self.n_lengths:
                mean_l = self.sum_decay_length / self.n_lengths
                mean_d = self.sum_distance / self.n_lengths
                return (f"every X decayed before the detector: mean decay length {mean_l:.3g} m against "
                        f"a mean distance of {mean_d:.3g} m ({self.n_reached} reached its direction)")
            return f"the interaction probability is zero for all {self.n_reached} X that reached the detector"
        return f"the cuts removed all {self.n_signal} candidate events"

    def warning(self, what: str) -> str | None:
        """A sentence when the estimate is not converged (ESS or largest share), else None."""
        if self.sum_w <= 0:
            return None
        ess, share = self.effective_sample_size, self.max_weight_fraction
        if ess >= MIN_ESS and share <= MAX_SHARE:
            return None
        return (f"{what}: the estimate is not converged (effective sample size {ess:.3g}, the largest "
                f"weight holds {100 * share:.3g} % of the total): increase [run] events, or aim the "
                "sampling at the detector (see the README, 'Convergence')")

    def report(self) -> dict:
        """The numbers written to summary.json for this tally."""
        return {"expected_events": self.sum_w, "stat_uncertainty": self.uncertainty,
                "relative_uncertainty": self.relative_uncertainty if self.sum_w > 0 else None,
                "effective_sample_size": self.effective_sample_size,
                "max_weight_fraction": self.max_weight_fraction,
                "n_generated": self.n_generated, "n_events": self.n_events}


def summarize(tallies: dict[str, Tally], closed: dict[str, str] | None = None) -> dict:
    """The convergence part of a run's summary from the tallies of its channels.

    Channels are independent estimates: the total is the sum, its variance the sum of variances,
    its ESS (Σ S_c)² / Σ_c Σᵢ W²_{c,i}, its largest share the largest single sample over the total.
    ``closed`` maps the names of closed channels to their notice (their zero's reason).
    Returns the summary keys (``expected_events``, ``stat_uncertainty``, ``relative_uncertainty``,
    ``effective_sample_size``, ``max_weight_fraction``, each also ``…_by_channel``,
    ``zero_reasons`` for the channels and the total that are zero, and ``convergence_warnings``).
    """
    closed = closed or {}
    total = sum(t.sum_w for t in tallies.values())
    var = sum(t.variance for t in tallies.values())
    units = [t._units() for t in tallies.values()]
    sum_w2 = sum(u[0] for u in units)
    max_w = max((u[1] for u in units), default=0.0)
    reasons = {name: t.zero_reason(closed.get(name)) for name, t in tallies.items()}
    reasons = {name: r for name, r in reasons.items() if r is not None}
    warnings_ = [w for name, t in tallies.items() if (w := t.warning(f"channel {name}")) is not None]
    out = {
        "expected_events": float(total),
        "stat_uncertainty": math.sqrt(var),
        "relative_uncertainty": math.sqrt(var) / total if total > 0 else None,
        "effective_sample_size": total**2 / sum_w2 if sum_w2 > 0 else 0.0,
        "max_weight_fraction": max_w / total if total > 0 else 0.0,
        "expected_events_by_channel": {k: t.sum_w for k, t in tallies.items()},
        "stat_uncertainty_by_channel": {k: t.uncertainty for k, t in tallies.items()},
        "relative_uncertainty_by_channel": {k: (t.relative_uncertainty if t.sum_w > 0 else None)
                                            for k, t in tallies.items()},
        "effective_sample_size_by_channel": {k: t.effective_sample_size for k, t in tallies.items()},
        "max_weight_fraction_by_channel": {k: t.max_weight_fraction for k, t in tallies.items()},
        "pooled_channels": [k for k, t in tallies.items() if t.pooled],
        "zero_reasons": reasons,
    }
    if total <= 0:
        out["zero_reasons"]["total"] = ("every channel is zero: " + "; ".join(
            f"{k}: {r}" for k, r in reasons.items())) if reasons else "no channel"
    elif len(tallies) > 1:
        if (out["effective_sample_size"] < MIN_ESS or out["max_weight_fraction"] > MAX_SHARE) and not warnings_:
            warnings_.append(Tally(n_generated=1, sum_w=total, sum_w2=sum_w2, max_w=max_w).warning("total"))
    out["convergence_warnings"] = warnings_
    return out


def _compact(ids: np.ndarray, sums: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Entries summed by id (sorted unique ids)."""
    if len(ids) == 0:
        return ids.astype(np.int64), sums.astype(float)
    u, inv = np.unique(ids, return_inverse=True)
    return u, np.bincount(inv, weights=sums, minlength=len(u))
