"""A run with ``[cuts] time_reference = "light"`` keeps exactly the events whose time after the
light arrival, computed here by hand from the event record (t − t_edge − |vertex|/c), is inside
the window (issue 20, item 6: CCM-style prompt windows)."""

from __future__ import annotations

from pathlib import Path

import awkward as ak
import numpy as np
import pytest

import darkbeam
from darkbeam.card import load_card
from darkbeam.pipeline import build

CARD = Path(__file__).resolve().parents[3] / "cards" / "ccm200_dark_photon_timing.toml"
C_M_NS = 0.299792458


@pytest.fixture(scope="module")
def runs():
    # tuning = "long_lived": the warm-up ignores the window, so the three runs share their samples
    kw = dict(events=1_000_000, outputs=[], summary=None, progress=False, production__tuning="long_lived")
    cut = darkbeam.run(str(CARD), **kw)                               # light window [0, 100] ns
    full = darkbeam.run(str(CARD), set=["cuts.time_window=[-1e9, 1e9]"], **kw)
    naive = darkbeam.run(str(CARD), set=["cuts.time_reference='pulse'"], keep_events=False, **kw)
    return cut, full, naive


def test_light_window_selects_by_the_hand_formula(runs):
    cut, full, naive = runs
    ev = full.events
    d = np.sqrt(ak.to_numpy(ev.vtx_x) ** 2 + ak.to_numpy(ev.vtx_y) ** 2 + ak.to_numpy(ev.vtx_z) ** 2)
    after = ak.to_numpy(ev.t) - (0.0 + d / C_M_NS)      # Lujan triangle: leading edge t = 0
    w = ak.to_numpy(ev.weight)
    inside = (after >= 0.0) & (after <= 100.0)
    assert 30 < inside.sum() < len(w)
    assert cut.expected_events == pytest.approx(float(w[inside].sum()), rel=1e-12)
    assert len(cut.events) == int(inside.sum())
    # CCM200's centre is 23.0 m away: light arrives 76.7 ns after the pulse starts; the same
    # numbers on the pulse clock keep only protons of the first ~23 ns (triangle CDF 0.0139)
    pulse_inside = (ak.to_numpy(ev.t) >= 0.0) & (ak.to_numpy(ev.t) <= 100.0)
    assert naive.expected_events == pytest.approx(float(w[pulse_inside].sum()), rel=1e-12)
    assert naive.expected_events < 0.1 * cut.expected_events


def test_light_window_is_explained_in_the_notices():
    plan = build(load_card(CARD))
    note = [n for n in plan.notices if "after the light arrival" in n]
    assert len(note) == 1
    assert "t = 0 ns on the LANSCE_Lujan clock" in note[0] and "76.73 ns later" in note[0]
    assert "[76.7" in note[0]
