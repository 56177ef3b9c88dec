"""Column-wise text formatting for the text formats (HepMC3 ASCII, LHE, HEPEVT).

A writer describes the text of the events of one topology as a *program*: a list of pieces,
constant strings and numeric columns (:func:`num`). :func:`render` writes a block of events, each
by the program of its topology and in event order, with a numba kernel into one reused byte buffer
that goes straight to the file: no Python loop over events or particles. :func:`join` renders one
program into an Arrow ``large_string`` column (one string per event), for tests and constants.

Floats are written with 17 significant digits, correctly rounded (exact ties to even, as C's
printf), which reads back to the same float64 (IEEE 754-2019 §5.12.2: 17 significant decimal
digits suffice for binary64 round trips). The scaling x·10ᵏ is done in double-double arithmetic
(T. J. Dekker, "A floating-point technique for extending the available precision", Numer. Math.
18 (1971) 224, algorithms mul12/split; powers of ten tabulated exactly from Python integers),
accurate to ~2⁻¹⁰⁴; the tests compare the digits with CPython's ``%.16e`` at every power of ten and
of two and their neighbours. Columns with values outside [1e-280, 1e280], NaN or ±inf are
formatted by Arrow's C++ cast (shortest round-trip) instead.

Speed (benchmarks/bench_io.py): the digits of all numbers of a slice are computed first, in a pass
with no dependence on where the text goes, then written at fixed places two digits per table
look-up; events × columns are laid out event-major so that memory is read in order. The kernels
release the GIL. Integers are written in decimal.
"""

from __future__ import annotations

from fractions import Fraction
from functools import lru_cache
from typing import BinaryIO, Union

import numba
import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

#: events rendered per kernel call: bounds the reused text buffer (~5 MB for HepMC3); the digits
#: of the whole block are computed at once. HepMC3 here: 1.3–1.5e5 events/s at 5 000, 1.1e5 at
#: 10 000 (a smaller buffer stays in cache)
SLICE_EVENTS = 5_000
_K_MIN, _K_MAX = -270, 300          # decimal scalings tabulated (|x| in [1e-280, 1e280] needs −264…296)
_LIMIT = 1e280


class Column:
    """A numeric column to render: ``kind`` "f" (float64, numba) or "i" (int64)."""

    __slots__ = ("kind", "values")

    def __init__(self, kind: str, values: np.ndarray):
        self.kind, self.values = kind, values


Piece = Union[str, Column, pa.Array]


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


Program = tuple[np.ndarray, list[Piece]]   #: (rows of the block it renders, its pieces)


