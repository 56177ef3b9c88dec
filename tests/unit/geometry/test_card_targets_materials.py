"""Card features of issue 20 item 5–6: point-like facility target, custom detector materials,
isotope choice, the natural-isotope data and the single place of the BNB_dump target length.
Reference numbers are computed by hand in the docstrings (NIST/IUPAC data, G4BNB geometry)."""

from __future__ import annotations

import numpy as np
import pytest

from darkbeam.card import card_from_dict
from darkbeam.detectors import load_facility, load_material, material_from_dict
from darkbeam.detectors.materials import natural_isotopes
from darkbeam.errors import CardError, CatalogError
from darkbeam.pipeline import build
from darkbeam.scattering.signal import detector_targets
from darkbeam.sources.facility_parameters import facilities, source_parameters

N_A = 6.02214076e23

CARD = {
    "run": {"events": 1000, "outputs": [], "summary": False},
    "facility": {"name": "ESS", "pot": 1e20},
    "model": {"preset": "dark_photon", "mass": "10 MeV", "epsilon": 1e-6},
    "production": {"channels": ["pion_dar_neutrinos"]},
    "detector": {"name": "ESS_Ge"},
    "signal": {"kind": "scatter", "process": "cevns"},
    "cuts": {"recoil_min": "1 keV"},
}


def _card(**sections):
    raw = {k: dict(v) for k, v in CARD.items()}
    for k, v in sections.items():
        raw[k] = {**raw.get(k, {}), **v}
    return card_from_dict(raw, "test.toml")


# ------------------------------------------------------------------ isotope data
def test_isotope_tables_reproduce_the_standard_atomic_weights():
    """Σ x_i = 1 and Σ x_i m_i = the IUPAC standard atomic weight of elements.toml (to 2×10⁻⁴: the
    weights of S, Pb, H are conventional/interval values)."""
    import tomllib
    from importlib import resources
    elements = tomllib.loads((resources.files("darkbeam.detectors") / "data" / "elements.toml").read_text())
    for sym, el in elements.items():
        iso = natural_isotopes(sym)
        assert sum(x for _, _, x in iso) == pytest.approx(1.0, abs=1e-9), sym
        assert sum(m * x for _, m, x in iso) == pytest.approx(el["A"], rel=2e-4), sym
        assert all(round(m) == a for a, m, _ in iso), sym


def test_unknown_element_isotopes():
    with pytest.raises(CatalogError, match="no isotopic composition for element 'Xx'"):
        natural_isotopes("Xx")


# ------------------------------------------------------------------ detector materials
def test_xenon_detector_is_nine_isotopes_with_their_own_n():
    tg = detector_targets(load_detector_ess("ESS_Xe"))
    assert [x.mass_number_a for x in tg.nuclei] == [124, 126, 128, 129, 130, 131, 132, 134, 136]
    assert [x.n for x in tg.nuclei] == [70, 72, 74, 75, 76, 77, 78, 80, 82]
    dens = np.array([x.density for x in tg.nuclei])
    assert dens[6] / dens.sum() == pytest.approx(0.269086, rel=1e-9)      # ¹³²Xe, IUPAC 2013


def load_detector_ess(name):
    from darkbeam.detectors import load_detector
    return load_detector(name)


def test_isotope_choice_in_the_detector_block():
    plan = build(_card(detector={"name": "ESS_Ge", "isotopes": {"Ge": 72}}))
    tg = detector_targets(plan.detector)
    assert [(x.z, x.mass_number_a, x.n) for x in tg.nuclei] == [(32, 72, 40)]
    ge = load_material("Ge")
    # all Ge nuclei (ρ N_A / A_std) carried by ⁷²Ge
    assert tg.nuclei[0].density == pytest.approx(ge.density * N_A / 72.63 * 1e6, rel=1e-4, abs=0)
    assert tg.nuclei[0].a == pytest.approx(71.922075826, abs=1e-9)


@pytest.mark.parametrize("iso, msg", [({"Ge": 71}, "expected the mass number of a stable isotope of Ge: 70, 72, 73, 74, 76"),
                                      ({"Xe": 132}, "element Xe is not in material Ge"),
                                      ({"Ge": "72"}, "isotopes.Ge = '72'"),
                                      ("Ge72", "expected a table")])
def test_bad_isotope_choice(iso, msg):
    with pytest.raises(CardError, match=msg.replace("(", r"\(")):
        build(_card(detector={"name": "ESS_Ge", "isotopes": iso}))


def test_custom_composition_in_the_detector_block():
    """material = {density, formula}: CsI by formula equals the catalog CsI (4.51 g/cm³)."""
    plan = build(_card(detector={"name": "ESS_Ge", "material": {"name": "my_CsI", "density": 4.51,
                                                                 "formula": {"Cs": 1, "I": 1}}}))
    det = plan.detector
    assert det.material == "my_CsI"
    mine = detector_targets(det)
    ref = material_from_dict({"density": 4.51, "formula": {"Cs": 1, "I": 1}}, name="x")
    n_cs = 4.51 * N_A / (132.905 + 126.904) * 1e6        # molecules per m³, by hand
    assert sorted(x.z for x in mine.nuclei) == [53, 55]           # ¹²⁷I, ¹³³Cs: monoisotopic
    assert [x.density for x in mine.nuclei] == pytest.approx([n_cs, n_cs], rel=1e-4, abs=0)
    assert det.shape_mass_t() == pytest.approx(det.shape.volume() * 4.51)
    assert ref.density == 4.51


