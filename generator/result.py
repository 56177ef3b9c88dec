"""What ``darkbeam.run`` returns."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:       # annotations only: `import darkbeam` does not load awkward
    import awkward as ak


@dataclass
class Result:
    """Expected events, their uncertainty, the events and the summary of a run."""

    summary: dict
    events: ak.Array | None
    plan: object = None

    @property
    def expected_events(self) -> float:
        """Σ weights: expected signal events for the run's POT."""
        return self.summary["expected_events"]

    @property
    def by_channel(self) -> dict[str, float]:
        return self.summary["expected_events_by_channel"]

    @property
    def stat_uncertainty(self) -> float:
        """Absolute 1σ Monte Carlo uncertainty of :attr:`expected_events`."""
        return self.summary["stat_uncertainty"]

    @property
    def relative_uncertainty(self) -> float | None:
        """:attr:`stat_uncertainty` / :attr:`expected_events` (None for a zero result)."""
        return self.summary["relative_uncertainty"]

    @property
    def effective_sample_size(self) -> float:
        """(Σw)²/Σw² over the samples (:mod:`darkbeam.convergence`): ≳ 10⁴ for a 1 % estimate."""
        return self.summary["effective_sample_size"]

    @property
    def max_weight_fraction(self) -> float:
        """The largest single sample's share of :attr:`expected_events`."""
        return self.summary["max_weight_fraction"]

    @property
    def zero_reasons(self) -> dict[str, str]:
        """Why a channel (or, under ``"total"``, the run) gave zero."""
        return self.summary["zero_reasons"]

    def reweight(self, model=None, **couplings):
        """Expected events for other couplings (or another ``model``), without regenerating.

        ``result.reweight(epsilon=1e-7)``; see :func:`darkbeam.scan.reweight` for the options
        (``by_channel``, ``with_uncertainty``, ``method``)."""
        from .scan import reweight
        return reweight(self, model, **couplings)

    def write(self, path: str | Path) -> Path:
        """Write the events to ``path`` (format from the extension)."""
        from . import io
        from .run import metadata
        if self.events is None:
            raise ValueError("this result was made with keep_events=False; it holds no events")
        return io.write(self.events, path, metadata(self.plan) if self.plan is not None else {})

    def __repr__(self) -> str:
        return (f"Result(expected_events={self.expected_events:.6g} ± {self.stat_uncertainty:.2g}, "
                f"effective_sample_size={self.effective_sample_size:.3g}, "
                f"max_weight_fraction={self.max_weight_fraction:.2g}, n_events={self.summary['n_events']})")
