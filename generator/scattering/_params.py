"""The parameter file ``data/parameters.toml`` (read once; see ``data/README.md`` for sources)."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources


@lru_cache(maxsize=None)
def parameters() -> dict:
    """All blocks of ``data/parameters.toml`` as a (read-only by convention) dict."""
    text = resources.files("darkbeam.scattering").joinpath("data/parameters.toml").read_text()
    return tomllib.loads(text)
