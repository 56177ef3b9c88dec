"""Every format: interrupted writes leave nothing under the final name; several formats in one run;
blocks independent of chunking; convert and show; invariants on random events (hypothesis)."""

from __future__ import annotations

import os
import signal
import subprocess
import sys

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
        parts = [p for p in tmp_path.iterdir() if p.name.startswith(f".ev{ext}.part")]
        assert parts and parts[0].stat().st_size > 0
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
