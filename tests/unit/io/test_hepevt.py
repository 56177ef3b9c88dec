"""HEPEVT for LArSoft/edep-sim, checked with a parser written here from LArSoft's documentation
(larsim/EventGenerator/TextFileGen_module.cc): per event ``event_number n_particles``, then per
particle ``status pdg mother1 mother2 daughter1 daughter2 px py pz E m x y z t`` (GeV, cm, ns;
entries 1-based, 0 = none)."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

from darkbeam import io
from darkbeam.io.frame import DetectorFrame
from darkbeam.io.hepevt import sidecar_path


def parse_hepevt(path):
    """Independent reader: a list of (event_number, rows of 15 numbers)."""
    events = []
    with open(path) as fh:
        lines = fh.read().splitlines()
    i = 0
    while i < len(lines):
        head = lines[i].split()
        assert len(head) == 2, f"line {i + 1}: event header must have two entries"
        number, n = int(head[0]), int(head[1])
        rows = []
        for line in lines[i + 1: i + 1 + n]:
            tok = line.split()
            assert len(tok) == 15, f"particle line must have 15 entries: {line!r}"
            rows.append([int(t) for t in tok[:6]] + [float(t) for t in tok[6:]])
        events.append((number, rows))
        i += 1 + n
    return events


def test_layout_units_and_tracking(sample, tmp_path):
    events, meta = sample
    path = io.write(events, tmp_path / "ev.hepevt", meta)
    parsed = parse_hepevt(path)
    assert [e[0] for e in parsed] == list(range(len(events)))
    for (number, rows), rec in zip(parsed, events):
        parts = rec.particles
        assert [r[1] for r in rows] == parts.pdg.tolist()
        # only the e⁻e⁺ from the detector vertex are status 1 (tracked); the γ made in the target
        # is a documentation line (3); π⁰ and A′ decayed (2)
        assert [r[0] for r in rows] == [2, 3, 2, 1, 1]
        assert [r[2] for r in rows] == [0, 1, 1, 3, 3]               # 1-based mothers
        assert [r[4:6] for r in rows] == [[2, 3], [0, 0], [4, 5], [0, 0], [0, 0]]
        a = np.array([r[6:] for r in rows])
        np.testing.assert_array_equal(a[:, 0:4], np.column_stack([parts.px, parts.py, parts.pz, parts.E]))
        # cm and ns: e⁻ starts at the detector vertex
        np.testing.assert_allclose(a[3, 5:8], [rec.vtx_x * 100, rec.vtx_y * 100, rec.vtx_z * 100], rtol=1e-15)
        assert a[3, 8] == rec.t
        # four-momentum: π⁰ = γ + e⁻ + e⁺ ; masses on shell (m² = E² − p²) to rounding
        np.testing.assert_allclose(a[0, 0:4], a[[1, 3, 4], 0:4].sum(0), atol=1e-10)
        np.testing.assert_allclose(a[:, 3] ** 2 - (a[:, 0:3] ** 2).sum(1), a[:, 4] ** 2, atol=1e-9)
    # weights in the side file, Σ preserved
    back, m = io.read(path)
    assert sidecar_path(path).exists() and m["pot"] == meta["pot"]
    assert np.array_equal(ak.to_numpy(back.weight), ak.to_numpy(events.weight))
    assert ak.all(back.particles.status == events.particles.status)


def test_detector_frame(sample, tmp_path):
    """Detector frame: origin (1, 2, 100) m, axes x_d = facility −z? Use a 90° turn about y:
    columns x_d = (0, 0, −1), y_d = (0, 1, 0), z_d = (1, 0, 0) (right-handed: x_d × y_d = z_d).
    A facility point (X, Y, Z) has local coordinates ((X,Y,Z) − o)·(x_d, y_d, z_d)
    = (−(Z − 100), Y − 2, X − 1)."""
    events, meta = sample
    rot = np.array([[0, 0, 1], [0, 1, 0], [-1, 0, 0]], dtype=float)   # columns = x_d, y_d, z_d
    frame = DetectorFrame(origin=[1.0, 2.0, 100.0], rotation=rot)
    path = io.write(events, tmp_path / "ev.hepevt", {**meta, "detector_frame": frame})
    parsed = parse_hepevt(path)
    rec = events[0]
    rows = np.array([r[6:] for r in parsed[0][1]])
    expected = [-(rec.vtx_z - 100.0) * 100, (rec.vtx_y - 2.0) * 100, (rec.vtx_x - 1.0) * 100]   # cm
    np.testing.assert_allclose(rows[3, 5:8], expected, rtol=1e-12, atol=1e-9)
    p = rec.particles[3]
    np.testing.assert_allclose(rows[3, 0:3], [-p.pz, p.py, p.px], rtol=1e-15, atol=1e-18)
    # the reader maps back to the facility frame
    back, m = io.read(path)
    assert m["detector_frame"]["origin"] == [1.0, 2.0, 100.0]
    np.testing.assert_allclose(ak.to_numpy(back.particles.z[:, 3]), ak.to_numpy(events.vtx_z), rtol=1e-14)
    np.testing.assert_allclose(ak.to_numpy(back.particles.px[:, 3]), ak.to_numpy(events.particles.px[:, 3]),
                               rtol=1e-14, atol=1e-17)


def test_bad_frame_is_rejected(tmp_path):
    with pytest.raises(ValueError, match="orthonormal"):
        DetectorFrame(origin=[0, 0, 0], rotation=np.diag([1.0, 1.0, 2.0]))
    with pytest.raises(ValueError, match="hepevt_track"):
        io.open_writer(tmp_path / "x.hepevt", {"hepevt_track": "some"})


def test_truncated_file_is_an_error(sample, tmp_path):
    events, meta = sample
    path = io.write(events[:20], tmp_path / "ev.hepevt", meta)
    lines = path.read_text().splitlines(keepends=True)
    path.write_text("".join(lines[:-1]))              # the last event misses its last particle
    with pytest.raises(ValueError, match="truncated"):
        io.read(path)
