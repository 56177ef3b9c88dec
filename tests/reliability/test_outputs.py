"""What a run writes, under faults: clashing paths, names no file system takes, folders that are
not there or not writable, a full disk (``ulimit -f``), a folder that vanishes, a summary that
cannot be written, a bug in a chunk, stale temporaries of killed runs.

Every failure ends with status 2 and one ``darkbeam: error:`` line naming the file, the reason and
what to do; no traceback; nothing under a final name; no temporary or lock file left; the
checkpoint kept only where ``--resume`` continues. Root ignores permission bits, so the
"permission denied" cases use ``/sys`` (EACCES for root too) and paths under a file (ENOTDIR).
"""

from __future__ import annotations

import errno
import hashlib
import os
import resource
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from darkbeam.cli import main

CARD = """
[run]
events = 3000
seed = 5
chunk_size = 1000
summary = false

[facility]
name = "BNB"
pot = 1e20

[model]
preset = "dark_photon"
mass = "50 MeV"
epsilon = 1e-6

[production]
channels = ["pi0_decay"]

[detector]
name = "SBND"

[signal]
kind = "decay"
final_state = "e+e-"

[cuts]
energy_min = "100 MeV"
"""


@pytest.fixture
def card(tmp_path) -> Path:
    path = tmp_path / "card.toml"
    path.write_text(CARD)
    return path


def run_cli(card: Path, *args: str) -> int:
    return main(["run", str(card), "--no-progress", *args])


def one_error_line(err: str) -> str:
    lines = [ln for ln in err.splitlines() if ln.startswith("darkbeam: error:")]
    assert "Traceback" not in err, err
    assert len(lines) == 1, err
    return lines[0]


def leftovers(folder: Path) -> list[str]:
    """Temporaries, lock files and checkpoints in ``folder``."""
    return sorted(p.name for p in folder.iterdir()
                  if ".part" in p.name or p.name.endswith(".lock") or p.name.startswith(".darkbeam"))


# clashing paths (refused before any work) ------------------------------------------------------

@pytest.mark.parametrize("args, what", [
    (["-o", "ev.parquet", "--summary", "ev.parquet"], "same file as outputs 'ev.parquet'"),
    (["-o", "x.hepevt", "--summary", "x.hepevt.parquet"], "side file of output 'x.hepevt'"),
    (["-o", "x.hepevt", "-o", "x.hepevt.parquet"], "x.hepevt.parquet"),
    (["-o", "ev.parquet", "-o", "ev.parquet"], "given twice"),
    (["-o", "ev.parquet", "-o", "./sub/../ev.parquet"], "same file as outputs 'ev.parquet'"),
])
def test_clashing_paths_are_refused(card, tmp_path, monkeypatch, capsys, args, what):
    (tmp_path / "sub").mkdir()
    monkeypatch.chdir(tmp_path)
    assert run_cli(card, *args) == 2
    line = one_error_line(capsys.readouterr().err)
    assert what in line and "its own path" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.toml", "sub"]


def test_a_symbolic_link_to_an_output_clashes(card, tmp_path, monkeypatch, capsys):
    (tmp_path / "real").mkdir()
    (tmp_path / "link").symlink_to(tmp_path / "real")
    monkeypatch.chdir(tmp_path)
    assert run_cli(card, "-o", "real/ev.parquet", "-o", "link/ev.parquet") == 2
    assert str(tmp_path / "real" / "ev.parquet") in one_error_line(capsys.readouterr().err)
    assert not list((tmp_path / "real").iterdir())


# names and folders ----------------------------------------------------------------------------

@pytest.mark.parametrize("key, toml, what", [
    ("outputs", '["bad\\u0000name.parquet"]', "NUL byte"),
    ("outputs", '["' + "x" * 300 + '.parquet"]', "bytes"),
    ("summary", '"folder"', "is a folder"),
    ("outputs", '["afile/ev.parquet"]', "which is a file"),
])
def test_impossible_names(tmp_path, monkeypatch, capsys, key, toml, what):
    (tmp_path / "folder").mkdir()
    (tmp_path / "afile").write_text("x")
    card = tmp_path / "card.toml"
    card.write_text(CARD.replace("summary = false", f"summary = false\n{key} = {toml}")
                    if key == "outputs" else CARD.replace("summary = false", f"summary = {toml}"))
    monkeypatch.chdir(tmp_path)
    assert run_cli(card) == 2
    line = one_error_line(capsys.readouterr().err)
    assert what in line and f"[run] {key} = " in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["afile", "card.toml", "folder"]


