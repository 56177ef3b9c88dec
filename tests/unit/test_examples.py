"""``darkbeam example``: the shipped cards inside the package, listed and copied; and the README's
first commands from an installed wheel, in a fresh venv outside the repository."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import sysconfig
import tomllib
from pathlib import Path

import pytest
from darkbeam.card import load_card
from darkbeam.cli import main
from darkbeam.examples import card_directory, copy_example, list_examples

ROOT = Path(__file__).resolve().parents[2]


def test_every_shipped_card_is_listed_with_its_first_comment(capsys):
    shipped = sorted(ROOT.glob("cards/*.toml")) + sorted(ROOT.glob("cards/seeds/*.toml"))
    examples = list_examples()
    # the package's cards are the repository's cards/ (an editable install) or their copy in an
    # installed wheel (CI installs non-editable): compare names and contents
    assert [e.path.relative_to(card_directory()) for e in examples] == [p.relative_to(ROOT / "cards") for p in shipped]
    assert all(e.path.read_bytes() == p.read_bytes() for e, p in zip(examples, shipped))
    assert main(["example"]) == 0
    out = capsys.readouterr().out
    for path in shipped:
        first = path.read_text().splitlines()[0].lstrip("#").strip()
        assert first and first in out and path.stem in out


def test_copy_rewrites_includes_and_the_copy_loads_like_the_original(tmp_path):
    """A seed card includes ``../ess_cevns.toml``: the copy brings that file along, points its
    include at it, and validates to the same card as the original."""
    written = copy_example("ess_b_minus_l", tmp_path / "here")
    assert [p.name for p in written] == ["ess_b_minus_l.toml", "ess_cevns.toml"]
    text = written[0].read_text()
    assert tomllib.loads(text)["include"] == ["ess_cevns.toml"]
    copy, original = load_card(written[0]), load_card(ROOT / "cards" / "seeds" / "ess_b_minus_l.toml")
    assert copy.model_dump() == original.model_dump()
    # everything but the include line is the file as shipped
    shipped = (ROOT / "cards" / "seeds" / "ess_b_minus_l.toml").read_text().splitlines()
    assert [a for a, b in zip(text.splitlines(), shipped) if a != b] == ['include = ["ess_cevns.toml"]']


def test_copy_refuses_to_overwrite_and_names_the_file(tmp_path, capsys):
    (tmp_path / "sbnd_dark_photon.toml").write_text("# mine\n")
    assert main(["example", "sbnd_dark_photon", "-o", str(tmp_path)]) == 2
    err = capsys.readouterr().err
    assert "sbnd_dark_photon.toml exists already" in err and "Traceback" not in err
    assert (tmp_path / "sbnd_dark_photon.toml").read_text() == "# mine\n"
    # a card with an include: nothing is copied if the included file clashes
    (tmp_path / "coherent_csi_cevns.toml").write_text("# mine\n")
    assert main(["example", "coherent_csi_cevns_timing", "-o", str(tmp_path)]) == 2
    assert not (tmp_path / "coherent_csi_cevns_timing.toml").exists()
    assert main(["example", "no_such_card"]) == 2
    assert "no such card" in capsys.readouterr().err


def _build_wheel(dest: Path, tmp: Path) -> Path:
    """The wheel of a copy of the project's sources (the repository is not written to). Tries a
    build without isolation first (needs setuptools ≥ 68 here), then pip's isolated build (from
    the configured, possibly local, index); skips if neither works offline."""
    src = tmp / "src"
    ignore = shutil.ignore_patterns("__pycache__", "*.pyc", "*.egg-info", "build")
    for name in ("generator", "geometry", "detectors", "cards"):
        shutil.copytree(ROOT / name, src / name, ignore=ignore)
    for name in ("pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, src / name)
    errors = []
    for extra in (["--no-build-isolation"], []):
        cmd = [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", *extra, "-w", str(dest), str(src)]
        res = subprocess.run(cmd, check=False, capture_output=True, text=True, timeout=300)
        wheels = list(dest.glob("darkbeam-*.whl"))
        if res.returncode == 0 and wheels:
            return wheels[0]
        errors.append(res.stderr.strip().splitlines()[-1:] or ["?"])
    pytest.skip(f"cannot build the wheel offline here: {errors}")


def test_readme_first_command_from_an_installed_wheel(tmp_path):
    """Must-show of issue 19: build the wheel, install it into a fresh venv outside the
    repository (with the running environment's dependencies visible through a .pth file, and the
    wheel installed --no-deps), then in an empty folder: ``darkbeam example sbnd_dark_photon`` and
    ``darkbeam run sbnd_dark_photon.toml -n 20000``."""
    wheel = _build_wheel(tmp_path / "dist", tmp_path)
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, timeout=120)
    py = venv / "bin" / "python"
    site = Path(subprocess.run([str(py), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies of this environment, but not its darkbeam (an editable install of the repo)
    deps = [p for p in {sysconfig.get_paths()["purelib"], sysconfig.get_paths()["platlib"]}]
    (site / "_darkbeam_test_deps.pth").write_text("\n".join(deps) + "\n")
    subprocess.run([str(py), "-m", "pip", "install", "--no-deps", "--no-index", "--ignore-installed", "-q", str(wheel)],
                   check=True, timeout=300, capture_output=True)
    work = tmp_path / "empty"
    work.mkdir()
    env = {k: v for k, v in os.environ.items() if k not in ("PYTHONPATH", "VIRTUAL_ENV")}
    env["PATH"] = f"{venv / 'bin'}{os.pathsep}{env.get('PATH', '')}"
    where = subprocess.run([str(py), "-c", "import darkbeam, sys; print(darkbeam.__file__)"], cwd=work,
                           env=env, capture_output=True, text=True, check=True).stdout.strip()
    assert Path(where).is_relative_to(site), where    # the wheel's package, not the repository's
    darkbeam = [str(venv / "bin" / "darkbeam")]      # the wheel's console script
    ex = subprocess.run([*darkbeam, "example", "sbnd_dark_photon"], cwd=work, env=env,
                        check=False, capture_output=True, text=True, timeout=120)
    assert ex.returncode == 0, ex.stderr
    assert (work / "sbnd_dark_photon.toml").is_file()
    run = subprocess.run([*darkbeam, "run", "sbnd_dark_photon.toml", "-n", "20000", "--no-progress"],
                         cwd=work, env=env, check=False, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr
    assert "Traceback" not in run.stderr
    for name in ("sbnd_dark_photon.parquet", "sbnd_dark_photon.root", "sbnd_dark_photon.summary.json"):
        assert (work / name).is_file(), (name, run.stdout)
    summary = json.loads((work / "sbnd_dark_photon.summary.json").read_text())
    assert summary["n_generated"] == 20000 and summary["expected_events"] > 0
