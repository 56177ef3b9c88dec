"""Give memory freed by the writers back to the operating system.

A run frees its event batches after writing them, but two allocators keep what was freed for
reuse, and the resident memory of a long run ratchets up by it: Arrow's memory pool (mimalloc in
the pyarrow wheels; its free pages are kept per thread) and glibc's ``malloc`` (free pages inside
the heap and the per-thread arenas are returned only above the trim threshold, at the top of the
heap). Asking both to release after each written batch lowered the peak RSS of
``cards/sbnd_dark_photon.toml`` by ~30 MB (benchmarks/bench_startup.py) at no measurable cost in
time. Best effort: a platform without glibc, or a pyarrow not yet imported, is left as it is.
"""

from __future__ import annotations

import ctypes
import ctypes.util
import functools
import sys


@functools.cache
def _malloc_trim():
    """glibc's ``malloc_trim`` (None elsewhere: musl, macOS, Windows)."""
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6")
        trim = libc.malloc_trim
    except (OSError, AttributeError):
        return None
    trim.argtypes, trim.restype = [ctypes.c_size_t], ctypes.c_int
    return trim


def release_arrow_pool() -> None:
    """Return the free pages of Arrow's default memory pool. mimalloc releases those of the
    calling thread's heap: call it from the thread that wrote (a writer's own thread)."""
    pa = sys.modules.get("pyarrow")
    if pa is not None:
        pa.default_memory_pool().release_unused()


def release_free_memory() -> None:
    """Arrow's pool (this thread) and glibc's ``malloc_trim(0)`` (all arenas)."""
    release_arrow_pool()
    trim = _malloc_trim()
    if trim is not None:
        trim(0)
