"""Every format: interrupted writes leave nothing under the final name; several formats in one run;
blocks independent of chunking; convert and show; invariants on random events (hypothesis)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import awkward as ak
import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkbeam import io
from darkbeam.events import concatenate

FORMATS = [".parquet", ".root", ".hepmc", ".lhe", ".hepevt"]


@pytest.mark.parametrize("ext", FORMATS)
def test_exception_leaves_no_file(tmp_path, ext, synth, meta):
    path = tmp_path / f"ev{ext}"
    with pytest.raises(RuntimeError):
        with io.open_writer(path, meta) as w:
            batch = synth(26_000)
            w.write(batch)
            w.write(batch)                          # > one 50k block: the format got bytes
            raise RuntimeError("killed mid-run")
    assert list(tmp_path.iterdir()) == []


SCRIPT = r"""
import sys, time
sys.path.insert(0, {here!r})
from conftest import META, synthetic
from darkbeam import io
batch = synthetic(20_000)
with io.open_writer(sys.argv[1], META) as w:
    for i in range(10_000):
        w.write(batch)
        if i == 3:
            print("writing", flush=True)
        time.sleep(0.02)
"""


@pytest.mark.parametrize("ext", FORMATS)
def test_sigterm_leaves_no_file(tmp_path, ext):
    path = tmp_path / f"ev{ext}"
    code = SCRIPT.format(here=os.path.dirname(__file__))
    proc = subprocess.Popen([sys.executable, "-c", code, str(path)], stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout.readline().strip() == "writing"   # in the middle of the write
        deadline = time.monotonic() + 60      # the writing thread has put bytes in the file
        while time.monotonic() < deadline and not any(
                p.stat().st_size > 0 for p in tmp_path.glob(f".ev{ext}.part*")):
            time.sleep(0.05)
        assert any(p.stat().st_size > 0 for p in tmp_path.glob(f".ev{ext}.part*"))
        proc.send_signal(signal.SIGTERM)
        assert proc.wait(timeout=60) == -signal.SIGTERM
    finally:
        if proc.poll() is None:
            proc.kill()
    assert not path.exists()
    assert not any(p.name == path.name or p.name == path.name + ".parquet" for p in tmp_path.iterdir())


def test_several_formats_one_stream(tmp_path, synth, meta):
    batches = [synth(n, seed=s) for s, n in enumerate((7, 60_000, 13))]
    paths = [tmp_path / f"ev{e}" for e in FORMATS]
    writers = [io.open_writer(p, meta) for p in paths]
    for b in batches:
        for w in writers:
            w.write(b)
    for w in writers:
        w.close()
    ref = concatenate(batches)
    for p in paths:
        back, m = io.read(p)
        assert len(back) == len(ref), p
        assert m["pot"] == meta["pot"], p
        assert np.array_equal(ak.to_numpy(back.weight), ak.to_numpy(ref.weight)), p


def test_output_does_not_depend_on_chunking(tmp_path, synth, meta):
    ev = synth(1000)
    for ext in (".hepmc", ".lhe", ".hepevt"):
        a = io.write(ev, tmp_path / f"a{ext}", meta)
        with io.open_writer(tmp_path / f"b{ext}", meta) as w:
            for i in range(0, 1000, 37):
                w.write(ev[i: i + 37])
        assert a.read_bytes() == (tmp_path / f"b{ext}").read_bytes(), ext


@pytest.mark.parametrize("ext", FORMATS)
def test_writing_thread_gives_the_same_bytes(tmp_path, ext, synth, meta):
    """The writing thread changes when blocks are encoded, not what is written."""
    batches = [synth(n, seed=s) for s, n in enumerate((30_000, 45_000, 8))]
    paths = []
    for background in (True, False):
        path = tmp_path / f"{int(background)}" / f"ev{ext}"
        w = io.open_writer(path, meta)
        w._background = background
        for b in batches:
            w.write(b)
        paths.append(w.close())
    for a, b in zip(*[sorted(p.parent.iterdir()) for p in paths]):
        assert a.name == b.name and a.read_bytes() == b.read_bytes(), a.name


@pytest.mark.parametrize("ext", [".parquet", ".hepmc"])
def test_error_in_the_writing_thread_reaches_the_caller(tmp_path, ext, synth, meta, monkeypatch):
    path = tmp_path / f"ev{ext}"
    w = io.open_writer(path, meta)
    original, calls = w._write_block, []

    def failing(events, first):
        calls.append(first)
        if len(calls) == 2:
            raise OSError("disk full")
        original(events, first)

    monkeypatch.setattr(w, "_write_block", failing)
    with pytest.raises(OSError, match="disk full"):
        with w:
            for _ in range(6):                  # 3 blocks: the second one fails in the thread
                w.write(synth(25_000))
    assert calls == [0, 50_000]                 # nothing written after the failure
    assert list(tmp_path.iterdir()) == []


def test_convert_chain_and_show(tmp_path, synth, meta):
    ev = synth(500)
    src = io.write(ev, tmp_path / "ev.parquet", meta)
    path = src
    for ext in (".hepmc", ".root", ".hepevt", ".lhe", ".parquet"):
        path = io.convert(path, tmp_path / f"c{ext}")
    back, m = io.read(path)
    assert m["card"] == meta["card"]
    assert np.array_equal(ak.to_numpy(back.weight), ak.to_numpy(ev.weight))
    assert ak.all(back.particles.pdg == ev.particles.pdg) and ak.all(back.particles.E == ev.particles.E)
    text = io.show(path, n=2)
    total = float(ak.sum(ev.weight))
    assert "500 events" in text and f"{total:.6g}" in text and "w_production" in text
    assert text.count("event ") == 2 and "pdg=     55" in text
    with pytest.raises(ValueError, match="unknown output format"):
        io.convert(src, tmp_path / "x.txt")


@settings(max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(n=st.integers(1, 300), seed=st.integers(0, 2**31 - 1), ext=st.sampled_from(FORMATS))
def test_invariants_survive_every_format(tmp_path, synth, meta, n, seed, ext):
    ev = synth(n, seed)
    back, _ = io.read(io.write(ev, tmp_path / f"h{seed}{ext}", meta))
    w = ak.to_numpy(back.weight)
    assert np.all(np.isfinite(w)) and np.all(w >= 0)
    assert float(np.sum(w)) == pytest.approx(float(ak.sum(ev.weight)), rel=1e-13)
    p = back.particles
    for c in ("px", "py", "pz", "E"):
        lhs = ak.to_numpy(p[c][:, 0])
        rhs = ak.to_numpy(p[c][:, 1] + p[c][:, 3] + p[c][:, 4])
        np.testing.assert_allclose(lhs, rhs, rtol=0, atol=1e-9)
    m2 = ak.to_numpy(p.E ** 2 - p.px ** 2 - p.py ** 2 - p.pz ** 2)
    np.testing.assert_allclose(m2[:, 2], 0.05 ** 2, rtol=1e-8)


@pytest.mark.parametrize("ext", FORMATS)
def test_empty_run_writes_a_readable_file(tmp_path, ext, meta):
    """A run with no signal event still gives a file with the metadata (closed channel, tiny ε)."""
    from darkbeam.events import empty_events

    path = io.write(empty_events(), tmp_path / f"e{ext}", meta)
    back, m = io.read(path)
    assert len(back) == 0 and back.fields == empty_events().fields
    assert m["pot"] == meta["pot"] and m["weight_names"] == meta["weight_names"]
    assert "0 events" in io.show(path)


@pytest.mark.parametrize("compression", ["zstd", "lz4", "none"])
def test_compression_choice_is_lossless_and_is_the_one_asked_for(tmp_path, synth, meta, compression):
    import pyarrow.parquet as pq
    import uproot

    ev = synth(3000)
    meta = {**meta, "compression": compression}
    p = io.write(ev, tmp_path / "ev.parquet", meta)
    r = io.write(ev, tmp_path / "ev.root", meta)
    for path in (p, r):
        back, m = io.read(path)
        assert m["compression"] == compression
        assert ak.all(back.particles.px == ev.particles.px) and ak.all(back.weight == ev.weight)
    codec = pq.ParquetFile(p).metadata.row_group(0).column(0).compression
    assert codec == {"zstd": "ZSTD", "lz4": "LZ4", "none": "UNCOMPRESSED"}[compression]
    with uproot.open(r) as f:       # fCompress = 100·algorithm + level (ROOT's Compression.h);
        # level 0 means stored as is (uproot writes algorithm 1, ZLIB, at level 0 for none)
        assert f.file.fCompress == {"zstd": 501, "lz4": 401, "none": 100}[compression]


def test_unknown_compression_is_refused(tmp_path, synth, meta):
    with pytest.raises(ValueError, match="compression 'gzip' is not known; expected one of zstd, lz4, none"):
        io.write(synth(10), tmp_path / "ev.parquet", {**meta, "compression": "gzip"})
    assert list(tmp_path.iterdir()) == []


def test_a_batch_is_not_kept_alive_by_its_unwritten_tail(tmp_path, synth, meta):
    """After a write, the writer holds a copy of the < 1 block tail, not the caller's batch."""
    import gc
    import tracemalloc

    w = io.open_writer(tmp_path / "ev.parquet", meta)
    w._background = False
    w.write(synth(10))
    tracemalloc.start()                     # numpy reports its buffers to tracemalloc
    batch = synth(120_000)                  # two blocks are written, 20 000 events wait
    w.write(batch)
    size = sum(b.nbytes for b in ak.to_buffers(batch)[2].values())
    del batch
    gc.collect()
    held = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
    w.close()
    assert held < 0.3 * size, (held, size)      # the tail alone: 1/6 of the batch (+ 10 events)
    assert len(io.read(tmp_path / "ev.parquet")[0]) == 120_010