def _unwritable() -> Path | None:
    """A folder where creating a file fails for root too (sysfs), or None."""
    probe = Path("/sys/darkbeam-probe.lock")
    try:
        fd = os.open(probe, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError:
        return Path("/sys")
    os.close(fd)
    probe.unlink()
    return None


def test_unwritable_folder(card, capsys):
    folder = _unwritable()
    if folder is None:
        pytest.skip("no folder here refuses new files")
    assert run_cli(card, "-o", str(folder / "ev.parquet")) == 2
    line = one_error_line(capsys.readouterr().err)
    assert f"cannot write {folder / 'ev.parquet'}:" in line and ("[EACCES]" in line or "[EROFS]" in line)
    assert "choose a folder you can write to" in line or "read-only" in line


def test_unwritable_working_folder_is_not_used(card, tmp_path, monkeypatch, capsys):
    """Nothing is written to the working folder: checkpoints go next to the outputs."""
    folder = _unwritable()
    if folder is None:
        pytest.skip("no folder here refuses new files")
    monkeypatch.chdir(folder)
    assert run_cli(card, "-o", str(tmp_path / "ev.parquet")) == 0
    assert (tmp_path / "ev.parquet").is_file() and not leftovers(tmp_path)


# a summary that cannot be written -------------------------------------------------------------

def test_failing_summary_leaves_no_event_file(card, tmp_path, monkeypatch, capsys):
    from darkbeam.io import summary as summary_module

    def full(self, *a, **k):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(summary_module.Path, "write_text", full)
    assert run_cli(card, "-o", "ev.parquet", "-o", "ev.hepevt", "--summary", "s.json") == 2
    line = one_error_line(capsys.readouterr().err)
    assert "cannot write s.json: No space left on device [ENOSPC]; free space" in line
    assert "nothing was left under the final names" in line
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.toml"]


# checkpoints ----------------------------------------------------------------------------------

def test_checkpoint_next_to_the_output_and_removed_after_a_bug(card, tmp_path, monkeypatch):
    """A failure that resuming would not mend removes the checkpoint."""
    import importlib
    run_module = importlib.import_module("darkbeam.run")
    calls = []
    original = run_module._run_task

    def buggy(plan, task, *rest):
        calls.append(task)
        if len(calls) == 2:
            # the first chunk is stored by now
            assert len(list((tmp_path / "out").glob(".darkbeam-resume-*/chunk-*.json"))) == 1
            raise ZeroDivisionError("a bug")
        return original(plan, task, *rest)

    monkeypatch.setattr(run_module, "_run_task", buggy)
    monkeypatch.setenv("DARKBEAM_DEBUG", "1")   # the CLI re-raises internal errors instead of one line
    monkeypatch.chdir(tmp_path)
    with pytest.raises(ZeroDivisionError):      # 3 chunks of one block (65 536 samples)
        run_cli(card, "-o", "out/ev.parquet", "-n", "140000", "--set", "run.chunk_size=65536")
    assert len(calls) == 2
    assert leftovers(tmp_path / "out") == [] and leftovers(tmp_path) == []


def test_checkpoint_folder_from_the_environment_and_off(card, tmp_path, monkeypatch):
    from darkbeam.card import load_card
    from darkbeam.checkpoint import Checkpoint

    monkeypatch.chdir(tmp_path)
    c = load_card(card, ["run.outputs=['out/ev.parquet']"])
    assert Checkpoint.for_card(c).directory.parent == Path(os.path.realpath(tmp_path / "out"))
    monkeypatch.setenv("DARKBEAM_CHECKPOINT_DIR", str(tmp_path / "ck"))
    assert Checkpoint.for_card(c).directory.parent == tmp_path / "ck"
    monkeypatch.setenv("DARKBEAM_CHECKPOINT_DIR", "off")
    assert Checkpoint.for_card(c) is None
    # keyed by the outputs too: another output, another folder
    monkeypatch.delenv("DARKBEAM_CHECKPOINT_DIR")
    d = load_card(card, ["run.outputs=['out/other.parquet']"])
    assert Checkpoint.for_card(c).directory != Checkpoint.for_card(d).directory


def test_stale_temporaries_of_a_killed_run_are_removed(card, tmp_path, monkeypatch):
    """What SIGKILL leaves (temporary folders, old-style side-file and summary temporaries) is
    removed by the next run of the same paths, which holds their locks."""
    stale = [tmp_path / ".x.hepevt.part-99999-0badcafe", tmp_path / ".x.hepevt.parquet.part-99999",
             tmp_path / ".s.json.part-99999", tmp_path / ".x.hepevt.part"]
    stale[0].mkdir()
    (stale[0] / "x.hepevt").write_text("half")
    for p in stale[1:]:
        p.write_text("half")
    monkeypatch.chdir(tmp_path)
    assert run_cli(card, "-o", "x.hepevt", "--summary", "s.json") == 0
    assert sorted(p.name for p in tmp_path.iterdir()) == ["card.toml", "s.json", "x.hepevt",
                                                          "x.hepevt.parquet"]


# a full disk (ulimit -f) -------------------------------------------------------------------------

def _limited(max_bytes: int):
    def preexec():
        signal.signal(signal.SIGXFSZ, signal.SIG_IGN)    # write() then fails with EFBIG
        resource.setrlimit(resource.RLIMIT_FSIZE, (max_bytes, max_bytes))
    return preexec


SBND_ARGS = ["-n", "600000", "--seed", "3", "--set", "run.chunk_size=65536",
             "--set", "model.epsilon=1e-6", "--no-progress"]


def _cli(card, folder: Path, *extra) -> list[str]:
    return [sys.executable, "-m", "darkbeam.cli", "run", str(card), *SBND_ARGS,
            "-o", str(folder / "events.parquet"), "--summary", str(folder / "summary.json"), *extra]


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_full_disk_then_resume(sbnd_card, tmp_path):
    """issue 19: a full disk while writing gives one line naming the file, says the checkpoint is
    kept and that --resume continues; the resumed file is byte-identical to an undisturbed run."""
    ref, cut = tmp_path / "ref", tmp_path / "cut"
    ref.mkdir(), cut.mkdir()
    subprocess.run(_cli(sbnd_card, ref), check=True, capture_output=True)
    # ~3 MB per stored chunk, ~15 MB per block of 50 000 events in the event file
    full = subprocess.run(_cli(sbnd_card, cut), capture_output=True, text=True,
                          preexec_fn=_limited(8 << 20))
    assert full.returncode == 2, full.stderr
    line = one_error_line(full.stderr)
    assert f"cannot write {cut / 'events.parquet'}: File too large [EFBIG]" in line
    assert "completed chunk(s) are kept in" in line and "--resume" in line
    assert not (cut / "events.parquet").exists() and not (cut / "summary.json").exists()
    assert [p.name.split("-")[0] for p in cut.iterdir()] == [".darkbeam"]   # the checkpoint only

    done = subprocess.run(_cli(sbnd_card, cut, "--resume"), capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert _digest(cut / "events.parquet") == _digest(ref / "events.parquet")
    assert leftovers(cut) == []


def test_full_disk_on_the_checkpoint(sbnd_card, tmp_path):
    full = subprocess.run(_cli(sbnd_card, tmp_path), capture_output=True, text=True,
                          preexec_fn=_limited(1 << 20))
    assert full.returncode == 2, full.stderr
    line = one_error_line(full.stderr)
    assert "RuntimeError" not in full.stderr
    assert "cannot write the checkpoint" in line and "File too large [EFBIG]" in line
    assert "DARKBEAM_CHECKPOINT_DIR" in line and "once fixed, run again" in line
    assert list(tmp_path.iterdir()) == []


def test_full_disk_without_checkpoint(sbnd_card, tmp_path):
    env = dict(os.environ, DARKBEAM_CHECKPOINT_DIR="off")
    full = subprocess.run(_cli(sbnd_card, tmp_path), capture_output=True, text=True, env=env,
                          preexec_fn=_limited(4 << 20))
    assert full.returncode == 2, full.stderr
    line = one_error_line(full.stderr)
    assert f"cannot write {tmp_path / 'events.parquet'}: File too large [EFBIG]" in line
    assert list(tmp_path.iterdir()) == []
