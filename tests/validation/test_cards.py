"""Every shipped card (cards/ and its subfolders) passes ``darkbeam check``."""

from __future__ import annotations

from pathlib import Path

import pytest

CARDS = sorted((Path(__file__).resolve().parents[2] / "cards").rglob("*.toml"))


def test_cards_exist():
    assert len(CARDS) >= 10


@pytest.mark.parametrize("card", CARDS, ids=[str(c.relative_to(c.parents[1])) if c.parent.name != "cards"
                                             else c.name for c in CARDS])
def test_card_checks(card, capsys):
    from darkbeam.cli import main
    status = main(["check", str(card)])
    out = capsys.readouterr()
    assert status == 0, f"darkbeam check {card.name}:\n{out.out}\n{out.err}"
