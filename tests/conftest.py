"""Shared fixtures."""

from __future__ import annotations

from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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
