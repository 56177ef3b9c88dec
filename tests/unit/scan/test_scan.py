"""Scans over (mass, coupling): agreement with regeneration, Dask invariance, table, contour, plot."""

from __future__ import annotations

import argparse
import builtins
import math
from pathlib import Path

import numpy as np
import pytest

import darkbeam
from darkbeam.scan import (ScanError, add_arguments, mass_point, parse_grid, read_table, scan,
                           scan_from_args, upper_limit)

ROOT = Path(__file__).resolve().parents[3]
CARD = ROOT / "cards" / "sbnd_dark_photon.toml"
REACH_CARD = ROOT / "cards" / "sbnd_dark_photon_reach.toml"


def test_grid_points_equal_regenerated_runs():
    """Each table entry is what ``darkbeam.run`` gives at that (m, ε) with the card's seed (and the
    scans' coupling-free warm-up, tuning = "long_lived")."""
    masses, eps = [0.02, 0.08], [1e-8, 3e-7, 3e-6]
    res = scan(CARD, masses, eps, events=100_000, progress=False)
    assert res.coupling_name == "epsilon" and res.channels == ["pi0_decay"]
    for i, m in enumerate(masses):
        for j, e in enumerate(eps):
            run = darkbeam.run(CARD, events=100_000, model__mass=m, model__epsilon=e, outputs=[],
                               summary=None, progress=False, production__tuning="long_lived")
            assert run.expected_events > 0
            assert res.expected[i, j] == pytest.approx(run.expected_events, rel=1e-9)
            assert res.stat_uncertainty[i, j] == pytest.approx(run.stat_uncertainty, rel=1e-6)
            assert res.by_channel[i, j, 0] == res.expected[i, j]


def test_scale_axis_for_a_preset_with_its_own_coupling(write_card):
    """B−L (x_q = g/3, x_ℓ = −g): the 'scale' axis multiplies every coupling; the point at scale s
    equals a run with g = s·g_card."""
    text = CARD.read_text().replace('preset = "dark_photon"\nmass = "50 MeV"\nepsilon = 3e-7',
                                    'preset = "b_minus_l"\nmass = "50 MeV"\ng = 1e-6')
    card = write_card(text)
    res = scan(card, [0.05], [0.3, 3.0], coupling="scale", events=60_000, progress=False)
    for j, s in enumerate([0.3, 3.0]):
        run = darkbeam.run(card, events=60_000, model__g=s * 1e-6, outputs=[], summary=None,
                           progress=False, production__tuning="long_lived")
        assert res.expected[0, j] == pytest.approx(run.expected_events, rel=1e-9, abs=0)


def test_closed_masses_give_zero_with_a_notice():
    res = scan(CARD, [0.05, 0.2], [1e-7, 1e-6], events=30_000, progress=False)
    assert np.all(res.expected[1] == 0) and np.all(res.expected[0] > 0)
    assert any("closed" in n for n in res.info["notices"])


@pytest.fixture(scope="module")
def small_grid():
    return dict(masses=[0.01, 0.03, 0.06, 0.1], couplings=np.geomspace(1e-8, 1e-5, 12),
                events=40_000, progress=False)


def test_same_table_with_one_and_two_dask_workers(small_grid):
    distributed = pytest.importorskip("dask.distributed")
    local = scan(CARD, **small_grid)
    tables = []
    for n in (1, 2):
        with distributed.LocalCluster(n_workers=n, threads_per_worker=1, processes=False,
                                      dashboard_address=None) as cluster:
            tables.append(scan(CARD, scheduler=cluster, **small_grid))
            if n == 2:   # the same cluster by its address, as `--scheduler tcp://…` gives it
                tables.append(scan(CARD, scheduler=cluster.scheduler_address, **small_grid))
    for t in tables:
        assert np.array_equal(t.expected, local.expected)
        assert np.array_equal(t.stat_uncertainty, local.stat_uncertainty)
        assert np.array_equal(t.reference, local.reference)


@pytest.mark.slow   # ~20 s: two fresh worker processes import darkbeam and numba
def test_workers_start_a_local_process_cluster(small_grid):
    pytest.importorskip("dask.distributed")
    grid = {**small_grid, "masses": small_grid["masses"][:2]}
    assert np.array_equal(scan(CARD, workers=2, **grid).expected, scan(CARD, **grid).expected)