def test_number_densities_give_density_and_fractions():
    """number_densities = {Ar = 2.1e22 cm⁻³}: ρ = n A/N_A = 2.1e22 × 39.948/6.02214e23 = 1.39303 g/cm³."""
    mat = material_from_dict({"number_densities": {"Ar": 2.1e22}}, name="lar")
    assert mat.density == pytest.approx(2.1e22 * 39.948 / N_A, rel=1e-12)
    assert mat.nuclei_per_cm3()[18] == pytest.approx(2.1e22, rel=1e-12)
    two = material_from_dict({"number_densities": {"H": 2e22, "O": 1e22}}, name="w")
    assert two.nuclei_per_cm3()[1] == pytest.approx(2e22, rel=1e-12)
    assert two.nuclei_per_cm3()[8] == pytest.approx(1e22, rel=1e-12)


@pytest.mark.parametrize("material, msg", [
    ({"density": 4.5}, "give exactly one of 'formula'"),
    ({"density": -1, "formula": {"Cs": 1}}, "expected a positive number"),
    ({"density": 4.5, "formula": {"Qq": 1}}, "unknown element"),
    ({"density": 4.5, "formula": {"Cs": 0}}, "expected positive numbers"),
    ({"number_densities": {"Ar": -3}}, "expected positive numbers"),
    ({"number_densities": {"Ar": 1e22}, "density": 1.4}, "number_densities sets the density"),
    ({"density": 4.5, "formula": {"Cs": 1}, "colour": "red"}, "unknown key"),
    ("Unobtainium", "material = 'Unobtainium': expected one of"),
])
def test_bad_custom_material(material, msg):
    with pytest.raises(CardError, match=msg):
        build(_card(detector={"name": "ESS_Ge", "material": material}))


# ------------------------------------------------------------------ point-like target
def test_point_target_puts_every_vertex_at_the_origin():
    fac = load_facility("BNB")
    import dataclasses
    point = dataclasses.replace(fac.target, point_like=True)
    v = point.sample_interaction_points(1000, np.random.default_rng(1))
    assert np.all(v == 0.0)
    assert point.interaction_probability == fac.target.interaction_probability
    assert fac.target.sample_interaction_points(1000, np.random.default_rng(1))[:, 2].max() > 0


def test_point_target_from_the_card():
    card = card_from_dict({
        "run": {"events": 2000, "outputs": [], "summary": False},
        "facility": {"name": "BNB", "target": {"kind": "point"}},
        "model": {"preset": "dark_photon", "mass": "50 MeV", "epsilon": 1e-4},
        "production": {"channels": ["pi0_decay"]},
        "detector": {"name": "SBND"},
        "signal": {"kind": "decay", "final_state": "e+e-"},
    }, "point.toml")
    plan = build(card)
    assert plan.facility.target.point_like
    src = plan.sources[0]
    parents = src.sample(np.random.default_rng(2), 500)
    assert np.all(parents.vertex == 0.0) and np.all(parents.t == 0.0)


@pytest.mark.parametrize("target, msg", [({"kind": "line"}, "target.kind = 'line'"),
                                         ({}, "missing key 'target.kind'"),
                                         ({"kind": "point", "size": 1}, "unknown key 'target.size'")])
def test_bad_point_target(target, msg):
    with pytest.raises(CardError, match=msg):
        _card(facility={"target": target})


# ------------------------------------------------------------------ weak couplings option
def test_weak_couplings_option():
    plan = build(_card(signal={"weak_couplings": "tree"}))
    assert plan.signal.process_model().couplings == "tree"
    assert build(_card()).signal.process_model().couplings is None       # data-file default
    with pytest.raises(CardError, match="weak_couplings = 'loop'"):
        _card(signal={"weak_couplings": "loop"})


# ------------------------------------------------------------------ BNB_dump length
def test_bnb_dump_absorber_length_has_one_place():
    """G4BNB (SBNSoftware/G4BNB 7476727) geometry/BooNE_50m.gdml: first steel block of the 50 m
    absorber FBL1 = 2641.6 mm × 3048 × 3048 mm. The sources read the catalog's number."""
    fac = load_facility("BNB_dump")
    assert fac.target_length == pytest.approx(2.6416)
    assert fac.target_radius == pytest.approx(1.524)
    for name in facilities():
        par = source_parameters(name)["target"]
        assert par["length_m"] == load_facility(name).target_length, name
        if "radius_m" in par:      # the radius, where the sources also give one, agrees
            assert par["radius_m"] == pytest.approx(load_facility(name).target_radius), name
    # 15.7 interaction lengths: what passes the block is negligible
    assert fac.target.optical_depth == pytest.approx(2.6416 / (132.1 / 7.874 / 100), rel=2e-3)
