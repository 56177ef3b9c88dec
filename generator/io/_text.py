"""Column-wise text formatting for the text formats (HepMC3 ASCII, LHE, HEPEVT).

Numbers are turned into strings a whole column at a time by Arrow's C++ cast (shortest string that
reads back to the same float64, i.e. round-trip exact; integers in decimal), and lines are glued
column-wise with ``binary_join_element_wise``: no Python loop over events or particles.
"""

from __future__ import annotations

from typing import BinaryIO, Union

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

Piece = Union[str, pa.Array]

#: events formatted at a time inside a block: bounds the memory of the intermediate string columns
SLICE_EVENTS = 10_000


def slices(n: int):
    """(start, stop) of the slices of a block of ``n`` events."""
    return [(i, min(i + SLICE_EVENTS, n)) for i in range(0, n, SLICE_EVENTS)]


def num(values: np.ndarray) -> Piece:
    """Strings of a numeric column: floats in the shortest round-trip form (``0.1``, ``1e-20``),
    integers in decimal. A column whose values are all equal (a branching ratio of 1, the PDG code
    of the parent, ...) comes back as one constant string, formatted once."""
    values = np.ascontiguousarray(values)
    if len(values) > 1 and values[0] == values[0] and bool(np.all(values == values[0])):
        return pc.cast(pa.array(values[:1]), pa.string())[0].as_py()
    return pc.cast(pa.array(values), pa.string())


def join(pieces: list[Piece], n: int) -> pa.Array:
    """Concatenate, element by element, a list of ``n``-long string columns and constant strings
    (adjacent constants are merged first)."""
    merged: list[Piece] = []
    for p in pieces:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    if not any(isinstance(p, pa.Array) for p in merged):
        return pa.array(["".join(merged)] * n, pa.string())
    args = [p if isinstance(p, pa.Array) else pa.scalar(p, pa.string()) for p in merged]
    return pc.binary_join_element_wise(*args, "")


def in_order(parts: list[tuple[np.ndarray, pa.Array]], n: int) -> pa.Array:
    """Put per-group string columns back into event order: ``parts`` holds (event indices, strings)."""
    if not parts:
        return pa.array([], pa.string())
    index = np.concatenate([i for i, _ in parts])
    strings = pa.concat_arrays([s.cast(pa.large_string()) for _, s in parts])
    order = np.empty(n, dtype=np.int64)
    order[index] = np.arange(len(index))
    return strings.take(pa.array(order))


def write_strings(fh: BinaryIO, strings: pa.Array) -> None:
    """Write the concatenation of a (large_)string column to a binary file, without a Python loop."""
    if len(strings) == 0:
        return
    strings = strings.cast(pa.large_string()) if strings.type != pa.large_string() else strings
    _, offsets, data = strings.buffers()
    off = np.frombuffer(offsets, dtype=np.int64)[strings.offset: strings.offset + len(strings) + 1]
    fh.write(memoryview(data)[int(off[0]): int(off[-1])])
