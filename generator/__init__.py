"""darkbeam — Monte Carlo event generator for dark sectors at beam dumps.

>>> import darkbeam
>>> result = darkbeam.run("cards/sbnd_dark_photon.toml", events=100_000)   # doctest: +SKIP
>>> result.expected_events, result.stat_uncertainty                          # doctest: +SKIP

``import darkbeam`` is cheap (no numba, awkward, scipy, uproot, matplotlib...): the public names
below and the sub-packages (``darkbeam.geometry``, ``darkbeam.io``, ``darkbeam.scan``, ...) are
imported on first access (module ``__getattr__``, PEP 562, as in the scikit-hep packages), so the
``darkbeam`` command starts without the libraries a given sub-command does not use
(benchmarks/bench_startup.py).
"""

from __future__ import annotations

import importlib
import types
import sys

from ._version import __version__
from .errors import CardError, CatalogError, DarkbeamError

#: public name → the module that defines it (imported on first access)
_LAZY = {"Card": ".card", "load_card": ".card", "Result": ".result", "run": ".run"}

__all__ = ["Card", "CardError", "CatalogError", "DarkbeamError", "Result", "__version__",
           "load_card", "run"]


def __getattr__(name: str):
    if name in _LAZY:
        value = getattr(importlib.import_module(_LAZY[name], __name__), name)
        globals()[name] = value
        return value
    # a sub-package or module (darkbeam.geometry, darkbeam.io, ...), as an eager import gave them
    if not name.startswith("__"):
        try:
            return importlib.import_module(f"{__name__}.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"{__name__}.{name}":
                raise
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(__all__))


class _Package(types.ModuleType):
    """``darkbeam.run`` is the function, as it always was, although a sub-module of the same name
    exists: importing the sub-module ``darkbeam.run`` (``from darkbeam.run import execute``) makes
    the import system set the package attribute ``run`` to that module; this keeps the function
    there instead (the module stays in ``sys.modules["darkbeam.run"]``). Setting a module's
    ``__class__`` to a ModuleType subclass is the documented way to customise attribute setting
    (Python reference, "Customizing module attribute access")."""

    def __setattr__(self, name: str, value) -> None:
        if name == "run" and isinstance(value, types.ModuleType) and value.__name__ == f"{self.__name__}.run":
            value = value.run
        super().__setattr__(name, value)


sys.modules[__name__].__class__ = _Package
