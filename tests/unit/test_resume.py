"""SIGTERM stops a run cleanly after a chunk; --resume continues to byte-identical files."""

from __future__ import annotations

import hashlib
import signal
import subprocess
import sys
import time
from pathlib import Path

ARGS = ["-n", "3000000", "--seed", "11", "--set", "run.chunk_size=65536",
        "--set", "model.epsilon=1e-6", "--no-progress"]


def cli(card, out: Path, *extra) -> list[str]:
    return [sys.executable, "-m", "darkbeam.cli", "run", str(card), *ARGS,
            "-o", str(out / "events.parquet"), "-o", str(out / "events.root"),
            "--summary", str(out / "summary.json"), *extra]


def digests(folder: Path) -> dict[str, str]:
    return {p.name: hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.glob("events.*"))}


def test_sigterm_then_resume_is_byte_identical(sbnd_card, tmp_path):
    ref, cut = tmp_path / "ref", tmp_path / "cut"
    ref.mkdir(), cut.mkdir()
    subprocess.run(cli(sbnd_card, ref), cwd=ref, check=True, capture_output=True)

    proc = subprocess.Popen(cli(sbnd_card, cut), cwd=cut, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    deadline = time.time() + 120
    while time.time() < deadline and proc.poll() is None:
        if len(list(cut.glob(".darkbeam-resume-*/chunk-*.json"))) >= 3:
            break
        time.sleep(0.05)
    assert proc.poll() is None, "the run ended before it could be interrupted"
    proc.send_signal(signal.SIGTERM)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 130, err
    assert "interrupted by SIGTERM" in err and "--resume" in err and "Traceback" not in err
    assert not list(cut.glob("events.*")) and not (cut / "summary.json").exists()
    assert not [p for p in cut.iterdir() if p.name.startswith(".events")]  # no temporary left

    done = subprocess.run(cli(sbnd_card, cut, "--resume"), cwd=cut, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert "resuming:" in done.stderr
    assert digests(cut) == digests(ref) and len(digests(ref)) == 2
    assert not list(cut.glob(".darkbeam-resume-*"))   # removed once complete
