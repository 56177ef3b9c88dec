"""Convergence numbers (darkbeam.convergence) against hand computations, and the zero reasons."""

from __future__ import annotations

import math

import numpy as np
import pytest

from darkbeam.convergence import MAX_SHARE, MIN_ESS, Tally, summarize


def block(weights, samples, n, entries=None):
    w = np.asarray(weights, float)
    return Tally.from_block(np.asarray(samples), n, w, np.ones(n), n, np.ones(n), None, np.zeros(n),
                            None if entries is None else np.asarray(entries))


def test_per_sample_moments():
    # rows 0 and 1 come from sample 0 (the χ and χ̄ of one decay): they add before squaring
    t = block([1.0, 2.0, 4.0], [0, 0, 3], n=5)
    assert t.sum_w == 7.0 and t.sum_w2 == 3.0**2 + 4.0**2 and t.max_w == 4.0
    assert t.variance == pytest.approx(25.0 - 49.0 / 5)
    assert t.effective_sample_size == pytest.approx(49.0 / 25.0)
    assert t.max_weight_fraction == pytest.approx(4.0 / 7.0)


def test_blocks_add_and_pooled_units_span_blocks():
    # pool entry 7 is drawn in both blocks: its draws form one unit, (1 + 2)² not 1² + 2²
    a = block([1.0, 3.0], [0, 1], n=4, entries=[7, 8])
    b = block([2.0], [2], n=4, entries=[7])
    a += b
    assert a.n_generated == 8 and a.sum_w == 6.0
    assert a.pooled and a.second_moment == pytest.approx(3.0**2 + 3.0**2)
    assert a.variance == pytest.approx(18.0 - 36.0 / 8)
    assert a.max_weight_fraction == pytest.approx(0.5)
    back = Tally.from_dict(a.to_dict(), (a.entry_ids, a.entry_sums))
    assert back.variance == pytest.approx(a.variance)


def test_summary_totals_and_warnings():
    good = block(np.full(1000, 1.0), np.arange(1000), n=2000)
    bad = block([100.0, 1.0], [0, 1], n=10)
    s = summarize({"good": good, "bad": bad})
    assert s["expected_events"] == pytest.approx(1101.0)
    assert s["stat_uncertainty"] == pytest.approx(math.sqrt(good.variance + bad.variance))
    assert s["effective_sample_size"] == pytest.approx(1101.0**2 / (1000 + 100.0**2 + 1.0))
    assert s["max_weight_fraction"] == pytest.approx(100.0 / 1101.0)
    assert len(s["convergence_warnings"]) == 1 and "channel bad" in s["convergence_warnings"][0]
    assert good.warning("x") is None
    assert bad.effective_sample_size < MIN_ESS and bad.max_weight_fraction > MAX_SHARE


def test_zero_reasons():
    n = 10
    none_made = Tally.from_block(np.zeros(0, int), n, np.zeros(0), np.zeros(n), 0, np.zeros(0), None, np.zeros(0))
    assert "no X was made" in none_made.zero_reason()
    missed = Tally.from_block(np.zeros(0, int), n, np.zeros(0), np.ones(n), 0, np.zeros(0), None, np.zeros(0))
    assert "reached the detector" in missed.zero_reason()
    decayed = Tally.from_block(np.zeros(0, int), n, np.zeros(0), np.ones(n), 2, np.zeros(2),
                               np.array([0.005, 0.005]), np.array([20.0, 20.0]))
    reason = decayed.zero_reason()
    assert "decayed before" in reason and "0.005" in reason and "20 m" in reason
    cut = Tally.from_block(np.zeros(0, int), n, np.zeros(0), np.ones(n), 2, np.ones(2), None, np.zeros(2))
    assert "cuts removed all 2" in cut.zero_reason()
    assert cut.zero_reason("closed: m > m_pi") == "closed: m > m_pi"
    s = summarize({"a": cut})
    assert s["expected_events"] == 0 and "every channel is zero" in s["zero_reasons"]["total"]
