"""Read-only access to ``data/production.toml`` (numbers with their sources)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType

_PATH = Path(__file__).with_name("data") / "production.toml"


@lru_cache(maxsize=None)
def table(name: str) -> MappingProxyType:
    """The block ``name`` of ``data/production.toml`` (read once, read-only)."""
    with open(_PATH, "rb") as fh:
        data = tomllib.load(fh)
    return MappingProxyType(data[name])
