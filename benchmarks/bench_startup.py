"""Start-up time and memory of the ``darkbeam`` command, and the peak memory of a full run.

    python benchmarks/bench_startup.py [--repeat N] [--events N] [--card CARD] [--workers 1 2]

Each row is a fresh subprocess (the numba cache warm, as after the first run on a machine):

* ``import darkbeam``, ``darkbeam --help``, ``darkbeam check CARD``: wall time (best of N runs,
  the machine may be shared), the CPU time (user + system) of that run, and the peak resident
  memory of the process (``getrusage`` of the child, ``ru_maxrss``);
* ``darkbeam run CARD -o x.parquet --summary s.json --workers W`` for each W: wall time and the
  memory of the whole process tree (parent + workers), sampled every 20 ms from ``/proc``: the peak
  of Σ RSS over the processes (counts the shared library pages and the pages a forked worker shares
  copy-on-write with its parent once per process) and the peak of Σ PSS (proportional set size:
  every shared page divided among the processes that map it, so the sum is the memory the run
  really occupies), with the parent's own peak RSS (``getrusage``: exact, the figure
  ``/usr/bin/time -v`` prints; the sampled sums can miss a peak shorter than 20 ms).

Then the floor under a run on this machine: the peak RSS of a process that only imports the
libraries a run needs (numpy; numba with one cached kernel called, which starts LLVM; awkward;
pyarrow.parquet; pydantic; particle), cumulative, in the order given. Not a test: the numbers
depend on the machine (and on its kernel: libllvmlite.so alone maps ~100 MB of file pages).
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_CARD = ROOT / "cards" / "sbnd_dark_photon.toml"

#: the libraries under a run, imported cumulatively (the floor); "numba kernel" calls one cached
#: njit function, which initialises numba's CPU target (LLVM)
FLOOR = r"""
import json, os, resource, sys
sys.path.insert(0, sys.argv[1])
steps = []
def mark(name):
    steps.append((name, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024))
