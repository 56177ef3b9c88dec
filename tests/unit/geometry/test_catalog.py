"""The catalog: every file loads, masses recomputed from the raw data agree with the quoted ones
(or the documented ratio), frames and PRISM against published numbers, bad input fails clearly."""

from __future__ import annotations

import math
import tomllib
from importlib import resources

import numpy as np
import pytest

from darkbeam.errors import CatalogError
from darkbeam.detectors import (
    detector_from_dict,
    detector_table,
    draw_facility,
    list_detectors,
    list_facilities,
    load_detector,
    load_facility,
    load_material,
)

DATA = resources.files("darkbeam.detectors") / "data"
N_A = 6.02214076e23


def raw(kind: str, name: str) -> dict:
    with (DATA / kind / f"{name}.toml").open("rb") as fh:
        return tomllib.load(fh)


def raw_volume(shape: dict) -> float:
    """Volume (m³) written out here from the data, independently of the Shape classes."""
    kind = shape["kind"]
    if kind == "box":
        return float(np.prod(shape["size"]))
    if kind == "cylinder":
        return math.pi * shape["radius"] ** 2 * shape["height"]
    if kind == "sphere":
        return 4.0 / 3.0 * math.pi * shape["radius"] ** 3
    return sum(raw_volume(p) for p in shape["parts"])


REQUIRED_FACILITIES = {"BNB", "BNB_dump", "NuMI", "LBNF", "LANSCE_Lujan", "SNS", "JPARC_MLF", "ESS",
                       "PIP2_BD", "U70", "CERN_SPS", "SLAC"}
REQUIRED_DETECTORS = {
    "SBND", "MicroBooNE", "ICARUS", "MiniBooNE", "MiniBooNE_dump", "DUNE_ND_LAr", "DUNE_ND_GAr",
    "NOvA_ND", "CCM120", "CCM200", "JSNS2", "JSNS2_II", "COHERENT_CsI", "COHERENT_Ar10",
    "COHERENT_Ar750", "ESS_CsI", "ESS_Si", "ESS_Xe", "ESS_Ge", "ESS_Ar", "ESS_C3F8", "nuBDX_DRIFT",
    "PIP2BD", "LSND", "NuCal", "CHARM", "E137",
}


def test_catalog_is_complete_and_sourced():
    assert REQUIRED_FACILITIES <= set(list_facilities())
    assert REQUIRED_DETECTORS <= set(list_detectors())
    for kind, names in (("facilities", list_facilities()), ("detectors", list_detectors())):
        for n in names:
            spec = raw(kind, n)
            assert spec.get("sources"), f"{kind}/{n}.toml has no [sources] table"


@pytest.mark.parametrize("name", list_detectors())
def test_mass_from_shape_and_material(name):
    spec = raw("detectors", name)
    det = load_detector(name)
    assert det.facility in list_facilities()
    if "mass_t" not in spec:
        assert "no mass" in spec["mass_volume"]  # decay volumes say so
        return
    with (DATA / "materials.toml").open("rb") as fh:
        density = tomllib.load(fh)[spec["material"]]["density"]  # g/cm³ = t/m³
    ratio = raw_volume(spec["shape"]) * density / spec["mass_t"]
    documented = spec.get("mass_check", {}).get("ratio")
    if documented is None:
        assert ratio == pytest.approx(1.0, abs=0.05), f"{name}: shape mass / quoted = {ratio:.3f}"
    else:
        assert spec["mass_check"]["note"]
        assert ratio == pytest.approx(documented, rel=0.01)
        assert det.shape.volume() * density / det.mass_t == pytest.approx(ratio, rel=1e-9)


def test_foundation_numbers_bnb_sbnd():
    f = load_facility("BNB")
    assert (f.beam_momentum, f.pot, f.target_material) == (8.89, 6.6e20, "Be")
    assert (f.target_length, f.target_radius) == (0.7112, 0.00476)
    # 71.12 cm of Be (λ_I = 77.8 g/cm² / 1.848 g/cm³ = 42.10 cm): P = 1 − e^{−1.689} = 0.815
    assert f.target.interaction_probability == pytest.approx(0.8153, abs=1e-4)
    d = load_detector("SBND")
    np.testing.assert_allclose(d.placement.centre, [0.7378, 0, 110])
    l_in, l_out = d.intersect(np.array([[0.7378, 0.0, 0.0]]), np.array([[0.0, 0.0, 1.0]]))
    assert (l_in[0], l_out[0]) == pytest.approx((107.5, 112.5))


