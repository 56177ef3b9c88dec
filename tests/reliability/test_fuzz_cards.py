"""Property-based fuzzing of run cards and CLI arguments (hypothesis, bounded in time).

Whatever the card, ``darkbeam check``/``run`` ends with exit status 0, or with status 2 and one
clear message per problem on stderr — never a traceback, never an output file after a failure.
"""

from __future__ import annotations

import math
import tomllib

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from darkbeam.cli import main

GOOD = {
    "run": {"events": 2000, "seed": 1, "summary": False},
    "facility": {"name": "BNB", "pot": 1e20},
    "model": {"preset": "dark_photon", "mass": "50 MeV", "epsilon": 1e-6},
    "production": {"channels": ["pi0_decay"]},
    "detector": {"name": "SBND"},
    "signal": {"kind": "decay", "final_state": "e+e-"},
    "cuts": {"energy_min": "100 MeV"},
}


def toml_value(v) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    if isinstance(v, int):
        return str(v)
    if isinstance(v, float):
        return "nan" if math.isnan(v) else ("inf" if v > 0 else "-inf") if math.isinf(v) else repr(v)
    if isinstance(v, str):
        # TOML basic string: escape quote, backslash and control characters (TOML 1.0 §String)
        return '"' + "".join(
            "\\" + ch if ch in '"\\' else f"\\u{ord(ch):04x}" if ord(ch) < 0x20 or ord(ch) == 0x7F
            else ch for ch in v) + '"'
    if isinstance(v, list):
        return "[" + ", ".join(toml_value(x) for x in v) + "]"
    if isinstance(v, dict):
        return "{" + ", ".join(f'"{k}" = {toml_value(x)}' for k, x in v.items()) + "}"
    raise TypeError(v)


def toml_text(card: dict) -> str:
    lines = []
    for section, table in card.items():
        if not isinstance(table, dict):
            lines.append(f'"{section}" = {toml_value(table)}')
            continue
        lines.append(f'["{section}"]')
        lines += [f'"{k}" = {toml_value(v)}' for k, v in table.items()]
    return "\n".join(lines) + "\n"


scalars = st.one_of(
    st.integers(-10**6, 10**6), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=12), st.booleans(),
    st.sampled_from(["50 MeV", "-3 GeV", "1e400 MeV", "110 m", "fifty", "", "SBND", "BNB",
                     "pi0_decay", "e+e-", "dark_photon", "b_minus_l", "MeV"]),
)
values = st.one_of(scalars, st.lists(scalars, max_size=3),
                   st.dictionaries(st.sampled_from(["pi0", "eta", "kind", "size"]), scalars, max_size=2))


@st.composite
def mutated_cards(draw):
    card = {s: dict(t) for s, t in GOOD.items()}
    for _ in range(draw(st.integers(1, 3))):
        section = draw(st.sampled_from(sorted(card) + ["bogus"]))
        action = draw(st.sampled_from(["set", "delete", "delete_section", "replace_section"]))
        if action == "delete_section":
            card.pop(section, None)
        elif action == "replace_section":
            card[section] = draw(scalars)
        else:
            table = card.setdefault(section, {})
            if not isinstance(table, dict):
                continue
            key = draw(st.sampled_from(sorted(table) + ["unknown_key"]) if table else st.just("k"))
            if action == "delete":
                table.pop(key, None)
            else:
                table[key] = draw(values)
    return card


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(card=mutated_cards())
def test_check_never_crashes(card, tmp_path, capsys):
    path = tmp_path / "card.toml"
    path.write_text(toml_text(card))
    tomllib.loads(path.read_text())        # the generated text itself is valid TOML
    code = main(["check", str(path)])
    out, err = capsys.readouterr()
    assert code in (0, 2)
    assert "Traceback" not in err
    if code == 2:
        assert all(line.startswith("darkbeam: error: ") for line in err.strip().splitlines())
        assert str(path) in err or "card.toml" in err


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(card=mutated_cards())
def test_run_fails_without_output(card, tmp_path, capsys):
    path = tmp_path / "card.toml"
    path.write_text(toml_text(card))
    out = tmp_path / "events.parquet"
    out.unlink(missing_ok=True)
    code = main(["run", str(path), "-n", "2000", "-o", str(out), "--no-progress"])
    _, err = capsys.readouterr()
    assert code in (0, 2) and "Traceback" not in err
    assert out.exists() == (code == 0)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(items=st.lists(st.text(max_size=25), max_size=3))
def test_set_overrides_never_crash(items, sbnd_card, capsys):
    args = ["check", str(sbnd_card)]
    for item in items:
        args += ["--set", item]
    try:
        code = main(args)
    except SystemExit as exc:           # argparse's usage error (e.g. a value starting with '-')
        code = exc.code
    _, err = capsys.readouterr()
    assert code in (0, 2) and "Traceback" not in err


@pytest.mark.parametrize("argv", [["run"], ["run", "nope.toml"], ["frobnicate"], ["run", "x", "-n", "abc"]])
def test_bad_cli_arguments(argv, capsys):
    try:
        code = main(argv)
    except SystemExit as exc:           # argparse's own usage errors
        code = exc.code
    _, err = capsys.readouterr()
    assert code == 2 and "Traceback" not in err
