"""Poisson upper limits (darkbeam.scan.limits) against published values and independent formulas."""

from __future__ import annotations

import math

import numpy as np
import pytest
from scipy import integrate, optimize, stats

from darkbeam.scan import upper_limit


def test_no_background_is_minus_log_alpha():
    # P(0 | s) = e^{−s} = 0.1 → s = ln 10 = 2.302585…
    assert upper_limit(0.0) == pytest.approx(math.log(10.0), rel=1e-10)
    assert upper_limit(0.0, cl=0.95) == pytest.approx(math.log(20.0), rel=1e-10)   # 2.996


@pytest.mark.parametrize("n0, published", [(0, 2.30), (1, 3.89), (2, 5.32), (3, 6.68), (4, 7.99)])
def test_classical_limits_match_pdg_table(n0, published):
    """PDG Review (2022) ch. 40 "Statistics", Table 40.3: 90% CL upper limits of a Poisson mean
    for n observed events, no background (given to two decimals)."""
    assert upper_limit(0.0, observed=n0, method="classical") == pytest.approx(published, abs=0.006)


@pytest.mark.parametrize("b", [0.5, 3.0, 12.0])
def test_cls_with_nothing_observed_does_not_depend_on_background(b):
    # CLs = e^{−(s+b)}/e^{−b} = e^{−s} (Zech 1989): the same 2.303 for any b
    assert upper_limit(b, observed=0) == pytest.approx(math.log(10.0), rel=1e-9)


@pytest.mark.parametrize("b, n0", [(1.0, 1), (3.0, 3), (10.0, 10), (2.0, 5)])
def test_cls_matches_independent_poisson_sums(b, n0):
    """α = F(n₀; s+b)/F(n₀; b) with F the Poisson CDF from scipy.stats (summed, not the
    incomplete gamma function the code uses), solved with brentq."""
    f = lambda s: stats.poisson.cdf(n0, s + b) / stats.poisson.cdf(n0, b) - 0.1  # noqa: E731
    expect = optimize.brentq(f, 0.0, 100.0, xtol=1e-12)
    assert upper_limit(b, observed=n0) == pytest.approx(expect, rel=1e-8)
    assert expect > math.log(10.0)   # background observed as expected → weaker than 2.303


def test_expected_limit_interpolates_non_integer_background():
    # n₀ = b non-integer: between the neighbouring integer values, monotonic in b
    lo, mid, hi = upper_limit(2.0), upper_limit(2.5), upper_limit(3.0)
    assert lo < mid < hi


def test_background_systematic_by_independent_integration():
    """Cousins–Highland: average the Poisson CDF over b′ ~ Gauss(b, δb) truncated at 0 — here with
    scipy.integrate.quad instead of the code's Gauss–Hermite nodes."""
    b, rel, n0 = 4.0, 0.3, 4

    def avg(s):
        g = lambda x: stats.poisson.cdf(n0, s + x) * stats.norm.pdf(x, b, rel * b)  # noqa: E731
        norm = stats.norm.sf(0.0, b, rel * b)
        return integrate.quad(g, 0.0, b + 12 * rel * b, epsabs=1e-13)[0] / norm

    expect = optimize.brentq(lambda s: avg(s) / avg(0.0) - 0.1, 0.0, 100.0, xtol=1e-10)
    got = upper_limit(b, systematic=rel)
    assert got == pytest.approx(expect, rel=2e-3)
    assert got != pytest.approx(upper_limit(b), rel=1e-3)   # the systematic changes the limit
    assert upper_limit(b, systematic=0.0) == upper_limit(b)


@pytest.mark.parametrize("kw", [{"background": -1.0}, {"background": math.nan}, {"cl": 1.0},
                                {"systematic": -0.1}, {"method": "bayes"}])
def test_bad_input_is_refused(kw):
    with pytest.raises(ValueError):
        upper_limit(**kw)


def test_threshold_is_increasing_in_background():
    values = [upper_limit(b) for b in np.linspace(0.0, 20.0, 11)]
    assert np.all(np.diff(values) > 0)