def test_beam_momenta_from_kinetic_energy():
    m_p = 0.93827208816
    f = load_facility("SNS")   # 1 GeV kinetic
    assert f.beam_momentum == pytest.approx(math.sqrt(1.0**2 + 2 * 1.0 * m_p), rel=1e-12)
    f = load_facility("LBNF")  # 120 GeV/c momentum, the kinetic energy written to 4 digits
    assert f.beam_momentum == 120.0
    assert f.beam_kinetic_energy == pytest.approx(math.hypot(120.0, m_p) - m_p, rel=1e-4)
    assert load_facility("SLAC").beam_particle == "electron"


def test_frames_of_dipping_and_vertical_beams():
    np.testing.assert_allclose(load_facility("LBNF").up, [0, 0.99490, -0.10083], atol=1e-5)
    lujan = load_facility("LANSCE_Lujan")
    assert lujan.vertical and np.allclose(lujan.up, [0, 0, -1])
    # Mark-III: 9.1 cm + 29.8 cm of W (reference/facilities.md §2d)
    assert lujan.target_length == pytest.approx(0.389)
    assert [s.z_start for s in lujan.target.segments] == [-0.424, -0.149]
    # CCM200 at 88.98° from the (downward) beam (reference/facilities.md §2d)
    assert math.degrees(load_detector("CCM200").off_axis_angle) == pytest.approx(88.98, abs=0.01)


def test_dune_prism():
    # 30.5 m off-axis at 574 m is ~53 mrad (seed 002: "up to 30.5 m off-axis (~53 mrad or 3°)")
    d = load_detector("DUNE_ND_LAr", offaxis=30.5)
    np.testing.assert_allclose(d.placement.centre, [30.5, 0, 574.0])
    assert d.off_axis_angle == pytest.approx(math.atan2(30.5, 574.0))
    assert 1e3 * d.off_axis_angle == pytest.approx(53, abs=0.5)
    # moving back to 10 m is relative to the on-axis position
    np.testing.assert_allclose(d.at_offaxis(10.0).placement.centre, [10.0, 0, 574.0])
    with pytest.raises(CatalogError, match="expected 0 to 30.5 m"):
        load_detector("DUNE_ND_LAr", offaxis=31.0)
    with pytest.raises(CatalogError, match="cannot move off-axis"):
        load_detector("SBND", offaxis=1.0)


def test_detector_table_rows():
    rows = {r["name"]: r for r in detector_table()}
    assert set(rows) == set(list_detectors())
    assert rows["SBND"]["distance_m"] == pytest.approx(math.hypot(0.7378, 110.0))
    assert rows["MiniBooNE"]["off_axis_mrad"] == pytest.approx(1e3 * math.atan2(1.89614, 541.34))
    assert rows["COHERENT_CsI"]["off_axis_deg"] == pytest.approx(90.0)
    assert rows["ICARUS"]["mass_t"] == 476 and rows["NuCal"]["mass_t"] is None


# --------------------------------------------------------------------------------- materials
def tsai_x0(z: int, a: float) -> float:
    """Radiation length (g/cm²), Tsai's formula as given in RPP eq. 34.26 with its L_rad table."""
    alpha_z = z / 137.035999
    f = alpha_z**2 * (1 / (1 + alpha_z**2) + 0.20206 - 0.0369 * alpha_z**2
                      + 0.0083 * alpha_z**4 - 0.002 * alpha_z**6)
    table = {1: (5.31, 6.144), 2: (4.79, 5.621), 3: (4.74, 5.805), 4: (4.71, 5.924)}
    l_rad, l_rad_p = table.get(z, (math.log(184.15 * z ** (-1 / 3)), math.log(1194 * z ** (-2 / 3))))
    return 716.408 * a / (z * z * (l_rad - f) + z * l_rad_p)


