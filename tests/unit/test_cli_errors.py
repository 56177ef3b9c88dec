"""Every sub-command with bad arguments: exit status 2, one clear line on stderr, no traceback and
no Python exception text (issue 19, item 3)."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from darkbeam.cli import main

ROOT = Path(__file__).resolve().parents[2]
CARD = str(ROOT / "cards" / "sbnd_dark_photon.toml")

#: what leaks when a Python exception reaches the user instead of a message
PYTHON_TEXT = re.compile(r"Traceback|\b[A-Z][A-Za-z]*(Error|Exception)\b|positional argument|keyword argument|"
                         r"object has no attribute|NoneType|\[Errno|line \d+, in ")


def _bad_toml(tmp: Path) -> str:
    path = tmp / "bad.toml"
    path.write_text("[run\nevents = 1\n")
    return str(path)


def _a_file(tmp: Path) -> str:
    path = tmp / "plain.txt"
    path.write_text("not a folder\n")
    return str(path)


#: (arguments, a word the message must contain); "{tmp}" is a fresh folder, "{bad_toml}" a broken card
CASES = [
    (["nope"], "invalid choice"),
    (["run", "no_such_card.toml"], "no such card file"),
    (["run", CARD, "-n", "abc"], "invalid int value"),
    (["run", CARD, "-n", "0"], "[run] events = 0"),
    (["run", CARD, "--set", "foo"], "expected section.key=value"),
    (["run", CARD, "--set", "model.epsilon=abc"], "[model] epsilon"),
    (["run", CARD, "--set", "model.preset=nope"], "nope"),
    (["run", CARD, "-o", "{tmp}/x.csvv"], "unknown output format"),
    (["run", CARD, "--progress", "--no-progress"], "not both"),
    (["run", "{bad_toml}"], "not valid TOML"),
    (["check", "no_such_card.toml"], "no such card file"),
    (["check", CARD, "--set", "detector.name=NOPE"], "NOPE"),
    (["check", CARD, "--set", "production.channels=['nope']"], "nope"),
    (["scan", "no_such_card.toml"], "no such card file"),
    (["scan", CARD, "--masses", "abc"], "masses"),
    (["convert", "no_such.parquet", "{tmp}/x.root"], "no such file"),
    (["convert", CARD, "{tmp}/x.root"], "known formats"),
    (["show", "no_such.parquet"], "no such file"),
    (["show", CARD], "known formats"),
    (["show", CARD, "-n", "x"], "invalid int value"),
    (["plot", "timing", "no_such.parquet"], "no such file"),
    (["plot", "nope", "x.parquet"], "invalid choice"),
    (["draw", "NOPE"], "unknown facility"),
    (["draw", "BNB", "-o", "{a_file}/x.png"], "plain.txt"),
    (["info", "nope"], "invalid choice"),
    (["info", "model"], "which preset"),
    (["info", "model", "nope"], "unknown preset"),
    (["info", "model", "b_minus_l", "--param", "gg"], "--param"),
    (["info", "model", "b_minus_l", "--param", "h=1"], "--param h"),
    (["info", "model", "b_minus_l", "--param", "g=abc"], "--param"),
    (["info", "model", "chargephobic", "--param", "phi='nope'"], "--param"),
    (["info", "model", "t3r", "--param", "vev=1", "--param", "g=1"], "--param"),
    (["info", "source", "NOPE"], "unknown facility"),
    (["example", "no_such_card"], "no such card"),
    (["example", "sbnd_dark_photon", "-o", "{a_file}"], "not a folder"),
]


def _exit(argv: list[str]) -> int:
    try:
        return main(argv)
    except SystemExit as exc:        # argparse's own exit
        return exc.code


@pytest.mark.parametrize(("argv", "word"), CASES, ids=[" ".join(a[:3]).replace(CARD, "CARD") for a, _ in CASES])
def test_bad_arguments_give_one_clear_line(argv, word, tmp_path, capsys):
    argv = [a.replace("{tmp}", str(tmp_path)) for a in argv]
    if any("{bad_toml}" in a for a in argv):
        argv = [a.replace("{bad_toml}", _bad_toml(tmp_path)) for a in argv]
    if any("{a_file}" in a for a in argv):
        argv = [a.replace("{a_file}", _a_file(tmp_path)) for a in argv]
    code = _exit(argv)
    captured = capsys.readouterr()
    lines = [line for line in captured.err.splitlines() if line.strip()]
    assert code == 2, (code, captured.err)
    assert len(lines) == 1, lines
    assert lines[0].startswith("darkbeam"), lines
    assert word in lines[0], lines
    assert not PYTHON_TEXT.search(captured.err), captured.err
    # nothing was written where a bad run would have put its files
    assert not list(tmp_path.glob("x.*"))


@pytest.mark.parametrize("name", ["dark_photon", "b_minus_l", "baryonic", "lmu_minus_ltau", "chargephobic",
                                  "t3r", "ud_arbitrary", "universal"])
def test_info_model_plots_every_preset_at_its_documented_defaults(name, tmp_path, capsys):
    """Issue 19: ``darkbeam info model PRESET --plot`` failed for all presets without --param;
    the defaults are presets.DEFAULTS, printed with the table."""
    from darkbeam.models.presets import DEFAULTS, PRESETS
    assert set(DEFAULTS) == set(PRESETS) and name in PRESETS
    png = tmp_path / f"{name}.png"
    assert main(["info", "model", name, "--plot", str(png)]) == 0
    out = capsys.readouterr().out
    assert png.stat().st_size > 10_000
    assert all(f"{k} = {v}" in out for k, v in DEFAULTS[name].items()), out