class _Compiled:
    """The programs of a block as flat arrays for the kernel: per program its pieces (``kind`` 0
    constant, 1 float, 2 integer, 3 string; ``index`` into the constants, the program's float or
    integer columns, or the string columns), its float and integer columns event-major, and per
    event of the block its program, its row in the program and a bound on its text length."""

    def __init__(self, programs: list[Program], n: int):
        kinds: list[int] = []
        indexes: list[int] = []
        pstart = [0]
        consts: list[bytes] = []
        fparts, iparts, sdata, soff = [], [], [], []
        fbase, fm, ibase, im, sbase = [], [], [], [], []
        fpos = ipos = spos = dpos = 0
        self.topo = np.zeros(n, dtype=np.int64)
        self.row = np.zeros(n, dtype=np.int64)
        self.bound = np.zeros(n, dtype=np.int64)
        for t, (rows, pieces) in enumerate(programs):
            nt = len(rows)
            self.topo[rows] = t
            self.row[rows] = np.arange(nt)
            floats: list[np.ndarray] = []
            ints: list[np.ndarray] = []
            text = np.zeros(nt, dtype=np.int64)
            const = None
            for p in pieces + [None]:                 # consecutive constants merged
                if isinstance(p, str):
                    const = p if const is None else const + p
                    continue
                if const is not None:
                    kinds.append(0)
                    indexes.append(len(consts))
                    consts.append(const.encode())
                    text += len(consts[-1])
                    const = None
                if p is None:
                    break
                if isinstance(p, Column) and p.kind == "f":
                    kinds.append(1)
                    indexes.append(len(floats))
                    floats.append(p.values)
                    text += 26          # "-d.ddddddddddddddddde-281" and the fixed-width writes
                elif isinstance(p, Column):
                    kinds.append(2)
                    indexes.append(len(ints))
                    ints.append(p.values)
                    text += 21
                else:
                    p = p.cast(pa.large_string()) if p.type != pa.large_string() else p
                    _, o, d = p.buffers()
                    o = np.frombuffer(o, dtype=np.int64)[p.offset: p.offset + nt + 1]
                    kinds.append(3)
                    indexes.append(len(sbase))
                    sbase.append(spos)
                    soff.append(o - o[0] + dpos)
                    sdata.append(np.frombuffer(d, dtype=np.uint8)[o[0]: o[-1]] if d is not None
                                 else np.zeros(0, np.uint8))
                    text += np.diff(o)
                    spos += nt + 1
                    dpos += int(o[-1] - o[0])
            pstart.append(len(kinds))
            F = np.stack(floats, axis=1) if floats else np.zeros((nt, 0))
            I = np.stack(ints, axis=1) if ints else np.zeros((nt, 0), dtype=np.int64)
            fparts.append(F.ravel())
            iparts.append(I.ravel())
            fbase.append(fpos)
            fm.append(F.shape[1])
            ibase.append(ipos)
            im.append(I.shape[1])
            fpos += F.size
            ipos += I.size
            self.bound[rows] = text
        self.kind = np.array(kinds, dtype=np.int64)
        self.index = np.array(indexes, dtype=np.int64)
        self.pstart = np.array(pstart, dtype=np.int64)
        self.cdata = np.frombuffer(b"".join(consts), dtype=np.uint8) if consts else np.zeros(0, np.uint8)
        self.coff = np.zeros(len(consts) + 1, dtype=np.int64)
        np.cumsum([len(c) for c in consts], out=self.coff[1:])
        F = np.concatenate(fparts) if len(fparts) > 1 else (fparts[0] if fparts else np.zeros(0))
        self.I = np.concatenate(iparts) if len(iparts) > 1 else (iparts[0] if iparts else np.zeros(0, np.int64))
        F = np.ascontiguousarray(F, dtype=np.float64)
        self.I = np.ascontiguousarray(self.I, dtype=np.int64)
        hi, lo = _powers_of_ten()
        self.D, self.K, self.L = _decimals(F, F.view(np.uint64), hi, lo)
        self.fbase, self.fm = np.array(fbase, dtype=np.int64), np.array(fm, dtype=np.int64)
        self.ibase, self.im = np.array(ibase, dtype=np.int64), np.array(im, dtype=np.int64)
        self.sbase = np.array(sbase, dtype=np.int64)
        self.soff = np.concatenate(soff) if soff else np.zeros(0, np.int64)
        self.sdata = np.concatenate(sdata) if sdata else np.zeros(0, np.uint8)

    def render(self, a: int, b: int, out: np.ndarray, out_off: np.ndarray) -> int:
        """Text of events a…b−1 into ``out`` (offsets of each event's end in ``out_off[1:]``);
        returns its length."""
        etext, elen = _exponents()
        return _render(a, b, self.topo, self.row, self.kind, self.index, self.pstart, self.cdata,
                       self.coff, self.D, self.K, self.L, self.fbase, self.fm, self.I, self.ibase,
                       self.im, self.sdata, self.soff, self.sbase, _PAIRS, etext, elen, out, out_off)


def render(programs: list[Program], n: int, fh: BinaryIO) -> None:
    """Write the text of the ``n`` events of a block to ``fh``, in event order, each event by the
    program that covers it; :data:`SLICE_EVENTS` events per kernel call into one reused buffer."""
    if n == 0:
        return
    code = _Compiled(programs, n)
    edges = np.arange(0, n + SLICE_EVENTS, SLICE_EVENTS).clip(max=n)
    cum = np.concatenate([[0], np.cumsum(code.bound)])
    out = np.empty(int(np.diff(cum[edges]).max()) + 32, dtype=np.uint8)
    out_off = np.zeros(SLICE_EVENTS + 1, dtype=np.int64)
    for a, b in zip(edges[:-1].tolist(), edges[1:].tolist()):
        end = code.render(a, b, out, out_off)
        fh.write(memoryview(out)[:end])


