"""Timing cuts: exact, event by event; card values with units."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from darkbeam.errors import CardError
from darkbeam.timing import parse_delay_min, parse_time_window, timing_cut


def test_window_and_delay_are_inclusive_and_exact():
    t = np.array([-1.0, 0.0, 5.0, 1600.0, 1600.0000001])
    d = np.array([10.0, 1.9999, 2.0, 3.0, 50.0])
    assert timing_cut(t, d).tolist() == [True] * 5
    assert timing_cut(t, d, time_window=(0.0, 1600.0)).tolist() == [False, True, True, True, False]
    assert timing_cut(t, d, delay_min=2.0).tolist() == [True, False, True, True, True]
    assert timing_cut(t, d, ("0 ns", "1.6 us"), "2 ns").tolist() == [False, False, True, True, False]


def test_parse_card_values():
    assert parse_time_window(["0 ns", "1.6 us"]) == (0.0, 1600.0)
    assert parse_time_window([100, 2e3]) == (100.0, 2000.0)
    assert parse_time_window(np.array([1.0, 2.0])) == (1.0, 2.0)
    assert parse_time_window(None) is None
    assert parse_delay_min("1 us") == 1000.0 and parse_delay_min(None) is None
    with pytest.raises(CardError, match=r"c.toml: \[cuts\] time_window = \[5, 1\]: expected"):
        parse_time_window([5, 1], "c.toml")
    with pytest.raises(CardError, match="two times"):
        parse_time_window("0 ns")
    with pytest.raises(CardError, match="not a unit of time"):
        parse_time_window(["0 GeV", "1 ns"])
    with pytest.raises(CardError, match="delay_min"):
        parse_delay_min("2 m")


@settings(max_examples=60, deadline=None)
@given(t=arrays(float, 50, elements=st.floats(-1e4, 1e4)),
       d=arrays(float, 50, elements=st.floats(0, 1e4)),
       a=st.floats(-1e4, 1e4), w=st.floats(1e-6, 1e4), dmin=st.floats(0, 1e4))
def test_cut_is_the_conjunction_of_its_conditions(t, d, a, w, dmin):
    both = timing_cut(t, d, (a, a + w), dmin)
    assert np.array_equal(both, timing_cut(t, d, (a, a + w)) & timing_cut(t, d, delay_min=dmin))
    assert np.array_equal(both, (t >= a) & (t <= a + w) & (d >= dmin))
