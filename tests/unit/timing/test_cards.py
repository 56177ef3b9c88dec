"""The timing part of the example cards with timing cuts builds a pulse and valid cuts."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from darkbeam.card import card_mapping
from darkbeam.constants import C_M_PER_NS
from darkbeam.detectors import load_detector
from darkbeam.timing import parse_delay_min, parse_time_reference, parse_time_window, pulse_for

CARDS = sorted(p for p in (Path(__file__).resolve().parents[3] / "cards").glob("**/*.toml")
               if "time_window" in p.read_text() or "delay_min" in p.read_text())


def test_there_are_timing_cards():
    assert len(CARDS) >= 3


@pytest.mark.parametrize("card", CARDS, ids=lambda p: p.stem)
def test_timing_part_of_card(card):
    raw = card_mapping(card)          # with its includes
    fac = raw["facility"]
    pulse = pulse_for(fac["name"], fac.get("pulse"), source=str(card))
    assert pulse.std > 0
    cuts = raw.get("cuts", {})
    window = parse_time_window(cuts.get("time_window"), str(card))
    dmin = parse_delay_min(cuts.get("delay_min"), str(card))
    assert window is not None or dmin is not None
    if window is not None and parse_time_reference(cuts.get("time_reference"), str(card)) == "light":
        # a window after the light arrival, on the pulse clock at the detector's centre:
        # t + leading edge + L/c (darkbeam.timing.cuts)
        centre, _ = load_detector(raw["detector"]["name"]).bounding_sphere()
        shift = pulse.leading_edge + float(np.linalg.norm(centre)) / C_M_PER_NS
        window = (window[0] + shift, window[1] + shift)
    if window is not None:
        # the window must keep a good part of the proton pulse (JSNS²'s t < 0.25 µs keeps the
        # first of the two MLF bunches, seed 002b Table 5)
        assert float(pulse.cdf(window[1]) - pulse.cdf(window[0])) > 0.4