def join(pieces: list[Piece], n: int) -> pa.Array:
    """Render ``n`` events of one program: the elements of the columns joined with the constant
    strings. Returns a ``large_string`` column (one string per event)."""
    code = _Compiled([(np.arange(n), pieces)], n)
    out = np.empty(int(code.bound.sum()) + 32, dtype=np.uint8)
    out_off = np.zeros(n + 1, dtype=np.int64)
    end = code.render(0, n, out, out_off)
    return pa.LargeStringArray.from_buffers(n, pa.py_buffer(out_off), pa.py_buffer(out[:end]))


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

#: the two ASCII digits of 0…99, for writing two digits per division
_PAIRS = np.frombuffer("".join(f"{i:02d}" for i in range(100)).encode(), dtype=np.uint8).copy()
_E17 = 10 ** 17   # D, the 17 significant digits as an integer, lies in [10¹⁶, 10¹⁷)
_E16 = 10 ** 16
_E_MIN = -400     # exponent table −400 … 400 (|x| in [1e-280, 1e280] needs −281 … 281)


@numba.njit(cache=True, inline="always")
def _put8(v, out, pos, pairs):  # pragma: no cover - compiled
    """Exactly 8 decimal digits of 0 ≤ v < 10⁸ at out[pos:pos+8] (four pair look-ups)."""
    a = v // 10000
    b = v - a * 10000
    a1 = a // 100
    b1 = b // 100
    a2 = a - a1 * 100
    b2 = b - b1 * 100
    out[pos] = pairs[2 * a1]
    out[pos + 1] = pairs[2 * a1 + 1]
    out[pos + 2] = pairs[2 * a2]
    out[pos + 3] = pairs[2 * a2 + 1]
    out[pos + 4] = pairs[2 * b1]
    out[pos + 5] = pairs[2 * b1 + 1]
    out[pos + 6] = pairs[2 * b2]
    out[pos + 7] = pairs[2 * b2 + 1]


@numba.njit(cache=True, inline="always")
def _write_int(v, out, pos, pairs):  # pragma: no cover - compiled
    """v in decimal (|v| < 2⁶³), two digits per table look-up."""
    if v < 0:
        out[pos] = np.uint8(45)
        pos += 1
        v = -v
    nd = 1
    t = v
    while t >= 10:
        t //= 10
        nd += 1
    j = pos + nd
    while v >= 100:
        r = v % 100
        v //= 100
        out[j - 1] = pairs[2 * r + 1]
        out[j - 2] = pairs[2 * r]
        j -= 2
    if v >= 10:
        out[j - 1] = pairs[2 * v + 1]
        out[j - 2] = pairs[2 * v]
    else:
        out[j - 1] = np.uint8(48 + v)
    return pos + nd


@lru_cache(maxsize=None)
def _exponents() -> tuple[np.ndarray, np.ndarray]:
    """The exponent suffix of every decimal exponent k = _E_MIN … −_E_MIN: ``e<k>``, empty for
    k = 0, as a (k, 6) byte table and the lengths."""
    text = np.zeros((1 - 2 * _E_MIN, 6), dtype=np.uint8)
    length = np.zeros(1 - 2 * _E_MIN, dtype=np.int64)
    for i, k in enumerate(range(_E_MIN, 1 - _E_MIN)):
        b = f"e{k}".encode() if k else b""
        text[i, :len(b)] = np.frombuffer(b, dtype=np.uint8)
        length[i] = len(b)
    return text, length


