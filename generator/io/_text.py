"""Column-wise text formatting for the text formats (HepMC3 ASCII, LHE, HEPEVT).

A writer describes the text of one event as a list of *pieces*: constant strings and numeric
columns (:func:`num`). :func:`join` renders all events of a slice in one pass of a numba kernel,
straight into one byte buffer (an Arrow ``large_string`` column, one string per event): no Python
loop over events or particles.

Floats are written with 17 significant digits, correctly rounded, which reads back to the same
float64 (IEEE 754-2019 §5.12.2: 17 significant decimal digits suffice for binary64 round trips).
The scaling x·10ᵏ is done in double-double arithmetic (T. J. Dekker, "A floating-point technique
for extending the available precision", Numer. Math. 18 (1971) 224, algorithms mul12/split; powers
of ten tabulated exactly from Python integers), accurate to ~2⁻¹⁰⁴, so the decimal is the correctly
rounded one except within ~10⁻¹⁵ of a tie, where either neighbour is still within half an ulp.
Columns with values outside [1e-280, 1e280], NaN or ±inf are formatted by Arrow's C++ cast
(shortest round-trip) instead. Integers are written in decimal.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import BinaryIO, Union

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: events formatted at a time inside a block: bounds the memory of the intermediate columns
SLICE_EVENTS = 10_000
_K_MIN, _K_MAX = -270, 300          # decimal scalings tabulated (|x| in [1e-280, 1e280] needs −264…296)
_LIMIT = 1e280


class Column:
    """A numeric column to render: ``kind`` "f" (float64, numba) or "i" (int64)."""

    __slots__ = ("kind", "values")

    def __init__(self, kind: str, values: np.ndarray):
        self.kind, self.values = kind, values


Piece = Union[str, Column, pa.Array]


def slices(n: int):
    """(start, stop) of the slices of a block of ``n`` events."""
    return [(i, min(i + SLICE_EVENTS, n)) for i in range(0, n, SLICE_EVENTS)]


def num(values: np.ndarray) -> Piece:
    """A numeric column as a piece. A column whose values are all equal (a branching ratio of 1,
    the PDG code of the parent, ...) comes back as one constant string."""
    values = np.ascontiguousarray(values)
    if values.dtype.kind in "iub":
        col: Piece = Column("i", values.astype(np.int64))
    else:
        v = values.astype(np.float64)
        a = np.abs(v)
        if np.all(np.isfinite(v) & ((a == 0) | ((a >= 1 / _LIMIT) & (a <= _LIMIT)))):
            col = Column("f", v)
        else:
            col = pc.cast(pa.array(v), pa.large_string())
    # −0.0 == 0.0, so equal floats must also agree in sign to share one string
    if (len(values) > 1 and values[0] == values[0] and bool(np.all(values == values[0]))
            and bool(np.all(np.signbit(values) == np.signbit(values[0])))):
        return _render_one(col)
    return col


def _render_one(col: Piece) -> str:
    if isinstance(col, Column):
        return join([Column(col.kind, col.values[:1])], 1)[0].as_py()
    return col[0].as_py()


@lru_cache(maxsize=None)
def _powers_of_ten() -> tuple[np.ndarray, np.ndarray]:
    """10ᵏ as double-double (hi + lo), k = _K_MIN … _K_MAX, from exact rationals."""
    hi = np.empty(_K_MAX - _K_MIN + 1)
    lo = np.empty_like(hi)
    for i, k in enumerate(range(_K_MIN, _K_MAX + 1)):
        exact = Fraction(10) ** k
        hi[i] = float(exact)
        lo[i] = float(exact - Fraction(hi[i]))
    return hi, lo


def join(pieces: list[Piece], n: int) -> pa.Array:
    """Render ``n`` events: concatenate, element by element, constant strings and ``n``-long
    columns. Returns a ``large_string`` column."""
    merged: list[Piece] = []
    for p in pieces:
        if isinstance(p, str) and merged and isinstance(merged[-1], str):
            merged[-1] += p
        else:
            merged.append(p)
    consts: list[bytes] = []
    floats: list[np.ndarray] = []
    ints: list[np.ndarray] = []
    strs: list[pa.Array] = []
    kind = np.empty(len(merged), dtype=np.int64)
    index = np.empty(len(merged), dtype=np.int64)
    for i, p in enumerate(merged):
        if isinstance(p, str):
            kind[i], index[i] = 0, len(consts)
            consts.append(p.encode())
        elif isinstance(p, Column) and p.kind == "f":
            kind[i], index[i] = 1, len(floats)
            floats.append(p.values)
        elif isinstance(p, Column):
            kind[i], index[i] = 2, len(ints)
            ints.append(p.values)
        else:
            kind[i], index[i] = 3, len(strs)
            strs.append(p.cast(pa.large_string()) if p.type != pa.large_string() else p)
    cdata = np.frombuffer(b"".join(consts), dtype=np.uint8) if consts else np.zeros(0, np.uint8)
    coff = np.zeros(len(consts) + 1, dtype=np.int64)
    np.cumsum([len(c) for c in consts], out=coff[1:])
    F = np.stack(floats) if floats else np.zeros((0, n))
    I = np.stack(ints) if ints else np.zeros((0, n), dtype=np.int64)
    sdata_parts, soff, base = [], np.zeros((len(strs), n + 1), dtype=np.int64), 0
    for i, s in enumerate(strs):
        _, o, d = s.buffers()
        o = np.frombuffer(o, dtype=np.int64)[s.offset: s.offset + n + 1]
        data = np.frombuffer(d, dtype=np.uint8)[o[0]: o[-1]] if d is not None else np.zeros(0, np.uint8)
        soff[i] = o - o[0] + base
        base += len(data)
        sdata_parts.append(data)
    sdata = np.concatenate(sdata_parts) if sdata_parts else np.zeros(0, np.uint8)
    bound = n * (int(coff[-1]) + 26 * len(floats) + 21 * len(ints)) + len(sdata)
    hi, lo = _powers_of_ten()
    out_off, out = _render(n, kind, index, cdata, coff, F, I, sdata, soff, hi, lo, bound)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(out_off), pa.py_buffer(out[: out_off[n]]))


@numba.njit(cache=True, inline="always")
def _two_prod(a, b):  # pragma: no cover - compiled
    """Dekker's mul12: a·b = p + e exactly (split into 26-bit halves)."""
    p = a * b
    c = 134217729.0 * a
    ah = c - (c - a)
    al = a - ah
    c = 134217729.0 * b
    bh = c - (c - b)
    bl = b - bh
    e = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    return p, e

