"""Pulse shapes: analytic moments by hand, sampled moments and distributions, the catalog and
card overrides."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy import stats

from darkbeam.errors import CardError, CatalogError, InputFileError
from darkbeam.timing import (FlatPulse, TriangularPulse, list_pulse_facilities, pulse_catalog,
                             pulse_for, pulse_from_spec)

REQUIRED = ["BNB", "BNB_dump", "NuMI", "LBNF", "LANSCE_Lujan", "SNS", "JPARC_MLF", "ESS",
            "PIP2_BD", "U70", "CERN_SPS", "SLAC"]
FWHM = 2.0 * math.sqrt(2.0 * math.log(2.0))        # 2.3548...


def _rng(k=0):
    return np.random.default_rng(np.random.SeedSequence(20261121, spawn_key=(k,)))


# --- the catalog --------------------------------------------------------------------------
def test_every_required_facility_has_a_cited_pulse():
    cat = pulse_catalog()
    for name in REQUIRED:
        assert name in cat, name
        assert cat[name]["sources"], f"{name} has no source"
        assert "unconfirmed" in cat[name]
    assert set(REQUIRED) <= set(list_pulse_facilities())


def _expected_moments():
    """(mean, std) of each facility's pulse, worked out by hand from the data-file numbers."""
    out = {}
    # BNB: 81 Gaussian bunches k·18.94 ns (k = 0..80), FWHM 2 ns. Mean = 40·18.94 = 757.6 ns;
    # variance = σ_b² + s²·(N² − 1)/12 with the variance of a discrete uniform on 0..N−1.
    sb = 2.0 / FWHM
    var = sb ** 2 + 18.94 ** 2 * (81 ** 2 - 1) / 12
    out["BNB"] = out["BNB_dump"] = (757.6, math.sqrt(var))
    # NuMI/LBNF: 6 batches × 81 bunches, centres 1620·b + 18.83·k. Mean = 2.5·1620 + 40·18.83
    # = 4050 + 753.2 = 4803.2 ns; variance = σ_b² + 1620²·(6²−1)/12 + 18.83²·(81²−1)/12
    sb = 3.5 / FWHM
    var = sb ** 2 + 1620 ** 2 * 35 / 12 + 18.83 ** 2 * (81 ** 2 - 1) / 12
    out["NuMI"] = out["LBNF"] = (4803.2, math.sqrt(var))
    # Lujan: symmetric triangle on [0, 280]: mean 140, σ = width/√24 = 57.155 ns
    out["LANSCE_Lujan"] = (140.0, 280 / math.sqrt(24))
    # SNS: Gaussian FWHM 350 ns centred at 0: σ = 350/2.3548 = 148.63 ns
    out["SNS"] = (0.0, 350 / FWHM)
    # MLF: two equal Gaussian bunches at 0 and 540 ns, FWHM 100: mean 270,
    # variance = σ² + 270² (half the separation squared)
    out["JPARC_MLF"] = (270.0, math.sqrt((100 / FWHM) ** 2 + 270 ** 2))
    # flat pulses: mean w/2, σ = w/√12
    for name, w in {"ESS": 2.86e6, "PIP2_BD": 20.0, "U70": 4950.0, "CERN_SPS": 10500.0,
                    "SLAC": 1700.0}.items():
        out[name] = (w / 2, w / math.sqrt(12))
    return out


@pytest.mark.parametrize("name", REQUIRED)
def test_analytic_moments_match_hand_calculation(name):
    mean, std = _expected_moments()[name]
    p = pulse_for(name)
    assert p.mean == pytest.approx(mean, rel=1e-12, abs=1e-9)
    assert p.std == pytest.approx(std, rel=1e-12)


@pytest.mark.parametrize("name", REQUIRED)
def test_sampled_pulse_reproduces_analytic_mean_and_width(name):
    p = pulse_for(name)
    n = 400_000
    t = p.sample(_rng(REQUIRED.index(name)), n)
    assert t.shape == (n,) and np.all(np.isfinite(t))
    # 5 standard errors: SE(mean) = σ/√n; SE(std) ≈ σ·√((β₂ − 1)/4n) with β₂ ≤ 3 for these shapes
    assert t.mean() == pytest.approx(p.mean, abs=5 * p.std / math.sqrt(n))
    assert t.std() == pytest.approx(p.std, abs=5 * p.std * math.sqrt(2.0 / (4 * n)))


@pytest.mark.parametrize("name", ["BNB", "NuMI", "LANSCE_Lujan", "SNS", "JPARC_MLF", "ESS"])
def test_sampled_pulse_follows_its_distribution_function(name):
    p = pulse_for(name)
    t = p.sample(_rng(100 + REQUIRED.index(name)), 20_000)
    assert stats.kstest(t, p.cdf).pvalue > 1e-3


