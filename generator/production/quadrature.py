"""Cached Gauss–Legendre nodes (scipy.special.roots_legendre) for the fixed-order integrals."""

from __future__ import annotations

from functools import lru_cache

import numpy as np


@lru_cache(maxsize=32)
def _nodes(n: int) -> tuple[np.ndarray, np.ndarray]:
    from scipy.special import roots_legendre   # on first use: not at `import darkbeam.production`

    x, w = roots_legendre(n)
    x.setflags(write=False)
    w.setflags(write=False)
    return x, w


def gauss_legendre(n: int) -> tuple[np.ndarray, np.ndarray]:
    """Nodes and weights on [−1, 1] (read-only arrays, computed once per n)."""
    return _nodes(int(n))