@numba.njit(cache=True, inline="always")
def _write_digits(v, nd, out, pos):  # pragma: no cover - compiled
    """The ``nd`` lowest decimal digits of ``v`` ≥ 0 at out[pos:pos+nd], two at a time."""
    j = pos + nd
    while j - pos >= 2:
        r = v % 100
        v //= 100
        out[j - 1] = np.uint8(48 + r % 10)
        out[j - 2] = np.uint8(48 + r // 10)
        j -= 2
    if j > pos:
        out[pos] = np.uint8(48 + v % 10)

@numba.njit(cache=True, inline="always")
def _write_int(v, out, pos):  # pragma: no cover - compiled
    if v < 0:
        out[pos] = np.uint8(45)
        pos += 1
        v = -v
    nd = 1
    t = v
    while t >= 10:
        t //= 10
        nd += 1
    _write_digits(v, nd, out, pos)
    return pos + nd

@numba.njit(cache=True, inline="always")
def _write_float(x, out, pos, hi, lo):  # pragma: no cover - compiled
    """17 significant digits of x, correctly rounded (see the module docstring)."""
    if x == 0.0:
        if np.signbit(x):
            out[pos] = np.uint8(45)
            pos += 1
        out[pos] = np.uint8(48)
        return pos + 1
    if x < 0:
        out[pos] = np.uint8(45)
        pos += 1
        x = -x
    e10 = np.int64(np.floor(np.log10(x)))
    D = np.int64(0)
    for _ in range(4):
        i = 16 - e10 - _K_MIN
        p, e = _two_prod(hi[i], x)
        e += lo[i] * x
        ip = np.floor(p)
        D = np.int64(ip) + np.int64(np.floor((p - ip) + e + 0.5))
        if D >= 100000000000000000:
            e10 += 1
        elif D < 10000000000000000:
            e10 -= 1
        else:
            break
    nd = 17
    while nd > 1 and D % 10 == 0:
        D //= 10
        nd -= 1
    if nd > 1:   # d.ddd…: write all digits one place right, then move the first and put the point
        _write_digits(D, nd, out, pos + 1)
        out[pos] = out[pos + 1]
        out[pos + 1] = np.uint8(46)
        pos += nd + 1
    else:
        out[pos] = np.uint8(48 + D)
        pos += 1
    if e10 != 0:
        out[pos] = np.uint8(101)
        pos = _write_int(e10, out, pos + 1)
    return pos


@numba.njit(cache=True)
def _render(n, kind, index, cdata, coff, F, I, sdata, soff, hi, lo, bound):  # pragma: no cover
    out = np.empty(bound, dtype=np.uint8)
    out_off = np.zeros(n + 1, dtype=np.int64)
    pos = 0
    for ev in range(n):
        for q in range(len(kind)):
            k, j = kind[q], index[q]
            if k == 0:
                for b in range(coff[j], coff[j + 1]):
                    out[pos] = cdata[b]
                    pos += 1
            elif k == 1:
                pos = _write_float(F[j, ev], out, pos, hi, lo)
            elif k == 2:
                pos = _write_int(I[j, ev], out, pos)
            else:
                for b in range(soff[j, ev], soff[j, ev + 1]):
                    out[pos] = sdata[b]
                    pos += 1
        out_off[ev + 1] = pos
    return out_off, out


def in_order(parts: list[tuple[np.ndarray, pa.Array]], n: int) -> pa.Array:
    """Put per-group string columns back into event order: ``parts`` holds (event indices, strings)."""
    if not parts:
        return pa.array([], pa.large_string())
    if len(parts) == 1:
        return parts[0][1]
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