def test_element_radiation_lengths_match_tsai():
    with (DATA / "elements.toml").open("rb") as fh:
        elements = tomllib.load(fh)
    for sym, e in elements.items():
        assert e["X0"] == pytest.approx(tsai_x0(e["Z"], e["A"]), rel=2e-3), sym
        if e["Z"] > 2:  # λ_I ≈ 35 A^{1/3} g/cm² (RPP), rough: catches typos only
            assert e["lambda_I"] == pytest.approx(35 * e["A"] ** (1 / 3), rel=0.12), sym


@pytest.mark.parametrize(
    "name,x0,lam",
    [("Air", 36.62, 90.1), ("CsI", 8.39, None), ("MineralOil", 44.77, 78.5)],
)
def test_mixture_rule_reproduces_pdg_compounds(name, x0, lam):
    # PDG compound values: dry air 36.62 / 90.1 g/cm², CsI 8.39 g/cm², polyethylene 44.77 / 78.5
    m = load_material(name)
    assert m.X0 == pytest.approx(x0, rel=2e-3)
    if lam is not None:
        assert m.lambda_I == pytest.approx(lam, rel=5e-3)


def test_number_densities():
    lar = load_material("LAr")
    n_ar = 1.396 * N_A / 39.948
    assert lar.nuclei_per_cm3()[18] == pytest.approx(n_ar, rel=1e-12)
    assert lar.electrons_per_cm3() == pytest.approx(18 * n_ar, rel=1e-12)
    water = load_material("Water")
    m_h2o = 2 * 1.008 + 15.999
    assert water.nuclei_per_cm3()[1] == pytest.approx(2 * N_A / m_h2o, rel=1e-12)
    assert water.electrons_per_cm3() == pytest.approx(10 * N_A / m_h2o, rel=1e-12)
    assert load_material("Be").interaction_length_m == pytest.approx(0.7780 / 1.848)


# --------------------------------------------------------------------------------- bad input
BOX = {"kind": "box", "size": [1.0, 1.0, 1.0]}


@pytest.mark.parametrize(
    "spec,match",
    [
        ({"shape": BOX, "placement": {"centre": [0, 0, 20]}, "material": "Unobtainium"},
         "material = 'Unobtainium'"),
        ({"shape": {"kind": "box", "size": [0.0, 1, 1]}, "placement": {"centre": [0, 0, 20]}},
         "size = 0.0: expected a positive number"),
        ({"shape": {"kind": "cylinder", "radius": -1.0, "height": 1}, "placement": {"centre": [0, 0, 20]}},
         "radius = -1.0"),
        ({"shape": {"kind": "cone"}, "placement": {"centre": [0, 0, 20]}}, "kind = 'cone'"),
        ({"shape": BOX, "placement": {"centre": [0, 0, 20], "rotation": [[1, 0, 0], [0, 1, 0.1], [0, 0, 1]]}},
         "orthonormal"),
        ({"shape": BOX, "placement": {"centre": [0, 0, 20], "axes": {"x": [1, 0, 0], "y": [0.1, 1, 0]}}},
         "orthogonal unit vectors"),
        ({"shape": BOX, "facility": "BNB", "placement": {"centre": [0, 0, 0.3]}},
         "overlaps the target of facility BNB"),
        ({"shape": {"kind": "sphere", "radius": 2.0}, "facility": "LANSCE_Lujan", "placement": {"centre": [1.5, 0, 0]}},
         "overlaps the target of facility LANSCE_Lujan"),
        ({"shape": BOX}, "missing key 'placement'"),
        ({"shape": BOX, "placement": {"centre": [0, 0]}}, "expected three numbers"),
    ],
)
def test_bad_detectors_fail_clearly(spec, match):
    with pytest.raises(CatalogError, match=match) as info:
        detector_from_dict(spec, name="mine")
    assert "detector mine" in str(info.value)


