"""Validation fixtures: the shared case tables, and @slow runs only on request.

``pytest tests/validation`` runs every case at reduced statistics; ``pytest -m slow
tests/validation`` (or ``DARKBEAM_SLOW=1``) runs the full-statistics versions.
"""

import os
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).parent))      # the shared case tables (cases.py)


def pytest_collection_modifyitems(config, items):
    if "slow" in (config.getoption("-m") or "") or os.environ.get("DARKBEAM_SLOW"):
        return
    skip = pytest.mark.skip(reason="full-statistics run: pytest -m slow (reduced run is in the default set)")
    for item in items:
        if "slow" in item.keywords and item.path.is_relative_to(Path(__file__).parent):
            item.add_marker(skip)
