"""darkbeam — Monte Carlo event generator for dark sectors at beam dumps."""

from ._version import __version__

__all__ = ["__version__"]
