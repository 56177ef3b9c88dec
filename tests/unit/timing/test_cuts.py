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


# --- windows after the arrival of light (issue 20, item 6) ------------------------------------
C_M_NS = 0.299792458        # m/ns (exact)


def test_light_reference_by_hand():
    # CCM-like: triangle pulse from 0; vertices 23 m and 25 m from the target: light needs
    # 23/c = 76.7197 ns and 25/c = 83.3910 ns
    from darkbeam.timing import TriangularPulse, time_after_light
    pulse = TriangularPulse(0.0, 280.0, 140.0)
    vtx = np.array([[23.0, 0.0, 0.0], [23.0, 0.0, 0.0], [0.0, 15.0, 20.0], [0.0, 15.0, 20.0]])
    t = np.array([76.0, 176.7, 183.3, 183.5])
    after = time_after_light(t, vtx, pulse)
    np.testing.assert_allclose(after, [76.0 - 76.71967, 176.7 - 76.71967, 183.3 - 83.39102, 183.5 - 83.39102],
                               atol=1e-4)
    keep = timing_cut(t, np.zeros(4), ("0 ns", "100 ns"), reference="light", vertex=vtx, pulse=pulse)
    assert keep.tolist() == [False, True, True, False]
    # the pulse clock (default) sees t itself: only the first passes [0, 100] ns
    assert timing_cut(t, np.zeros(4), ("0 ns", "100 ns")).tolist() == [True, False, False, False]
    with pytest.raises(ValueError, match="vertices"):
        timing_cut(t, np.zeros(4), (0.0, 100.0), reference="light")


def test_light_reference_counts_from_the_leading_edge_of_gaussian_pulses():
    # SNS: Gaussian FWHM 350 ns centred at 0 (pulses.toml) → σ = 350/(2√(2 ln 2)) = 148.6313 ns,
    # leading edge −3σ = −445.8939 ns; CsI at 19.3 m: light 64.3779 ns
    from darkbeam.timing import pulse_for, time_after_light
    sns = pulse_for("SNS")
    sigma = 350.0 / (2 * np.sqrt(2 * np.log(2)))
    assert sns.leading_edge == pytest.approx(-3 * sigma, rel=1e-12)
    assert sns.leading_edge == pytest.approx(-445.8939, abs=1e-4)
    after = time_after_light([0.0], [[0.0, 0.0, 19.3]], sns)
    assert after[0] == pytest.approx(445.8939 - 19.3 / C_M_NS, abs=1e-4)
    # MLF double pulse: first bunch at 0, FWHM 100 ns → −3σ = −127.3983 ns
    assert pulse_for("JPARC_MLF").leading_edge == pytest.approx(-3 * 100.0 / (2 * np.sqrt(2 * np.log(2))), rel=1e-12)
    # flat / triangular / table: where the density starts
    assert pulse_for("LANSCE_Lujan").leading_edge == 0.0 and pulse_for("ESS").leading_edge == 0.0
    from darkbeam.timing import TablePulse
    table = TablePulse(np.array([-80.0, -50.0, -49.0, 49.0, 50.0]), np.array([0.0, 0.0, 1.0, 1.0, 0.0]))
    assert table.leading_edge == -50.0
    assert time_after_light([10.0], [[0.0, 0.0, 0.0]], None)[0] == 10.0     # no pulse: edge 0


def test_time_reference_card_value():
    from darkbeam.timing import parse_time_reference
    assert parse_time_reference(None) == "pulse" and parse_time_reference("light") == "light"
    with pytest.raises(CardError, match=r"c.toml: \[cuts\] time_reference = 'detector': expected 'pulse'"):
        parse_time_reference("detector", "c.toml")
