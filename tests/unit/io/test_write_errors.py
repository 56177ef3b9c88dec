"""Every writer turns a file-system failure into one OutputError line naming the final path,
and leaves nothing behind: no file under the final name, no temporary."""

from __future__ import annotations

import errno
import shutil

import pytest

from darkbeam import io
from darkbeam.errors import OutputError

FORMATS = (".parquet", ".root", ".hepmc", ".lhe", ".hepevt")


@pytest.mark.parametrize("ext", FORMATS)
def test_failing_write_in_the_thread(tmp_path, synth, ext, monkeypatch):
    path = tmp_path / f"ev{ext}"
    writer = io.open_writer(path, {})

    def full(*args, **kw):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(writer, "_write_block", full)
    with pytest.raises(OutputError, match=rf"cannot write {path}: No space left on device \[ENOSPC\]; free"):
        with writer:
            for _ in range(3):
                writer.write(synth(30_000))
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("ext", FORMATS)
def test_folder_vanishes_before_the_rename(tmp_path, synth, ext):
    folder = tmp_path / "out"
    writer = io.open_writer(folder / f"ev{ext}", {})
    writer.write(synth(100))
    shutil.rmtree(folder)
    with pytest.raises(OutputError, match=rf"ev\{ext}: .*\[ENOENT\]; the folder disappeared"):
        writer.close()
    assert list(tmp_path.iterdir()) == []


def test_temporaries_are_private_and_keep_the_final_name(tmp_path, synth):
    """Two writers of one path (as two processes would have) never share a temporary."""
    a, b = io.open_writer(tmp_path / "ev.root", {}), io.open_writer(tmp_path / "ev.root", {})
    a.write(synth(10))
    b.write(synth(10))
    assert a.tmp_path != b.tmp_path and a.tmp_path.name == b.tmp_path.name == "ev.root"
    assert a.tmp_dir.parent == tmp_path and a.tmp_dir.name.startswith(".ev.root.part-")
    b.abort()
    a.close()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["ev.root"]
