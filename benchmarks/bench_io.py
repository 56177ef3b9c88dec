"""Writer throughput and memory per format, from 10⁴ to 10⁶ events, and what bounds it.

    python benchmarks/bench_io.py [N ...]          (default: 10000 100000 1000000)
    BENCH_FORMATS=".parquet .root" BENCH_COMPRESSIONS="zstd lz4 none" python benchmarks/bench_io.py

For every format (Parquet and ROOT with each compression) and N, a fresh subprocess builds one
50 000-event block of π⁰ → γA′ → γe⁻e⁺ events (5 particles each, like the SBND dark-photon card)
and streams it N/50 000 times through ``darkbeam.io.open_writer`` (temporary name, writing thread,
rename at close). It prints the wall-clock throughput of the writing alone (events/s) and the
growth of the peak resident memory (RSS high-water mark, ``getrusage``) during the write, above the
memory held before writing. A flat memory column from 10⁴ to 10⁶ shows that the writers stream.

Then the floor under Parquet and ROOT on this machine, for the same 50 000 events, without
darkbeam: the libraries alone (``pyarrow.parquet.ParquetWriter.write_table`` of the Arrow table;
``uproot`` ``TTree.extend`` of the arrays), the same for the particles stored flat instead of
jagged (Parquet), and ``file.write`` of the raw bytes (78 numbers per event). Not a test: the
numbers depend on the machine.
"""

from __future__ import annotations

import json
import os
import platform
import subprocess
import sys
import tempfile

FORMATS = os.environ.get("BENCH_FORMATS", ".parquet .root .hepmc .lhe .hepevt").split()
COMPRESSIONS = os.environ.get("BENCH_COMPRESSIONS", "zstd lz4 none").split()
HERE = os.path.dirname(os.path.abspath(__file__))
TESTS = os.path.join(os.path.dirname(HERE), "tests", "unit", "io")

CHILD = r"""
import json, os, resource, sys, time
sys.path.insert(0, {tests!r})
from conftest import META, synthetic
from darkbeam import io
ext, n, out, compression = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
meta = {{**META, "compression": compression}}
block = synthetic(min(n, 50_000))
with io.open_writer(out + "/warm" + ext, meta) as w:      # imports, JIT, first-call costs
    w.write(block[:1000])
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
t0 = time.perf_counter()
with io.open_writer(out + "/bench" + ext, meta) as w:
    done = 0
    while done < n:
        k = min(len(block), n - done)
        w.write(block[:k])
        done += k
dt = time.perf_counter() - t0
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
size = sum(os.path.getsize(os.path.join(out, f)) for f in os.listdir(out) if f.startswith("bench"))
print(json.dumps({{"rate": n / dt, "seconds": dt, "rss_base_mb": base / 1024,
                   "rss_growth_mb": (peak - base) / 1024, "bytes_per_event": size / n}}))
"""

FLOOR = r"""
import os, sys, time
import awkward as ak, numpy as np, pyarrow.parquet as pq, uproot
sys.path.insert(0, {tests!r})
from conftest import synthetic
out = sys.argv[1]
ev = ak.to_packed(synthetic(50_000))
reps = 10

def best(f):
    f()
    times = []
    for _ in range(reps):
        t = time.perf_counter(); f(); times.append(time.perf_counter() - t)
    return len(ev) / min(times)

table = ak.to_arrow_table(ev, list_to32=True)
flat = ak.to_arrow_table(ak.flatten(ev.particles), list_to32=True)
scal = table.drop(["particles"])
for codec, level in (("zstd", 1), ("lz4", None), ("none", None)):
    for label, t in (("jagged", table), ("flat", [scal, flat])):
        tabs = t if isinstance(t, list) else [t]
        writers = [pq.ParquetWriter(f"{{out}}/f{{i}}.parquet", x.schema, compression=codec,
                                    compression_level=level, use_dictionary=False,
                                    write_statistics=False) for i, x in enumerate(tabs)]
        rate = best(lambda: [w.write_table(x) for w, x in zip(writers, tabs)])
        [w.close() for w in writers]
        print(f"pyarrow write_table, particles {{label:6s}} {{codec:5s}} {{rate:11.3g}} events/s")
data = {{k: (ev[k] if k == "particles" else ak.to_numpy(ev[k])) for k in ev.fields}}
types = {{k: (v.dtype if isinstance(v, np.ndarray) else v.type.content) for k, v in data.items()}}
for name, comp in (("zstd", uproot.ZSTD(1)), ("lz4", uproot.LZ4(1)), ("none", None)):
    f = uproot.recreate(f"{{out}}/f.root", compression=comp)
    tree = f.mktree("events", types)
    rate = best(lambda: tree.extend(data))
    f.close()
    print(f"uproot TTree.extend                {{name:5s}} {{rate:11.3g}} events/s")
raw = np.random.default_rng(1).normal(size=len(ev) * 78).tobytes()
with open(f"{{out}}/raw.bin", "wb") as fh:
    rate = best(lambda: fh.write(raw))
print(f"file.write of 78 float64 per event       {{rate:11.3g}} events/s ({{len(raw) / len(ev):.0f}} B/event)")
"""


def main(sizes: list[int]) -> None:
    code = CHILD.format(tests=TESTS)
    print(f"machine: {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}")
    print(f"{'format':9s} {'codec':5s} {'events':>9s} {'events/s':>11s} {'s':>7s} {'RSS base MB':>12s} "
          f"{'peak growth MB':>15s} {'bytes/event':>12s}")
    for ext in FORMATS:
        for compression in (COMPRESSIONS if ext in (".parquet", ".root") else ["-"]):
            for n in sizes:
                with tempfile.TemporaryDirectory() as out:
                    res = subprocess.run([sys.executable, "-c", code, ext, str(n), out,
                                          compression if compression != "-" else "zstd"],
                                         capture_output=True, text=True, check=True)
                r = json.loads(res.stdout.strip().splitlines()[-1])
                print(f"{ext:9s} {compression:5s} {n:9d} {r['rate']:11.3g} {r['seconds']:7.2f} "
                      f"{r['rss_base_mb']:12.0f} {r['rss_growth_mb']:15.1f} {r['bytes_per_event']:12.0f}",
                      flush=True)
    print("\nfloor on this machine (libraries alone, best of 10 blocks of 50 000 events):")
    with tempfile.TemporaryDirectory() as out:
        res = subprocess.run([sys.executable, "-c", FLOOR.format(tests=TESTS), out],
                             capture_output=True, text=True, check=True)
    print(res.stdout, end="")


if __name__ == "__main__":
    main([int(a) for a in sys.argv[1:]] or [10_000, 100_000, 1_000_000])
