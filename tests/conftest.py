"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import settings

ROOT = Path(__file__).resolve().parents[1]

# Property tests draw the same examples on every run (a failure in CI is then a regression, not
# a new draw); ``pytest --hypothesis-profile=explore`` draws new ones, to look for counterexamples
# (add each one found as an @example).
settings.register_profile("default", derandomize=True)
settings.register_profile("explore", derandomize=False)
settings.load_profile("default")


@pytest.fixture
def sbnd_card() -> Path:
    """The shipped example card."""
    return ROOT / "cards" / "sbnd_dark_photon.toml"


@pytest.fixture
def write_card(tmp_path):
    """Write a card text to a file and return its path."""
    def _write(text: str, name: str = "card.toml") -> Path:
        path = tmp_path / name
        path.write_text(text)
        return path
    return _write
