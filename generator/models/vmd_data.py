"""The VMD parameter file and meson masses shared by :mod:`.hadronic` and :mod:`.hadronic_excl`."""

from __future__ import annotations

import tomllib
from functools import lru_cache
from importlib import resources

import numpy as np

# PDG 2024 masses (GeV), also available through darkbeam.constants.mass by PDG id
MPI = 0.13957039    # π±, 211
MPI0 = 0.1349768    # π⁰, 111
META = 0.547862     # η, 221


@lru_cache(maxsize=1)
def parameters() -> dict:
    """The VMD parameter set (``data/vmd_parameters.toml``), read once."""
    text = resources.files("darkbeam.models").joinpath("data/vmd_parameters.toml").read_text()
    return tomllib.loads(text)


def frozen(*arrays: np.ndarray) -> tuple[np.ndarray, ...]:
    """Mark cached tables read-only and return them."""
    for a in arrays:
        a.flags.writeable = False
    return arrays
