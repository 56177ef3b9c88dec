"""darkbeam — Monte Carlo event generator for dark sectors at beam dumps.

>>> import darkbeam
>>> result = darkbeam.run("cards/sbnd_dark_photon.toml", events=100_000)   # doctest: +SKIP
>>> result.expected_events, result.stat_uncertainty                          # doctest: +SKIP
"""

from ._version import __version__
from .card import Card, load_card
from .errors import CardError, CatalogError, DarkbeamError
from .result import Result
from .run import run

__all__ = ["Card", "CardError", "CatalogError", "DarkbeamError", "Result", "__version__",
           "load_card", "run"]
