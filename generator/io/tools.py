"""Format-independent helpers for the CLI: stream a file batch by batch, convert, show."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Iterator

import awkward as ak
import numpy as np

from ..events import WEIGHT_NAMES


def _iter_parquet(path: Path, step: int):
    import pyarrow.parquet as pq

    from .parquet import _META_KEY

    pf = pq.ParquetFile(path)
    meta = json.loads((pf.schema_arrow.metadata or {}).get(_META_KEY, b"{}"))
    if pf.metadata.num_row_groups == 0:
        yield ak.from_parquet(path), meta
        return
    for i in range(pf.metadata.num_row_groups):   # one row group (≤ 50 000 events) at a time
        yield ak.from_parquet(path, row_groups=[i]), meta


def _iter_root(path: Path, step: int):
    import uproot

    from .root import _regroup

    with uproot.open(path) as f:
        meta = json.loads(str(f["metadata"]))
        tree = f["events"]
        if tree.num_entries == 0:
            yield _regroup(tree.arrays(library="ak")), meta
            return
        for arrays in tree.iterate(step_size=step, library="ak"):
            yield _regroup(arrays), meta


def iter_read(path: str | Path, step: int = 50_000) -> Iterator[tuple[ak.Array, dict]]:
    """Read any darkbeam event file batch by batch (≤ ``step`` events each): (events, metadata).
    Memory stays bounded by one batch, so files of any size can be converted."""
    from . import READERS
    from .hepevt import iter_hepevt
    from .hepmc3 import iter_hepmc
    from .lhe import iter_lhe

    path = Path(path)
    suffix = path.suffix.lower()
    iters = {".parquet": _iter_parquet, ".root": _iter_root, ".hepmc": iter_hepmc, ".hepmc3": iter_hepmc,
             ".lhe": iter_lhe, ".hepevt": iter_hepevt}
    if suffix not in iters:
        raise ValueError(f"cannot read {str(path)!r}: known formats {', '.join(sorted(READERS))}")
    if not path.exists():
        raise FileNotFoundError(f"no such event file: {str(path)!r}")
    yield from iters[suffix](path, step)


def convert(in_path: str | Path, out_path: str | Path, metadata: dict | None = None) -> Path:
    """Convert an event file to another format (from the extensions), streaming batch by batch.

    The metadata of the input (card, POT, weight names, model, ...) is carried over; ``metadata``
    updates it (e.g. ``{"detector_frame": ...}`` for HEPEVT). The output is written under a
    temporary name and renamed when complete."""
    from . import format_of, open_writer

    format_of(out_path)   # unknown output extension: fail before reading
    batches = iter_read(in_path)
    events, meta = next(batches)
    writer = open_writer(out_path, {**meta, **(metadata or {})})
    with writer:
        writer.write(events)
        for events, _ in batches:
            writer.write(events)
    return Path(out_path)


def show(path: str | Path, n: int = 3) -> str:
    """A short text summary of an event file: number of events, Σ weights (± √Σw²), weight names,
    POT and model, and the first ``n`` events with their particles."""
    count, s1, s2 = 0, 0.0, 0.0
    first: list[ak.Array] = []
    meta: dict = {}
    for events, meta in iter_read(path):
        w = ak.to_numpy(events.weight).astype(np.float64)
        count += len(events)
        s1 += float(np.nansum(w))
        s2 += float(np.nansum(w * w))
        if sum(len(f) for f in first) < n:
            first.append(events[: n - sum(len(f) for f in first)])
    lines = [f"{path}: {count} events",
             f"  Σ weight = {s1:.6g} ± {np.sqrt(s2):.3g} expected events"
             + (f" for {meta['pot']:.4g} POT" if isinstance(meta.get("pot"), (int, float)) else ""),
             f"  weights: {', '.join(meta.get('weight_names') or WEIGHT_NAMES)}"]
    if meta.get("model"):
        lines.append(f"  model: {json.dumps(meta['model'], default=str)}")
    if meta.get("channels"):
        lines.append(f"  channels: {', '.join(map(str, meta['channels']))}")
    if meta.get("darkbeam_version"):
        lines.append(f"  darkbeam {meta['darkbeam_version']}")
    shown = ak.concatenate(first) if len(first) > 1 else (first[0] if first else [])
    for i, ev in enumerate(shown):
        lines.append(f"  event {i}: weight={ev.weight:.6g} channel={ev.channel} "
                     f"vertex=({ev.vtx_x:.4g}, {ev.vtx_y:.4g}, {ev.vtx_z:.4g}) m t={ev.t:.6g} ns")
        for j, p in enumerate(ev.particles):
            lines.append(f"    {j:2d} pdg={p.pdg:>7d} status={p.status} mother={p.mother:2d} "
                         f"p=({p.px:+.4g}, {p.py:+.4g}, {p.pz:+.4g}) E={p.E:.4g} GeV "
                         f"at ({p.x:.4g}, {p.y:.4g}, {p.z:.4g}) m, {p.t:.5g} ns")
    return "\n".join(lines)
