"""Progress display of a run: one tqdm line per phase on stderr.

``enabled``: ``None`` (the default) shows a phase only when stderr is a terminal and the phase
lasts more than :data:`DELAY_S`; ``True`` (``darkbeam run --progress``) always shows it, at once;
``False`` (``--no-progress``) never. Phases without a count (building the parent pools, the
warm-up) show their elapsed time, refreshed by a small ticker thread, since nothing inside them
calls back; the generation counts samples, updated after every block of
:data:`darkbeam.run.BLOCK_SIZE` samples (so a run of one chunk moves too).
"""

from __future__ import annotations

import contextlib
import sys
import threading
import time

#: a phase shorter than this (s) is not shown unless progress is forced
DELAY_S = 2.0


def bar(enabled: bool | None, desc: str, total: int | None = None, unit: str = " samples", **options):
    """A tqdm bar on stderr, or None when progress is off (``options`` go to tqdm)."""
    if enabled is False:
        return None
    from tqdm.auto import tqdm
    return tqdm(total=total, desc=desc, unit=unit, unit_scale=total is not None, file=sys.stderr,
                delay=0.0 if enabled else DELAY_S, disable=None if enabled is None else False,
                leave=bool(enabled), dynamic_ncols=True, **options)


@contextlib.contextmanager
def phase(enabled: bool | None, desc: str):
    """Show ``desc`` with its elapsed time while the body runs (a phase without a count)."""
    b = bar(enabled, desc, total=None, unit="", bar_format="{desc}: {elapsed}")
    if b is None:
        yield
        return
    stop = threading.Event()
    start, delay = time.monotonic(), 0.0 if enabled else DELAY_S

    def tick() -> None:
        while not stop.wait(0.5):
            if time.monotonic() - start >= delay:
                b.refresh()

    ticker = threading.Thread(target=tick, daemon=True)
    ticker.start()
    try:
        yield
    finally:
        stop.set()
        ticker.join()
        b.close()
