"""Poisson upper limits on a signal: the event threshold of a reach contour.

The reach of an experiment is the set of models whose expected signal s exceeds the upper limit
s_up that the experiment would set when it observes what it expects from background alone.

``method="cls"`` (default): the modified-frequentist (CLs) Poisson limit of Zech and Read,
solving for s at confidence level CL = 1 − α

    α = P(n ≤ n₀ | s + b) / P(n ≤ n₀ | b),

G. Zech, Nucl. Instrum. Meth. A277 (1989) 608; A. L. Read, J. Phys. G 28 (2002) 2693;
PDG Review of Particle Physics (2022), ch. 40 "Statistics", the CLs method. With P(n ≤ n₀ | μ) = Q(n₀+1, μ),
the regularised upper incomplete gamma function, which also extends the formula to a non-integer
n₀ (used for the expected limit n₀ = b). Properties: for b = 0 it is the classical limit, s_up = −ln α
= 2.303 at 90% CL; for n₀ = 0 it is 2.303 for any b (Zech 1989); s_up ≥ that of b = 0.

``method="classical"``: the Neyman upper limit μ_up(n₀) of the Poisson mean, P(n ≤ n₀ | μ_up) = α
(PDG (2022) ch. 40 "Statistics", Table 40.3: 2.30, 3.89, 5.32, 6.68 for n₀ = 0..3 at 90% CL),
minus b: s_up = μ_up − b (may be small or negative when n₀ < b; it is floored at 0).

A relative systematic uncertainty δ on the background is included by the Cousins–Highland hybrid
method (R. D. Cousins, V. L. Highland, Nucl. Instrum. Meth. A320 (1992) 331): each Poisson
probability is averaged over b′ ~ Gauss(b, δb) truncated at b′ ≥ 0 (Gauss–Hermite quadrature,
64 nodes).
"""

from __future__ import annotations

import math

import numpy as np

#: default event threshold: 90% CL, no background (−ln 0.1)
DEFAULT_THRESHOLD = -math.log(0.1)

_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(64)


def _cdf(n0: float, mu: np.ndarray) -> np.ndarray:
    """P(n ≤ n₀ | μ) = Q(n₀ + 1, μ) (regularised upper incomplete gamma)."""
    from scipy.special import gammaincc     # here: the CLI parser imports this package at start

    return gammaincc(n0 + 1.0, np.maximum(mu, 0.0))


def _averaged_cdf(n0: float, s: float, b: float, rel: float) -> float:
    if rel <= 0.0 or b <= 0.0:
        return float(_cdf(n0, np.asarray(s + b)))
    bp = b * (1.0 + rel * _NODES)
    keep = bp >= 0.0
    w = _WEIGHTS[keep]
    return float(np.sum(w * _cdf(n0, s + bp[keep])) / np.sum(w))


def upper_limit(background: float = 0.0, *, cl: float = 0.9, observed: float | None = None,
                systematic: float = 0.0, method: str = "cls") -> float:
    """Upper limit on the signal mean at confidence level ``cl``.

    ``background``: expected background count b ≥ 0; ``observed``: n₀ (default b, the expected
    limit; non-integer allowed through the incomplete-gamma form); ``systematic``: relative 1σ
    uncertainty on b; ``method``: ``"cls"`` or ``"classical"`` (see the module docstring).
    """
    if not 0.0 < cl < 1.0:
        raise ValueError(f"confidence level must be in (0, 1), got {cl!r}")
    if background < 0 or not math.isfinite(background):
        raise ValueError(f"background must be a finite count ≥ 0, got {background!r}")
    if systematic < 0 or not math.isfinite(systematic):
        raise ValueError(f"systematic must be a relative uncertainty ≥ 0, got {systematic!r}")
    if method not in ("cls", "classical"):
        raise ValueError(f"method must be 'cls' or 'classical', got {method!r}")
    from scipy.optimize import brentq

    alpha = 1.0 - cl
    n0 = float(background if observed is None else observed)
    b, rel = float(background), float(systematic)
    if method == "classical":
        mu_up = brentq(lambda mu: _cdf(n0, np.asarray(mu)) - alpha, 0.0, 10.0 * (n0 + 10.0), xtol=1e-12)
        return max(float(mu_up) - b, 0.0)
    denom = _averaged_cdf(n0, 0.0, b, rel)

    def f(s: float) -> float:
        return _averaged_cdf(n0, s, b, rel) / denom - alpha
    hi = 10.0 * (n0 + 10.0)
    while f(hi) > 0:
        hi *= 2.0
    return float(brentq(f, 0.0, hi, xtol=1e-12))
