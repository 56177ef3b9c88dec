"""The Python API writes nothing unless asked; summaries are named after their card (issue 19,
item 4)."""

from __future__ import annotations

import json
from pathlib import Path

import darkbeam
from darkbeam.card import load_card, summary_path

CARDS = Path(__file__).resolve().parents[2] / "cards"
CARD = CARDS / "sbnd_dark_photon.toml"


def test_run_from_python_writes_only_what_is_asked(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    res = darkbeam.run(CARD, events=20_000, progress=False)
    assert list(tmp_path.iterdir()) == [] and res.summary["outputs"] == []
    assert len(res.events) == res.summary["n_events"] > 0
    darkbeam.run(CARD, events=20_000, progress=False, summary="mine.json")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.json"]
    res = darkbeam.run(CARD, events=20_000, progress=False, write=True, keep_events=False)
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(
        ["mine.json", "sbnd_dark_photon.parquet", "sbnd_dark_photon.root", "sbnd_dark_photon.summary.json"])
    assert json.loads((tmp_path / "sbnd_dark_photon.summary.json").read_text())["n_generated"] == 20_000


def test_no_two_shipped_cards_share_a_summary_or_output_name(write_card):
    """Run in one folder, the shipped cards do not overwrite each other's files."""
    names: dict[str, str] = {}
    for path in sorted(CARDS.glob("*.toml")) + sorted(CARDS.glob("seeds/*.toml")):
        card = load_card(path)
        for name in [*card.run.outputs, summary_path(card)]:
            if name is None:
                continue
            assert name not in names, (name, path.name, names.get(name))
            names[name] = path.name
    # the default follows the card's file name
    card = load_card(write_card(CARD.read_text().replace('summary = "sbnd_dark_photon.summary.json"\n', ""),
                                name="my_run.toml"))
    assert card.run.summary == "{card}.summary.json" and summary_path(card) == "my_run.summary.json"
