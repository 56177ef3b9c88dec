"""Same card + seed → byte-identical files, whatever the chunk size or number of workers."""

from __future__ import annotations

import hashlib

import darkbeam


def digest(path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def run(card, tmp_path, tag, **kw):
    # same file names in different folders: a ROOT file records its own name
    out = [tmp_path / tag / "events.parquet", tmp_path / tag / "events.root"]
    res = darkbeam.run(card, events=150_000, seed=7, outputs=[str(p) for p in out], summary=None,
                       progress=False, model__epsilon=1e-6, **kw)
    return res, [digest(p) for p in out]


def test_identical_across_chunk_sizes_and_workers(sbnd_card, tmp_path):
    a, ha = run(sbnd_card, tmp_path, "a", chunk_size=1 << 16)
    b, hb = run(sbnd_card, tmp_path, "b", chunk_size=1 << 20)
    c, hc = run(sbnd_card, tmp_path, "c", chunk_size=1 << 16, workers=2)
    assert a.summary["n_events"] > 100
    assert ha == hb == hc
    assert a.expected_events == b.expected_events == c.expected_events


def test_different_seed_differs(sbnd_card, tmp_path):
    a, ha = run(sbnd_card, tmp_path, "a")
    res = darkbeam.run(sbnd_card, events=150_000, seed=8, outputs=[], summary=None, progress=False,
                       model__epsilon=1e-6)
    assert res.expected_events != a.expected_events