def test_unknown_names():
    with pytest.raises(CatalogError, match="unknown detector 'XYZ'; known: .*SBND"):
        load_detector("XYZ")
    with pytest.raises(CatalogError, match="unknown facility"):
        load_facility("XYZ")
    with pytest.raises(CatalogError, match="unknown material"):
        load_material("XYZ")


def test_user_detector_from_a_card_block():
    spec = {"facility": "SNS", "material": "CsI", "mass_t": 0.0146,
            "shape": {"kind": "cylinder", "radius": 0.08, "height": 0.16, "axis": [0, 1, 0]},
            "placement": {"centre": [19.3, 0, 0]}}
    d = detector_from_dict(spec, name="my_csi")
    # a ray along x through the centre crosses the 16 cm diameter: 19.22 → 19.38 m
    l_in, l_out = d.intersect(np.zeros((1, 3)), np.array([[1.0, 0, 0]]))
    assert (l_in[0], l_out[0]) == pytest.approx((19.22, 19.38))
    # a ray along y (the axis) through the centre crosses the 16 cm height, also 0.16 m long
    l_in, l_out = d.intersect(np.array([[19.3, -5.0, 0]]), np.array([[0, 1.0, 0]]))
    assert (l_in[0], l_out[0]) == pytest.approx((4.92, 5.08))


def test_icarus_is_two_modules():
    d = load_detector("ICARUS")
    seg = d.segments(np.array([[-10.0, -0.202, 600.0]]), np.array([[1.0, 0, 0]]))[0]
    np.testing.assert_allclose(seg, [[6.39785, 9.39785], [10.60215, 13.60215]], rtol=1e-12)


@pytest.mark.parametrize("name", ["BNB", "LANSCE_Lujan"])
def test_draw_facility_writes_png(name, tmp_path):
    out = tmp_path / f"{name}.png"
    assert draw_facility(name, out) == str(out)
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 10_000
    assert list(tmp_path.iterdir()) == [out]  # no temporary left behind


def test_card_block_naming_a_catalog_detector_with_overrides():
    d = detector_from_dict({"name": "DUNE_ND_LAr", "offaxis": 12.0})
    np.testing.assert_allclose(d.placement.centre, [12.0, 0.0, 574.0])
    assert d.mass_t == 147
    d = detector_from_dict({"name": "SBND", "placement": {"centre": [0.0, 0.0, 112.5]}})
    assert d.distance == pytest.approx(112.5)


def test_sbn_detectors_seen_from_numi():
    # reference/facilities.md §2c: MicroBooNE 681.8 m at 134.8 mrad; ICARUS 799.2 m at 100.4 mrad
    for name, dist, mrad in (("MicroBooNE_NuMI", 681.8, 134.8), ("ICARUS_NuMI", 799.2, 100.4)):
        d = load_detector(name)
        assert d.distance == pytest.approx(dist, abs=0.1)
        assert 1e3 * d.off_axis_angle == pytest.approx(mrad, abs=0.1)
        r = d.placement.rotation
        np.testing.assert_allclose(r.T @ r, np.eye(3), atol=1e-12)
        np.testing.assert_allclose(r[:, 2], [0.3888, -0.0583, 0.9195], atol=2e-4)  # BNB z in NuMI


def test_axes_tolerance_is_bounded():
    spec = {"shape": BOX, "placement": {"centre": [0, 0, 50],
                                        "axes": {"x": [1, 0, 0], "y": [0.01, 1, 0], "tolerance": 1e-4}}}
    with pytest.raises(CatalogError, match="from orthonormal"):
        detector_from_dict(spec)
    spec["placement"]["axes"]["tolerance"] = 0.1
    with pytest.raises(CatalogError, match="at most 1e-3"):
        detector_from_dict(spec)


def test_catalog_and_source_data_agree():
    """Beam and target appear in the catalog (geometry) and in the source data (yields, shapes);
    they must describe the same facility."""
    from darkbeam.sources import source_parameters
    for name in list_facilities():
        f = load_facility(name)
        par = source_parameters(name)
        assert par["beam_momentum_GeV"] == pytest.approx(f.beam_momentum, rel=1e-3), name
        assert par["beam"] == f.beam_particle, name