def test_bunch_structure_of_the_bnb():
    """Times folded on the 18.94 ns RF period cluster within a few σ_b of the bunch centres,
    and no proton arrives after the 81st bunch (81·18.94 = 1534 ns)."""
    p = pulse_for("BNB")
    t = p.sample(_rng(7), 100_000)
    phase = (t + 18.94 / 2) % 18.94 - 18.94 / 2
    sigma = 2.0 / FWHM
    assert np.mean(np.abs(phase) < 3 * sigma) > 0.99
    assert np.std(phase) == pytest.approx(sigma, rel=0.02)
    assert t.max() < 80 * 18.94 + 6 * sigma


def test_triangular_matches_scipy():
    p = TriangularPulse(start=10.0, width=300.0, peak=60.0)
    ref = stats.triang(c=50.0 / 300.0, loc=10.0, scale=300.0)
    assert p.mean == pytest.approx(ref.mean(), rel=1e-12)
    assert p.std == pytest.approx(ref.std(), rel=1e-12)
    x = np.linspace(0, 320, 33)
    np.testing.assert_allclose(p.cdf(x), ref.cdf(x), atol=1e-12)
    np.testing.assert_allclose(p.pdf(x), ref.pdf(x), atol=1e-12)


@pytest.mark.parametrize("peak", [0.0, 100.0])
def test_right_angled_triangles_sample_exactly(peak):
    p = TriangularPulse(0.0, 100.0, peak)
    t = p.sample(_rng(3), 50_000)
    assert t.min() >= 0 and t.max() <= 100
    assert stats.kstest(t, p.cdf).pvalue > 1e-3
    # mean of a right triangle: (0 + 100 + c)/3
    assert p.mean == pytest.approx((100 + peak) / 3)


def test_table_pulse_reproduces_a_triangle():
    """A piecewise-linear table through (0,0), (70,1), (280,0) is the triangle start 0, width 280,
    peak 70: mean (0+280+70)/3 = 116.67 ns, σ² = (280² + 70² − 280·70)/18."""
    p = pulse_from_spec({"kind": "table", "t": [0, 70, 280], "density": [0, 1, 0]})
    assert p.mean == pytest.approx(350 / 3, rel=1e-12)
    assert p.std == pytest.approx(math.sqrt((280 ** 2 + 70 ** 2 - 280 * 70) / 18), rel=1e-12)
    tri = TriangularPulse(0.0, 280.0, 70.0)
    x = np.linspace(-10, 290, 61)
    np.testing.assert_allclose(p.cdf(x), tri.cdf(x), atol=1e-12)
    t = p.sample(_rng(4), 200_000)
    assert t.mean() == pytest.approx(p.mean, abs=5 * p.std / math.sqrt(2e5))
    assert stats.kstest(t[:20_000], tri.cdf).pvalue > 1e-3


def test_table_pulse_from_csv(tmp_path):
    f = tmp_path / "pulse.csv"
    f.write_text("# t_ns, density\n0, 1\n100, 1\n")
    p = pulse_from_spec({"kind": "table", "file": str(f)})
    assert p.mean == pytest.approx(50.0) and p.std == pytest.approx(100 / math.sqrt(12))
    with pytest.raises(InputFileError, match="missing.csv"):
        pulse_from_spec({"kind": "table", "file": str(tmp_path / "missing.csv")})


# --- card overrides -----------------------------------------------------------------------
def test_override_one_parameter_keeps_the_rest():
    p = pulse_for("BNB", {"bunch_sigma": "1.3 ns"})
    assert p.sigma == pytest.approx(1.3)
    assert len(p.centres) == 81 and p.centres[1] - p.centres[0] == pytest.approx(18.94)


def test_override_with_another_kind_replaces_the_shape():
    p = pulse_for("LANSCE_Lujan", {"kind": "gaussian", "mean": "145 ns", "sigma": "72.5 ns"})
    assert (p.kind, p.mean, p.std) == ("gaussian", 145.0, 72.5)


def test_units_in_a_user_pulse():
    p = pulse_for("NoSuchFacility", {"kind": "flat", "width": "2.86 ms"})
    assert isinstance(p, FlatPulse) and p.width == pytest.approx(2.86e6)


def test_unknown_facility_without_a_pulse_is_a_catalog_error():
    with pytest.raises(CatalogError, match="NoSuchFacility"):
        pulse_for("NoSuchFacility")


def test_bad_specs_name_key_value_and_expectation():
    with pytest.raises(CardError, match="kind = 'box'.*expected one of"):
        pulse_from_spec({"kind": "box"})
    with pytest.raises(CardError) as exc:
        pulse_from_spec({"kind": "flat", "widht": 3, "start": "3 GeV"}, source="c.toml")
    text = str(exc.value)
    assert "c.toml" in text and "'widht'" in text and "missing key 'width'" in text
    assert "start = '3 GeV'" in text
    with pytest.raises(CardError, match="peak"):
        pulse_from_spec({"kind": "triangular", "width": 10, "peak": 20})
    with pytest.raises(CardError, match="not both"):
        pulse_from_spec({"kind": "gaussian", "sigma": 1, "fwhm": 2})
    with pytest.raises(CardError, match="filled_per_batch"):
        pulse_from_spec({"kind": "bunched", "bunch_spacing": 1, "buckets_per_batch": 3,
                         "filled_per_batch": 4, "bunch_sigma": 0.1})
    with pytest.raises(CardError, match="positive integer"):
        pulse_from_spec({"kind": "bunched", "bunch_spacing": 1, "buckets_per_batch": 2.5,
                         "bunch_sigma": 0.1})
    with pytest.raises(CardError, match="increasing"):
        pulse_from_spec({"kind": "table", "t": [0, 0], "density": [1, 1]})
    with pytest.raises(CardError, match="width"):
        pulse_from_spec({"kind": "flat", "width": -1})


