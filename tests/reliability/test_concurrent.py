"""Two darkbeam processes on one output path: the second refuses at once (exit 2, one line naming
the first's pid and the path, no traceback); the first's file holds its own events (Σ weights as
its summary says); nothing is corrupted. From the same folder and from different folders (the
same file under two spellings). A SIGKILLed run's lock never blocks, and its temporaries are
removed by the next run of the same paths.

The first run is paused (SIGSTOP) while it holds its locks, so that the second certainly meets
them whatever the machine's speed.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import awkward as ak
import pytest

from darkbeam import io

ARGS = ["-n", "300000", "--set", "run.chunk_size=65536", "--set", "model.epsilon=1e-6", "--no-progress"]


def start(card: Path, cwd: Path, seed: int, *paths: str) -> subprocess.Popen:
    out, summary = paths
    return subprocess.Popen([sys.executable, "-m", "darkbeam.cli", "run", str(card), *ARGS,
                             "--seed", str(seed), "-o", out, "--summary", summary],
                            cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def wait_for(predicate, proc: subprocess.Popen, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if predicate():
            return
        if proc.poll() is not None:
            pytest.fail(f"the first run ended first: {proc.communicate()}")
        time.sleep(0.02)
    pytest.fail("timed out")


def locked_by(lock: Path, pid: int) -> bool:
    try:
        return lock.read_text().strip() == str(pid)
    except OSError:
        return False


@pytest.mark.parametrize("layout", ["same folder", "different folders"])
def test_second_run_on_the_same_output_refuses(sbnd_card, tmp_path, layout):
    shared = tmp_path / "shared"
    shared.mkdir()
    if layout == "same folder":
        cwd_a = cwd_b = shared
        out_a, out_b = "ev.parquet", "./ev.parquet"
    else:
        cwd_a, cwd_b = tmp_path / "a", tmp_path / "b"
        cwd_a.mkdir(), cwd_b.mkdir()
        out_a, out_b = "../shared/ev.parquet", str(shared / "ev.parquet")
    a = start(sbnd_card, cwd_a, 1, out_a, str(tmp_path / "a.json"))
    try:
        wait_for(lambda: locked_by(shared / ".ev.parquet.lock", a.pid), a)
        a.send_signal(signal.SIGSTOP)
        b = subprocess.run([sys.executable, "-m", "darkbeam.cli", "run", str(sbnd_card), *ARGS,
                            "--seed", "2", "-o", out_b, "--summary", str(tmp_path / "b.json")],
                           cwd=cwd_b, capture_output=True, text=True, timeout=120)
    finally:
        a.send_signal(signal.SIGCONT)
    _, err_a = a.communicate(timeout=300)
    assert a.returncode == 0, err_a
    assert b.returncode == 2, b.stderr
    assert "Traceback" not in b.stderr
    assert b.stderr.strip().splitlines() == [
        f"darkbeam: error: another darkbeam run (pid {a.pid}) is writing {shared / 'ev.parquet'}; "
        f"wait for it to end or choose another path"]
    assert not (tmp_path / "b.json").exists()

    events, meta = io.read(shared / "ev.parquet")
    summary = json.loads((tmp_path / "a.json").read_text())
    assert meta["seed"] == 1 and summary["seed"] == 1
    assert len(events) == summary["n_events"] > 1000
    assert float(ak.sum(events.weight)) == pytest.approx(summary["expected_events"], rel=1e-12)
    assert sorted(p.name for p in shared.iterdir()) == ["ev.parquet"]   # no lock, temporary, checkpoint


def test_sigkill_leaves_no_lock_and_the_next_run_cleans_up(sbnd_card, tmp_path):
    """The kernel drops a killed process's flock; the next run of the same paths (here --resume)
    removes the temporaries it left, HEPEVT side file included."""
    a = start(sbnd_card, tmp_path, 1, "ev.hepevt", "s.json")
    wait_for(lambda: any(p.name.startswith(".ev.hepevt.part-") for p in tmp_path.iterdir()), a)
    a.send_signal(signal.SIGKILL)
    a.communicate(timeout=60)
    assert (tmp_path / ".ev.hepevt.lock").exists()          # left behind, but not held
    assert any(p.name.startswith(".ev.hepevt.part-") for p in tmp_path.iterdir())
    b = subprocess.run([sys.executable, "-m", "darkbeam.cli", "run", str(sbnd_card), *ARGS,
                        "--seed", "1", "-o", "ev.hepevt", "--summary", "s.json", "--resume"],
                       cwd=tmp_path, capture_output=True, text=True, timeout=300)
    assert b.returncode == 0, b.stderr
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev.hepevt", "ev.hepevt.parquet", "s.json"]
    assert os.path.getsize(tmp_path / "ev.hepevt") > 0
