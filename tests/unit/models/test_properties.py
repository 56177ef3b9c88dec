"""Property tests: widths finite, non-negative and smooth over 1 MeV–2 GeV; BRs sum to 1."""

import math
import warnings

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkbeam.models import ALP, DarkMatter, DarkScalar, ModelValidityWarning, preset

pytestmark = pytest.mark.filterwarnings("ignore::darkbeam.models.ModelValidityWarning")

MASSES = st.floats(min_value=1e-3, max_value=2.0, allow_nan=False)
PRESETS = st.sampled_from([
    ("dark_photon", {"epsilon": 1e-4}), ("b_minus_l", {"g": 1e-5}), ("baryonic", {"g": 1e-5}),
    ("lmu_minus_ltau", {"g": 1e-5}), ("chargephobic", {"g": 1e-5}), ("chargephobic", {"g": 1e-5, "phi": 1.234}),
    ("t3r", {"g": 1e-3}), ("ud_arbitrary", {"g": 1e-5, "c": -0.1, "tan_eta": -0.75}), ("universal", {"g": 1e-5}),
])

# thresholds where a channel opens (GeV): 2m_e, 2m_μ, m_π⁰, 2m_π, 3π, 2m_K, 2m_K⁰
THRESHOLDS = [2 * 0.51099895e-3, 2 * 0.1056583755, 0.1349768, 2 * 0.13957039, 2 * 0.13957039 + 0.1349768,
              0.547862, 2 * 0.493677, 2 * 0.497611]


def _check(model):
    widths = model._partial_widths()
    for ch, w in widths.items():
        assert math.isfinite(w) and w >= 0.0, (ch, w)
    tot = model.total_width()
    assert tot >= 0
    if tot == 0:  # documented: nothing open (e.g. dark photon below 2m_e) → stable, BRs 0
        assert all(b == 0.0 for b in model.branching_ratios().values())
        assert model.ctau() == math.inf
        return tot
    assert sum(model.branching_ratios().values()) == pytest.approx(1.0, rel=1e-12)
    assert math.isfinite(model.ctau()) and model.ctau() > 0
    return tot


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(m=MASSES, p=PRESETS)
def test_vector_presets_finite_and_normalised(m, p):
    name, params = p
    _check(preset(name, m, **params))


@settings(max_examples=40, deadline=None)
@given(m=MASSES, p=PRESETS)
def test_vector_widths_smooth(m, p):
    # relative step 1e-6 in mass (≤ 2 keV): the narrowest structure (φ, Γ = 4.2 MeV) and the √β
    # onset at thresholds change Γ_tot by far less than 1 %
    name, params = p
    t1 = _check(preset(name, m, **params))
    t2 = _check(preset(name, m * (1 + 1e-6), **params))
    assert abs(t2 - t1) <= 1e-2 * max(t1, t2)


@pytest.mark.parametrize("m", THRESHOLDS)
@pytest.mark.parametrize("rel", [-1e-12, 0.0, 1e-12, 1e-6])
def test_exactly_at_thresholds(m, rel):
    for name, params in [("dark_photon", {"epsilon": 1e-4}), ("b_minus_l", {"g": 1e-5}), ("chargephobic", {"g": 1e-5})]:
        _check(preset(name, m * (1 + rel), **params))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelValidityWarning)
        _check(DarkScalar(m * (1 + rel), sin_theta=1e-4))
    _check(ALP(m * (1 + rel), g_agg=1e-5, g_aee=1e-6, g_amumu=1e-6))


@settings(max_examples=40, deadline=None)
@given(m=MASSES, mchi_frac=st.floats(min_value=0.01, max_value=0.7), kind=st.sampled_from(["dirac", "complex_scalar"]))
def test_dark_matter_invisible_channel(m, mchi_frac, kind):
    model = preset("dark_photon", m, epsilon=1e-4)
    x = model.with_couplings()
    x.dark_matter = DarkMatter(kind, mchi_frac * m, 0.5)
    _check(x)
    if mchi_frac >= 0.5:
        assert x.width("chichibar") == 0.0


@settings(max_examples=40, deadline=None)
@given(m=MASSES, s=st.floats(min_value=1e-8, max_value=1e-2))
def test_scalar_and_alp_finite(m, s):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ModelValidityWarning)
        _check(DarkScalar(m, sin_theta=s))
    _check(ALP(m, g_agg=s, g_aee=s))