# --- properties ---------------------------------------------------------------------------
@settings(max_examples=40, deadline=None)
@given(start=st.floats(-1e6, 1e6), width=st.floats(1e-3, 1e7), frac=st.floats(0, 1),
       seed=st.integers(0, 2 ** 32 - 1))
def test_flat_and_triangular_samples_stay_in_their_support(start, width, frac, seed):
    rng = np.random.default_rng(seed)
    for p in (FlatPulse(start, width), TriangularPulse(start, width, start + frac * width)):
        t = p.sample(rng, 1000)
        span = 1e-9 * max(1.0, abs(start) + width)
        assert np.all(np.isfinite(t))
        assert np.all(t >= start - span) and np.all(t <= start + width + span)
        assert start - span <= p.mean <= start + width + span and p.std >= 0


@settings(max_examples=30, deadline=None)
@given(dens=st.lists(st.floats(0.0, 10.0), min_size=2, max_size=8),
       steps=st.lists(st.floats(0.5, 100.0), min_size=7, max_size=7),
       t0=st.floats(-1e5, 1e5), seed=st.integers(0, 2 ** 32 - 1))
def test_table_moments_equal_numerical_integration(dens, steps, t0, seed):
    """Exact table moments against scipy quadrature of t·f(t) and t²·f(t) over the
    interpolated density; samples stay within the table's support."""
    from scipy import integrate
    d = np.array(dens)
    if d[:-1].sum() + d[1:].sum() <= 0:
        d[0] = 1.0
    t = t0 + np.concatenate([[0.0], np.cumsum(steps[: len(d) - 1])])
    p = pulse_from_spec({"kind": "table", "t": t.tolist(), "density": d.tolist()})
    f = lambda x: np.interp(x, t, d / d.max())    # noqa: E731  (the shape is scale-free)
    pts = list(t)
    norm = integrate.quad(f, t[0], t[-1], points=pts, limit=200)[0]
    m1 = integrate.quad(lambda x: (x - t[0]) * f(x), t[0], t[-1], points=pts, limit=200)[0] / norm
    m2 = integrate.quad(lambda x: (x - t[0]) ** 2 * f(x), t[0], t[-1], points=pts, limit=200)[0] / norm
    assert p.mean == pytest.approx(t[0] + m1, rel=1e-9, abs=1e-7)
    assert p.std == pytest.approx(math.sqrt(max(m2 - m1 * m1, 0.0)), rel=1e-6, abs=1e-6)
    assert integrate.quad(p.pdf, t[0], t[-1], points=pts, limit=200)[0] == pytest.approx(1.0, rel=1e-9)
    assert p.cdf(np.array([t[0] - 1.0, t[-1]])).tolist() == [0.0, 1.0]
    s = p.sample(np.random.default_rng(seed), 2000)
    assert np.all(s >= t[0] - 1e-9 * abs(t[0]) - 1e-9) and np.all(s <= t[-1] + 1e-9 * abs(t[-1]) + 1e-9)


def test_table_with_a_gap_never_samples_inside_it():
    """The flat-topped double bunch of cards/jsns2_dark_photon_timing.toml: two equal trapezoids
    centred at 0 and 540 ns, zero density in between; mean (0 + 540)/2 = 270 ns."""
    p = pulse_from_spec({"kind": "table",
                         "t": ["-50 ns", "-49 ns", "49 ns", "50 ns", "490 ns", "491 ns", "589 ns", "590 ns"],
                         "density": [0, 1, 1, 0, 0, 1, 1, 0]})
    assert p.mean == pytest.approx(270.0, rel=1e-12)
    t = p.sample(_rng(9), 100_000)
    assert not np.any((t > 50) & (t < 490))
    assert np.mean(t < 270) == pytest.approx(0.5, abs=5 * 0.5 / math.sqrt(1e5))


def test_pulse_or_notice():
    from darkbeam.timing import pulse_or_notice
    p, note = pulse_or_notice("NA64_facility")
    assert p is None and "NA64_facility" in note
    p, note = pulse_or_notice("SNS")
    assert note is None and p.std == pytest.approx(350 / FWHM)
    with pytest.raises(CardError):
        pulse_or_notice("SNS", {"fwhm": "1 GeV"})