@numba.njit(cache=True, nogil=True)
def _decimals(F, Fbits, hi, lo):  # pragma: no cover - compiled
    """Decimal form of every x of ``F`` (``Fbits``: the IEEE 754 bit patterns): |x| =
    D·10^(K−16) with the 17 significant digits D ∈ [10¹⁶, 10¹⁷) correctly rounded (see the module
    docstring), and L = (number of digits left once trailing zeros are dropped) + 128 if x < 0;
    D = 0, L = 1 (+128) for x = ±0.

    The exponent is first estimated from the binary one, ⌊e₂·log₁₀2⌋ with log₁₀2 ≈ 78913/2¹⁸
    (Ulf Adams, "Ryū: fast float-to-string conversion", PLDI 2018, §3), which is ⌊log₁₀|x|⌋ or one
    below it; the scaling loop corrects it. A pass of its own, with no dependence on where the text
    goes, so that the processor overlaps consecutive values."""
    D = np.zeros(F.shape, dtype=np.int64)
    K = np.zeros(F.shape, dtype=np.int16)
    L = np.ones(F.shape, dtype=np.uint8)
    for m in range(F.shape[0]):
        bits = Fbits[m]
        sign = np.uint8((bits >> np.uint64(63)) << np.uint64(7))
        x = abs(F[m])
        if x == 0.0:
            L[m] = 1 + sign
            continue
        e2 = np.int64((bits >> np.uint64(52)) & np.uint64(0x7FF)) - 1023
        e10 = (e2 * 78913) >> 18
        d = np.int64(0)
        for _ in range(4):
            i = 16 - e10 - _K_MIN
            p, e = _two_prod(hi[i], x)
            e += lo[i] * x
            ip = np.floor(p)
            f = (p - ip) + e          # |x|·10^(16−e10) = ip + f (f may exceed 1 once p ≥ 2⁵³)
            fl = np.floor(f)
            t = f - fl
            d = np.int64(ip) + np.int64(fl)
            # round: up above one half, exact ties to even (as printf); without a branch, which
            # would be mispredicted half the time
            d += np.int64(t > 0.5) | (np.int64(t == 0.5) & (d & 1))
            if d >= _E17:
                e10 += 1
            elif d < _E16:
                e10 -= 1
            else:
                break
        D[m] = d
        K[m] = e10
        nd = 17
        while d % 10 == 0:
            d //= 10
            nd -= 1
        L[m] = nd + sign
    return D, K, L


@numba.njit(cache=True, inline="always")
def _write_float(d, e10, ln, out, pos, pairs, etext, elen):  # pragma: no cover - compiled
    """±d·10^(e10−16) (from :func:`_decimals`) as d.ddd…e<k>: all 17 digits are written at fixed
    places, two per table look-up, and the position then moves past the ones kept; the exponent
    comes from a table (nothing for k = 0). Few branches: the text of consecutive numbers is
    written back to back without waiting for the previous one's length."""
    out[pos] = np.uint8(45)
    if ln >= 128:
        pos += 1
        ln -= 128
    first = d // _E16                      # d . ddddddddddddddd (1 + 16 digits)
    rest = d - first * _E16
    r1 = rest // 100000000
    out[pos] = np.uint8(48 + first)
    out[pos + 1] = np.uint8(46)
    _put8(r1, out, pos + 2, pairs)
    _put8(rest - r1 * 100000000, out, pos + 10, pairs)
    pos += np.int64(ln) + 1 if ln > 1 else 1
    i = e10 - _E_MIN
    for b in range(6):
        out[pos + b] = etext[i, b]
    return pos + elen[i]


@numba.njit(cache=True, nogil=True)
def _render(a, b, topo, row, kind, index, pstart, cdata, coff, D, K, L, fbase, fm, I, ibase, im,
            sdata, soff, sbase, pairs, etext, elen, out, out_off):  # pragma: no cover - compiled
    """The text of events a…b−1 of a block (see :class:`_Compiled`) into ``out``; the end of
    event a+i at out_off[i+1]. Returns the length written."""
    pos = 0
    for ev in range(a, b):
        t = topo[ev]
        r = row[ev]
        for q in range(pstart[t], pstart[t + 1]):
            k = kind[q]
            j = index[q]
            if k == 0:
                c0, c1 = coff[j], coff[j + 1]
                if c1 - c0 > 24:              # long: a block copy; short: byte by byte (no set-up)
                    out[pos:pos + c1 - c0] = cdata[c0:c1]
                    pos += c1 - c0
                else:
                    for c in range(c0, c1):
                        out[pos] = cdata[c]
                        pos += 1
            elif k == 1:
                i = fbase[t] + r * fm[t] + j
                pos = _write_float(D[i], K[i], L[i], out, pos, pairs, etext, elen)
            elif k == 2:
                pos = _write_int(I[ibase[t] + r * im[t] + j], out, pos, pairs)
            else:
                for c in range(soff[sbase[j] + r], soff[sbase[j] + r + 1]):
                    out[pos] = sdata[c]
                    pos += 1
        out_off[ev - a + 1] = pos
    return pos
