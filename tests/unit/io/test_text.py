"""The numeric text of the text formats reads back to the same numbers (float64 round trip)."""

from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from darkbeam.io import _text


def _render(values):
    return _text.join([_text.num(np.asarray(values)), "\n"], len(values)).to_pylist()


@settings(max_examples=60, deadline=None)
@given(arrays(np.float64, st.integers(2, 400), elements=st.floats(allow_nan=False, allow_infinity=False)))
def test_floats_round_trip(x):
    back = np.array([float(s) for s in _render(x)])
    assert np.array_equal(back, x) and np.array_equal(np.signbit(back), np.signbit(x))


@settings(max_examples=30, deadline=None)
@given(arrays(np.int64, st.integers(2, 200), elements=st.integers(-(2**63) + 1, 2**63 - 1)))
def test_integers_round_trip(x):
    assert [int(s) for s in _render(x)] == x.tolist()


def test_known_strings():
    # 17 significant digits, trailing zeros dropped, exponent only when ≠ 0:
    # 0.1 = 0.1000000000000000055511151231257827… → 1.0000000000000001e-1 (17 digits, rounded)
    # 2⁻⁶⁰ = 8.67361737988403547205962240695953369140625e-19 → 8.6736173798840355e-19 (…547 rounds up)
    x = np.array([0.1, 2.0 ** -60, 12.5, 1.0, -0.0, 0.0, -3e-7])
    assert _render(x) == ["1.0000000000000001e-1\n", "8.6736173798840355e-19\n", "1.25e1\n", "1\n", "-0\n",
                          "0\n", "-2.9999999999999999e-7\n"]
    # columns with NaN, ±inf or |x| > 1e280 go through Arrow's shortest round-trip cast
    assert _render(np.array([0.1, 1e300, np.nan, -np.inf])) == ["0.1\n", "1e+300\n", "nan\n", "-inf\n"]


def _python_17_digits(x: float) -> str:
    """The same text from CPython's correctly rounded ``%.16e`` (David Gay's dtoa): d.ddd…e<k>
    with trailing zeros, a bare point and a zero exponent dropped."""
    mantissa, exponent = f"{x:.16e}".split("e")
    mantissa = mantissa.rstrip("0").rstrip(".")
    k = int(exponent)
    return mantissa + (f"e{k}" if k else "")


def test_digits_agree_with_cpython_at_decade_and_binade_edges():
    # the decimal exponent is estimated from the binary one and corrected: values at and next to
    # powers of ten and of two are where an estimate off by one would show
    edges = np.concatenate([10.0 ** np.arange(-279, 280), 2.0 ** np.arange(-920, 920)])
    x = np.concatenate([edges, np.nextafter(edges, 0), np.nextafter(edges, np.inf)])
    x = np.concatenate([x, -x, np.random.default_rng(7).lognormal(0, 60, 20_000)])
    x = x[(np.abs(x) >= 1e-280) & (np.abs(x) <= 1e280)]
    got = [s[:-1] for s in _render(x)]
    want = [_python_17_digits(v) for v in x.tolist()]
    assert got == want