def test_clear_message_without_dask(monkeypatch, small_grid):
    real_import = builtins.__import__

    def fake_import(name, *args, **kw):
        if name.startswith("dask"):
            raise ImportError(f"No module named {name!r}")
        return real_import(name, *args, **kw)
    monkeypatch.setattr(builtins, "__import__", fake_import)
    with pytest.raises(ScanError, match=r"needs dask.distributed: pip install 'darkbeam\[dask\]'"):
        scan(CARD, workers=2, **small_grid)
    # and in-process it runs without dask
    assert scan(CARD, **{**small_grid, "masses": [0.03]}).expected.shape == (1, 12)


def test_contour_lies_at_the_threshold():
    """The lower (long-lived) edge of the reach: N ∝ ε⁴ there, so the contour interpolated in
    log–log is exact up to the grid's deviation from a power law; a direct evaluation at the
    contour's ε must give the threshold."""
    masses = [0.01, 0.05]
    res = scan(CARD, masses, "1e-9:1e-3:61", events=100_000, progress=False)
    line = np.concatenate(res.contour())       # the long- and short-lived edges
    for m in masses:
        on_grid = line[np.isclose(line[:, 0], m, rtol=1e-9)]
        eps_low = on_grid[:, 1].min()                 # the long-lived edge
        eps_high = on_grid[:, 1].max()                # the short-lived edge
        assert 1e-8 < eps_low < 1e-6 < eps_high < 1e-3
        point = mass_point(darkbeam.load_card(CARD), m, np.array([eps_low]), "epsilon",
                           events=100_000)
        assert point["sums"].sum() == pytest.approx(res.threshold, rel=0.01)
    assert res.threshold == pytest.approx(upper_limit(0.0))
    assert res.excluded.sum() > 0


def test_background_sets_the_threshold():
    res = scan(CARD, [0.05], [1e-7, 1e-6], events=20_000, background=5.0, systematic=0.2,
               progress=False)
    assert res.threshold == pytest.approx(upper_limit(5.0, systematic=0.2))


def test_reach_plot_table_and_overlay_in_one_call(tmp_path, capsys):
    """``darkbeam scan`` wiring: the reach card's [scan] section plus command-line options."""
    limit = tmp_path / "old.csv"
    limit.write_text("# mass [GeV], epsilon (toy overlay)\nmass,epsilon\n0.01,1e-4\n0.05,2e-5\n0.1,5e-6\n")
    p = argparse.ArgumentParser()
    add_arguments(p)
    png, pdf = tmp_path / "reach.png", tmp_path / "reach.pdf"
    pq, csv = tmp_path / "reach.parquet", tmp_path / "reach.csv"
    args = p.parse_args([str(REACH_CARD), "--masses", "5 MeV:130 MeV:6", "--couplings", "1e-9:1e-3:30",
                         "-n", "30000", "-o", str(pq), "-o", str(csv), "--plot", str(png),
                         "--plot", str(pdf), "--limits", f"old limit={limit}", "--no-progress"])
    assert scan_from_args(args) == 0
    assert "6 masses × 30 epsilon values" in capsys.readouterr().out
    assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and pdf.read_bytes()[:5] == b"%PDF-"
    a, b = read_table(pq), read_table(csv)
    assert a.expected.shape == (6, 30)
    np.testing.assert_array_equal(a.masses, parse_grid("5 MeV:130 MeV:6", name="masses"))
    np.testing.assert_allclose(b.expected, a.expected, rtol=1e-14)
    assert a.coupling_name == b.coupling_name == "epsilon" and a.threshold == pytest.approx(2.302585, rel=1e-6)
    assert len(a.contour()) >= 1


def test_grid_parsing():
    np.testing.assert_allclose(parse_grid("1e-9:1e-3:7", name="couplings"), np.logspace(-9, -3, 7))
    np.testing.assert_allclose(parse_grid("3 MeV:134 MeV:3", name="masses"),
                               [0.003, math.sqrt(0.003 * 0.134), 0.134])
    np.testing.assert_allclose(parse_grid("lin:0.01:0.03:3", name="masses"), [0.01, 0.02, 0.03])
    np.testing.assert_allclose(parse_grid("0.01, 0.02", name="masses"), [0.01, 0.02])
    for bad in ("0:1:3", "1:2", "0.02,0.01", "a:b:3", [-1.0]):
        with pytest.raises(ScanError):
            parse_grid(bad, name="couplings")


def test_bad_axis_and_workers_are_refused():
    with pytest.raises(ScanError, match="g_agg"):
        scan(CARD, [0.05], [1e-6], coupling="g_agg", progress=False)
    with pytest.raises(ScanError, match="workers"):
        scan(CARD, [0.05], [1e-6], workers=0, progress=False)


