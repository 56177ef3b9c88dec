"""darkbeam.decays — decays of dark particles inside the detector.

* :class:`DecaySignal` — the decay-in-volume signal stage (2-body ℓℓ, ππ, γγ; 3-body χ₂ → χ₁ℓℓ);
* :mod:`.probability` — log-safe decay-in-volume probability;
* :mod:`.two_body` — polarized two-body decays; :mod:`.three_body` — χ₂ → χ₁ℓ⁺ℓ⁻ Dalitz sampler.
"""

from .in_flight import FINAL_STATES, THREE_BODY, DecaySignal
from .probability import log_probability_in_segment, weight_from_logs
from .three_body import ThreeBodyDalitz

__all__ = ["DecaySignal", "FINAL_STATES", "THREE_BODY", "ThreeBodyDalitz", "log_probability_in_segment",
           "weight_from_logs"]
