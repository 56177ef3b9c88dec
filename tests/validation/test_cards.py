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


@pytest.mark.parametrize("card", CARDS, ids=[str(c.relative_to(c.parents[1])) if c.parent.name != "cards"
                                             else c.name for c in CARDS])
def test_card_tiny_run(card):
    """A tiny run of every card works and gives a finite, non-negative count (no files written)."""
    import math
    import warnings

    import darkbeam
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = darkbeam.run(card, events=2000, outputs=[], summary=None, keep_events=False,
                           production__cascade_parents=50)
    assert math.isfinite(res.expected_events) and res.expected_events >= 0
    assert math.isfinite(res.stat_uncertainty) and res.stat_uncertainty >= 0


def test_scan_of_classic_dump_card_with_proton_brem():
    """The classic-dump card scans with all its channels (proton brem reweights through
    ProtonBremChannel.production_scale)."""
    import warnings

    from darkbeam.scan import scan
    card = Path(__file__).resolve().parents[2] / "cards" / "nucal_dark_photon.toml"
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = scan(card, [0.05], [1e-7, 1e-6], events=2000)
    assert res is not None
