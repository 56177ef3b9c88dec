"""Progress of a run (issue 19, item 7): every phase is reported when progress is forced, the
generation moves within a chunk (after each block), and nothing is shown by default when stderr
is not a terminal (as in captured test output)."""

from __future__ import annotations

from pathlib import Path

import darkbeam

CARD = Path(__file__).resolve().parents[2] / "cards" / "e137_dark_photon.toml"
SBND = Path(__file__).resolve().parents[2] / "cards" / "sbnd_dark_photon.toml"


def _frames(err: str) -> list[str]:
    return [f.strip() for f in err.replace("\r", "\n").splitlines() if f.strip()]


def test_forced_progress_reports_set_up_warm_up_and_blocks(capsys):
    """E137, electron brem alone: drawn from the EM cascade's track lengths (the set-up phase),
    then the warm-up, then the generation of 66 000 samples in one chunk, which shows 65.5k (the
    first block of 65 536) before the chunk ends."""
    darkbeam.run(CARD, events=66_000, progress=True, keep_events=False,
                 production__channels=["electron_brem"])
    frames = _frames(capsys.readouterr().err)
    assert any(f.startswith("set-up: parent pools") for f in frames), frames
    assert any(f.startswith("warm-up:") for f in frames), frames
    generation = [f for f in frames if f.startswith("generation:")]
    assert any("65.5k/66.0k" in f for f in generation), generation
    assert any("100%" in f for f in generation), generation
    order = [next(i for i, f in enumerate(frames) if f.startswith(p)) for p in ("set-up", "warm-up", "generation")]
    assert order == sorted(order)


def test_no_progress_in_captured_output_by_default(capsys):
    darkbeam.run(SBND, events=20_000, keep_events=False)
    err = capsys.readouterr().err
    assert "generation" not in err and "set-up" not in err and "warm-up" not in err