mark("python")
import numpy as np; mark("numpy")
import numba; mark("numba (import)")
from numba.core import entrypoints; entrypoints._already_initialized = True   # as the CLI
import _floor_kernel; _floor_kernel.total(np.ones(3)); mark("numba (one cached kernel)")
import awkward; mark("awkward")
import pyarrow.parquet; mark("pyarrow.parquet")
import pydantic, particle; particle.Particle.from_pdgid(111); mark("pydantic + particle")
print(json.dumps(steps))
"""

KERNEL = """import numba\n\n\n@numba.njit(cache=True)\ndef total(x):\n    return x.sum()\n"""


def _children(pid: int) -> list[int]:
    out = []
    try:
        for tid in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{tid}/children") as f:
                out += [int(x) for x in f.read().split()]
    except OSError:
        pass
    return out


def _tree(pid: int) -> list[int]:
    todo, seen = [pid], []
    while todo:
        p = todo.pop()
        seen.append(p)
        todo += _children(p)
    return seen


def _rollup(pid: int) -> dict[str, int] | None:
    """Rss and Pss of a process in kB (/proc/PID/smaps_rollup), None once it has exited."""
    out = {}
    try:
        with open(f"/proc/{pid}/smaps_rollup") as f:
            for line in f:
                key = line.split(":")[0]
                if key in ("Rss", "Pss"):
                    out[key] = int(line.split()[1])
    except OSError:
        return None
    return out


def _start(cmd: list[str], cwd: Path) -> subprocess.Popen:
    """The command with its stderr in a temporary file (read by :func:`_check` if it fails)."""
    err = tempfile.TemporaryFile()
    proc = subprocess.Popen(cmd, cwd=cwd, stdout=subprocess.DEVNULL, stderr=err)
    proc.err_file = err
    return proc


def _check(proc: subprocess.Popen, cmd: list[str], status: int) -> None:
    proc.returncode = os.waitstatus_to_exitcode(status)
    proc.err_file.seek(0)
    err = proc.err_file.read().decode(errors="replace")
    proc.err_file.close()
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed ({proc.returncode}):\n{err}")


def timed(cmd: list[str], cwd: Path) -> tuple[float, float, float]:
    """(wall s, CPU s = user + system, peak RSS MB) of one subprocess."""
    t0 = time.perf_counter()
    proc = _start(cmd, cwd)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.perf_counter() - t0
    _check(proc, cmd, status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024


def tree_memory(cmd: list[str], cwd: Path) -> dict[str, float]:
    """Wall time, the peak Σ RSS and Σ PSS (MB, sampled) of a process tree and the parent's own
    peak RSS (``getrusage``, exact)."""
    t0 = time.perf_counter()
    proc = _start(cmd, cwd)
    peak_rss = peak_pss = 0
    n_proc = 0
    while True:
        tot_rss = tot_pss = n = 0
        for pid in _tree(proc.pid):
            m = _rollup(pid)
            if not m:
                continue
            n += 1
            tot_rss += m.get("Rss", 0)
            tot_pss += m.get("Pss", 0)
        peak_rss, peak_pss, n_proc = max(peak_rss, tot_rss), max(peak_pss, tot_pss), max(n_proc, n)
        pid, status, usage = os.wait4(proc.pid, os.WNOHANG)
        if pid:
            break
        time.sleep(0.02)
    wall = time.perf_counter() - t0
    _check(proc, cmd, status)
    return {"wall": wall, "rss": peak_rss / 1024, "pss": peak_pss / 1024,
            "parent": usage.ru_maxrss / 1024,
            "processes": n_proc}


def floor(tmp: Path) -> list[tuple[str, float]]:
    import json
    (tmp / "_floor_kernel.py").write_text(KERNEL)
    subprocess.run([sys.executable, "-c", FLOOR, str(tmp)], check=True, capture_output=True)  # fills the cache
    out = subprocess.run([sys.executable, "-c", FLOOR, str(tmp)], check=True, capture_output=True, text=True)
    return json.loads(out.stdout)


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repeat", type=int, default=5, help="runs of each start-up command (best kept)")
    ap.add_argument("--runs", type=int, default=2, help="runs of each full run (smallest peak kept)")
    ap.add_argument("--card", default=str(DEFAULT_CARD))
    ap.add_argument("--events", type=int, default=None, help="override [run] events (default: the card's)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    args = ap.parse_args()

    exe = shutil.which("darkbeam") or "darkbeam"
    card = str(Path(args.card).resolve())
    tmp = Path(tempfile.mkdtemp(prefix="darkbeam-startup-"))
    try:
        # warm the numba cache and the OS file cache once (not measured)
        subprocess.run([exe, "run", card, "-n", "20000", "-o", str(tmp / "w.parquet"), "--no-progress"],
                       cwd=tmp, check=True, capture_output=True)
        rows = []
        for label, cmd in [("import darkbeam", [sys.executable, "-c", "import darkbeam"]),
                           ("darkbeam --help", [exe, "--help"]),
                           (f"darkbeam check {Path(card).name}", [exe, "check", card])]:
            best = min((timed(cmd, tmp) for _ in range(args.repeat)), key=lambda r: r[0])
            rows.append((label, *best))
        print(f"python {platform.python_version()}, {platform.machine()}, {os.cpu_count()} cores; "
              f"best of {args.repeat}\n")
        print("| command | wall (s) | CPU (s) | peak RSS (MB) |\n|---|---:|---:|---:|")
        for label, wall, cpu, rss in rows:
            print(f"| `{label}` | {wall:.2f} | {cpu:.2f} | {rss:.0f} |")

        print(f"\nfull run of {Path(card).name}"
              + (f" with {args.events} events" if args.events else "") + " (Parquet + summary; "
              f"smallest of {args.runs} runs):\n")
        print("| workers | wall (s) | parent peak RSS (MB) | peak Σ RSS (MB) | peak Σ PSS (MB) | processes |")
        print("|---:|---:|---:|---:|---:|---:|")
        for w in args.workers:
            cmd = [exe, "run", card, "-o", str(tmp / "x.parquet"), "--summary", str(tmp / "s.json"),
                   "--workers", str(w), "--no-progress"] + (["-n", str(args.events)] if args.events else [])
            r = min((tree_memory(cmd, tmp) for _ in range(args.runs)), key=lambda r: r["pss"])
            print(f"| {w} | {r['wall']:.1f} | {r['parent']:.0f} | {r['rss']:.0f} | {r['pss']:.0f} | "
                  f"{r['processes']} |")

        print("\nfloor: peak RSS of a process importing only the run's libraries (cumulative):\n")
        print("| after | peak RSS (MB) |\n|---|---:|")
        for name, mb in floor(tmp):
            print(f"| {name} | {mb:.0f} |")
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    main()
