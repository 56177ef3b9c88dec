"""``darkbeam.run(..., outputs=[...])`` writes every format in one run, with the same Σ weights."""

from __future__ import annotations

from pathlib import Path

import awkward as ak
import pytest

import darkbeam
from darkbeam import io

CARD = Path(__file__).resolve().parents[3] / "cards" / "sbnd_dark_photon.toml"


def test_one_run_many_formats(tmp_path):
    outputs = [str(tmp_path / f"ev{ext}") for ext in (".parquet", ".root", ".hepmc", ".lhe", ".hepevt")]
    res = darkbeam.run(CARD, events=100_000, outputs=outputs, summary=None, progress=False,
                       model__epsilon=1e-6)
    assert res.summary["outputs"] == outputs
    for path in outputs:
        events, meta = io.read(path)
        assert len(events) == len(res.events) > 0, path
        assert float(ak.sum(events.weight)) == pytest.approx(res.expected_events, rel=1e-12), path
        assert meta["pot"] == res.summary["pot"] and meta["channels"] == ["pi0_decay"], path
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        [Path(p).name for p in outputs] + ["ev.hepevt.parquet"])