def test_zero_card_coupling_is_refused_before_any_work(write_card):
    text = CARD.read_text().replace('preset = "dark_photon"\nmass = "50 MeV"\nepsilon = 3e-7',
                                    'type = "vector"\nmass = 0.05\nepsilon = 0.0\n'
                                    'couplings = { u = 1e-6, d = 1e-6, e = 1e-6 }')
    with pytest.raises(ScanError, match="x_mu is 0"):
        scan(write_card(text), [0.05], [1e-6], coupling="x_mu", progress=False)


@pytest.mark.parametrize("argv, error", [
    (["--masses", "0.05", "-o", "table.txt"], "expected a .parquet or .csv"),
    (["--masses", "0.05", "--plot", "reach.jpgx"], "expected a .png"),
    (["--couplings", "1e-7"], "masses missing"),
    (["--masses", "0.05", "--limits", "missing.csv"], "no such limit file"),
    (["--masses", "0.05", "--background", "-2"], "background"),
])
def test_command_line_mistakes_stop_before_the_scan(argv, error, tmp_path, monkeypatch):
    from darkbeam.errors import DarkbeamError
    monkeypatch.chdir(tmp_path)
    p = argparse.ArgumentParser()
    add_arguments(p)
    card = tmp_path / "card.toml"
    card.write_text(CARD.read_text())
    with pytest.raises(DarkbeamError, match=error):
        scan_from_args(p.parse_args([str(card), *argv, "--no-progress"]))
    assert not list(tmp_path.glob("*.parquet"))


def test_progress_bar_counts_mass_points(capsys):
    scan(CARD, [0.02, 0.05], [1e-7, 1e-6], events=20_000, progress=True)
    err = capsys.readouterr().err
    # tqdm redraws at most every 0.1 s, and clears the bar when done: 0/2 then 1/2 and/or 2/2
    assert "scan:" in err and "0/2" in err and ("1/2" in err or "2/2" in err)


MB_CARD = ROOT / "cards" / "miniboone_dm.toml"


def test_dark_matter_ratio_sets_m_chi_at_each_mass():
    """``dark_matter_ratio = 3``: the point at m_V is ``darkbeam.run`` with m_χ = m_V/3 (the card's
    m_χ is 10 MeV; without the ratio every mass keeps it)."""
    masses = [0.009, 0.06]
    res = scan(MB_CARD, masses, [1e-3], events=20_000, dark_matter_ratio=3, progress=False)
    fixed = scan(MB_CARD, masses, [1e-3], events=20_000, progress=False)
    assert res.info["dark_matter_ratio"] == 3.0 and fixed.info["dark_matter_ratio"] is None
    for i, m in enumerate(masses):
        run = darkbeam.run(MB_CARD, events=20_000, model__mass=m, outputs=[], summary=None, progress=False,
                           model__dark_matter={"kind": "complex_scalar", "mass": m / 3, "alpha_d": 0.5},
                           production__tuning="long_lived")
        assert run.expected_events > 0
        assert res.expected[i, 0] == pytest.approx(run.expected_events, rel=1e-9)
    # at 60 MeV a 20 MeV χ (ratio 3) and the card's 10 MeV χ are different samples
    assert fixed.expected[1, 0] != pytest.approx(res.expected[1, 0], rel=1e-3)


def test_dark_matter_ratio_mistakes_are_refused(tmp_path):
    with pytest.raises(ScanError, match="dark_matter_ratio"):
        scan(MB_CARD, [0.03], [1e-3], dark_matter_ratio=0, progress=False)
    with pytest.raises(ScanError, match="dark_matter table"):
        scan(CARD, [0.03], [1e-6], dark_matter_ratio=3, progress=False)


def test_dark_matter_ratio_from_the_card_scan_section(tmp_path, monkeypatch):
    """``[scan] dark_matter_ratio`` (cards/miniboone_dm.toml) reaches the scan."""
    monkeypatch.chdir(tmp_path)
    p = argparse.ArgumentParser()
    add_arguments(p)
    scan_from_args(p.parse_args([str(MB_CARD), "--masses", "0.03", "--couplings", "1e-3", "-n", "5000",
                                 "-o", "t.parquet", "--no-progress"]))
    table = read_table(tmp_path / "t.parquet")
    assert table.info["dark_matter_ratio"] == 3.0
    assert "dark_matter_ratio" in darkbeam.scan.SCAN_KEYS
