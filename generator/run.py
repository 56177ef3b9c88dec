"""The run loop: blocks with their own random streams, chunks, workers, writers, summary.

Reproducibility (DESIGN.md): the samples of each channel are cut into blocks of
:data:`BLOCK_SIZE`; block b of channel c draws from ``SeedSequence(seed, spawn_key=(c, b))``. A
chunk is a run of whole blocks and the output is written in (channel, block) order, so the events
do not depend on the chunk size or on the number of workers.
"""

from __future__ import annotations

import collections
import contextlib
import dataclasses
import itertools
import math
import multiprocessing
import os
import signal
import sys
import threading
import time
import warnings
from collections.abc import Iterable, Iterator, Sequence
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import awkward as ak
import numpy as np

from . import io
from ._version import __version__
from .card import Card, apply_overrides, card_from_dict, load_card, summary_path
from .checkpoint import Checkpoint, Interrupted
from .errors import CardError, OutputBusy, OutputError
from .io.paths import PathLocks, final_paths
from .convergence import ConvergenceWarning, Tally, summarize
from .events import make_events
from .chain import evaluate
from .tuning import apply_importance, learn_importance
from .timing import proton_times
from .pipeline import Plan, build
from .progress import bar, phase
from .result import Result

#: samples per random-number block (fixed: it defines the streams)
BLOCK_SIZE = 1 << 16


#: the most samples per channel a run may ask for: 2⁵³, the largest count that float64 holds
#: exactly (sample counts, the progress total and the n/N weight factors of :func:`_block`)
MAX_EVENTS = 1 << 53


@dataclass(frozen=True)
class Task:
    channel: int
    first_block: int
    n_blocks: int
    n_samples: int      # samples in the last block (≤ BLOCK_SIZE)


class Tasks(Sequence):
    """The chunks of a run, in output order (channel, then block), computed on demand: a run of
    10¹³ samples per channel has ~10⁸ chunks, which are never held in memory together."""

    def __init__(self, channels: list[int], events: int, chunk_size: int):
        self.channels = list(channels)
        self.events = int(events)
        self.blocks_per_chunk = max(1, math.ceil(chunk_size / BLOCK_SIZE))
        self.n_blocks = math.ceil(self.events / BLOCK_SIZE)
        self.chunks_per_channel = math.ceil(self.n_blocks / self.blocks_per_chunk)

    def __len__(self) -> int:
        return len(self.channels) * self.chunks_per_channel

    def __getitem__(self, i: int) -> Task:
        if not 0 <= i < len(self):
            raise IndexError(i)
        c, k = divmod(i, self.chunks_per_channel)
        first = k * self.blocks_per_chunk
        nb = min(self.blocks_per_chunk, self.n_blocks - first)
        last_n = self.events - (first + nb - 1) * BLOCK_SIZE
        return Task(self.channels[c], first, nb, min(BLOCK_SIZE, last_n))

    def __iter__(self) -> Iterator[Task]:
        return (self[i] for i in range(len(self)))

    @property
    def n_samples(self) -> int:
        """Samples over all chunks."""
        return len(self.channels) * self.events


def _tasks(plan: Plan) -> Tasks:
    card = plan.card.run
    return Tasks(plan.open_channels, card.events, card.chunk_size)


def check_size(card: Card) -> None:
    """Refuse a sample count above :data:`MAX_EVENTS` (before any work)."""
    if card.run.events > MAX_EVENTS:
        raise CardError(f"{card.source}: [run] events = {card.run.events:.3g} is above the limit "
                        f"{MAX_EVENTS} (2^53, the largest count darkbeam keeps exact); run several "
                        f"seeds of fewer events and add their results")


def available_cores() -> int:
    """CPU cores this process may use (its affinity mask where the system has one)."""
    try:
        return max(1, len(os.sched_getaffinity(0)))
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def capped_workers(workers: int) -> int:
    """``workers``, at most :func:`available_cores`, with a warning when capped."""
    cores = available_cores()
    if workers > cores:
        warnings.warn(f"[run] workers = {workers} is more than the {cores} CPU core(s) available; "
                      f"using {cores}", stacklevel=3)
        return cores
    return workers


def _block(plan: Plan, channel: int, block: int, n: int) -> tuple[ak.Array, Tally]:
    """Generate one block: returns the events and the block's :class:`~darkbeam.convergence.Tally`
    (Σw, Σw² over samples, the chain's counters) with w the events' weights after cuts."""
    rng = np.random.default_rng(np.random.SeedSequence(plan.card.run.seed, spawn_key=(channel, block)))
    parents = plan.sources[channel].sample(rng, n)
    # the proton's arrival time in the beam pulse, from its own stream (timing.proton_times)
    t_pulse = (proton_times(plan.pulse, plan.card.run.seed, channel, block, n)
               if plan.pulse is not None else 0.0)
    # Σ weight of this block estimates parents/POT; the channel's N samples share it: × n/N
    parents = dataclasses.replace(parents, t=parents.t + t_pulse,
                                  weight=parents.weight * (n / plan.card.run.events))
    c = evaluate(plan, channel, parents, rng)
    x, sig, weight, sel = c.sig["x"], c.sig, c.weight, c.sel
    events = _assemble(plan, channel, x, sig, weight, sel)
    entries = None if parents.index is None else parents.index[x.samples[sel]]
    tally = Tally.from_block(x.samples[sel], n, weight[sel], c.made.weight, len(x), c.p_signal,
                             sig.get("decay_length"), sig["l_in"], entries)
    return events, tally


def _assemble(plan: Plan, channel: int, x, sig: dict, weight: np.ndarray, sel: np.ndarray) -> ak.Array:
    """Event record columns (see :mod:`darkbeam.events`) for the selected X."""
    n = int(sel.sum())
    vtx = sig["vtx"][sel]
    scalars = {
        "weight": weight[sel], "w_production": x.weight[sel], "p_decay": sig["p_decay"][sel],
        "p_interact": sig["p_interact"][sel], "br": sig["br"][sel], "efficiency": sig["efficiency"][sel],
        "importance": np.ones(n) if x.importance is None else x.importance[sel],   # already in w_production
        "channel": np.full(n, channel), "parent_pdg": x.parent_pdg[sel],
        "x_pdg": x.pdgs[sel], "x_mass": np.full(n, x.mass), "x_energy": x.p4[sel, 3],
        "x_beta_gamma": sig["beta_gamma"][sel], "l_in": sig["l_in"][sel], "l_out": sig["l_out"][sel],
        "t": sig["t"][sel], "delay": sig["delay"][sel],
        "prod_x": x.vertex[sel, 0], "prod_y": x.vertex[sel, 1], "prod_z": x.vertex[sel, 2],
        "vtx_x": vtx[:, 0], "vtx_y": vtx[:, 1], "vtx_z": vtx[:, 2],
    }
    # particles: parent, siblings, X, products (HepMC status: 2 decayed, 1 final)
    rows = [(x.parent_pdg[sel], 2, -1, x.parent_p4[sel], x.parent_vertex[sel], x.t_origin[sel])]
    for pdg, p4 in x.siblings:
        rows.append((_ids(pdg, sel), 1, 0, p4[sel], x.vertex[sel], x.t[sel]))
    i_x = len(rows)
    rows.append((x.pdgs[sel], 2, 0, x.p4[sel], x.vertex[sel], x.t[sel]))
    # per-event ids where the signal gives them (a scatter on CsI recoils Cs or I)
    per_event = sig.get("product_pdg")
    for i, (pdg, p4) in enumerate(sig["products"]):
        ids = np.full(n, pdg) if per_event is None else np.asarray(per_event[i])[sel]
        rows.append((ids, 1, i_x, p4[sel], vtx, sig["t"][sel]))
    k = len(rows)

    def interleave(get):
        return np.stack([get(r) for r in rows], axis=1).reshape(n * k, *np.shape(get(rows[0]))[1:])

    particles = {
        "pdg": interleave(lambda r: r[0]),
        "status": interleave(lambda r: np.full(n, r[1])),
        "mother": interleave(lambda r: np.full(n, r[2])),
        "px": interleave(lambda r: r[3][:, 0]), "py": interleave(lambda r: r[3][:, 1]),
        "pz": interleave(lambda r: r[3][:, 2]), "E": interleave(lambda r: r[3][:, 3]),
        "x": interleave(lambda r: r[4][:, 0]), "y": interleave(lambda r: r[4][:, 1]),
        "z": interleave(lambda r: r[4][:, 2]), "t": interleave(lambda r: r[5]),
    }
    return make_events(scalars, particles, k)


def _ids(pdg, sel: np.ndarray) -> np.ndarray:
    """PDG ids of the selected rows from one id or a per-row array."""
    return np.full(int(sel.sum()), pdg) if np.ndim(pdg) == 0 else np.asarray(pdg)[sel]


def _run_task(plan: Plan, task: Task, on_block=None) -> tuple[ak.Array, Tally]:
    batches, tally = [], Tally()
    for j in range(task.n_blocks):
        n = BLOCK_SIZE if j < task.n_blocks - 1 else task.n_samples
        ev, t = _block(plan, task.channel, task.first_block + j, n)
        batches.append(ev)
        tally += t
        if on_block is not None:
            on_block(t.n_generated)
    return (ak.concatenate(batches) if len(batches) > 1 else batches[0]), tally


# worker-process state: the plan is rebuilt once per process from the (picklable) card
_WORKER_PLAN: Plan | None = None
#: the parent's tuned plan, inherited by forked workers (copy-on-write: no rebuild, shared pages)
_FORK_PLAN: Plan | None = None


def _init_worker(card: Card, learned: dict) -> None:
    global _WORKER_PLAN
    signal.signal(signal.SIGINT, signal.SIG_IGN)   # the parent decides when to stop
    if _FORK_PLAN is not None and _FORK_PLAN.card == card:
        _WORKER_PLAN = _FORK_PLAN
    else:
        _WORKER_PLAN = apply_importance(build(card), learned)


def _run_task_in_worker(task: Task):
    return _run_task(_WORKER_PLAN, task)


def metadata(plan: Plan) -> dict:
    """What every output file carries about its run."""
    extra = {}
    if plan.card.run.hepevt_frame == "detector":
        extra["detector_frame"] = io.DetectorFrame.from_placement(plan.detector.placement)
    return extra | {
        "darkbeam_version": __version__, "card": plan.card.text, "card_path": plan.card.source,
        "pot": plan.pot, "seed": plan.card.run.seed, "facility": plan.facility.name,
        "detector": plan.detector.name, "model": describe_model(plan.model),
        "channels": [c.name for c in plan.channels], "weight_names": list(io_weight_names()),
        "n_generated_per_channel": plan.card.run.events, "compression": plan.card.run.compression,
        "beam_pdg": 2212 if plan.facility.beam_particle == "proton" else 11,
        "beam_energy": math.hypot(plan.facility.beam_momentum,
                                  0.93827208816 if plan.facility.beam_particle == "proton" else 0.00051099895),
    }


def io_weight_names():
    from .events import WEIGHT_NAMES
    return WEIGHT_NAMES


def describe_model(model) -> dict:
    out = {"name": getattr(model, "name", type(model).__name__), "mass": model.mass,
           "pdg": getattr(model, "pdgid", None)}
    if hasattr(model, "epsilon"):
        out["epsilon"] = model.epsilon
    if hasattr(model, "couplings"):
        out["couplings"] = {k: float(v) for k, v in model.couplings().items()
                            if isinstance(v, (int, float)) and v != 0}
    return out


def run(card: Card | str | Path, *, set: list[str] | dict | None = None, progress: bool | None = None,
        keep_events: bool = True, write: bool = False, **overrides) -> Result:
    """Run a card and return a :class:`~darkbeam.result.Result`.

    ``card`` is a path or a :class:`Card`; keyword overrides go to ``[run]`` (``events``, ``seed``,
    ``chunk_size``, ``workers``, ``outputs``, ``summary``) or, written ``section__key``, to any
    section (``model__epsilon=1e-6``); ``set`` takes ``"section.key=value"`` strings as the CLI does.

    **Files.** From Python a run writes nothing unless asked: the card's ``[run] outputs`` and
    ``summary`` are ignored, and only the files named here are written — ``outputs=["a.parquet"]``,
    ``summary="s.json"`` (or the same through ``set``) — or, with ``write=True``, the card's own
    outputs and summary, as ``darkbeam run CARD`` writes them. The events are on the returned
    :class:`Result` either way (``res.events``, ``res.write(path)``).
    """
    if isinstance(card, (str, Path)):
        card = load_card(card)
    raw = card.model_dump(exclude={"source", "text"})
    if not write:       # the card's files only when asked (explicit overrides below still apply)
        raw.setdefault("run", {}).update(outputs=[], summary=None)
    run_keys = {"events", "seed", "chunk_size", "workers", "outputs", "summary"}
    mapped = {}
    for key, value in overrides.items():
        if key in run_keys:
            mapped[f"run.{key}"] = value
        elif "__" in key:
            mapped[key.replace("__", ".")] = value
        else:
            raise TypeError(f"unknown override {key!r}: use one of {sorted(run_keys)} or section__key")
    raw = apply_overrides(raw, mapped, card.source)
    raw = apply_overrides(raw, set, card.source)
    card = card_from_dict(raw, card.source, card.text)
    return execute(build(card), progress=progress, keep_events=keep_events)


def execute(plan: Plan, *, progress: bool | None = None, keep_events: bool = True,
            checkpoint: Checkpoint | None = None, resume: bool = False,
            handle_signals: bool = False) -> Result:
    """Generate, write and summarise a built plan.

    Before any work: the sample count is checked (:data:`MAX_EVENTS`), the outputs, side files and
    summary are checked and locked (:mod:`darkbeam.io.paths`; a clash is a
    :class:`~darkbeam.errors.CardError`, a path another process writes an
    :class:`~darkbeam.errors.OutputBusy`), and the workers are capped at the available cores.
    The files are renamed to their final names only when all of them, summary included, are
    complete; a failure to write is one :class:`~darkbeam.errors.OutputError` line.

    With a ``checkpoint``, each completed chunk is stored (runs of one chunk store none); with
    ``resume`` the stored chunks are reused. With ``handle_signals`` (the CLI), SIGINT/SIGTERM
    stop the run after the current chunk with :class:`~darkbeam.checkpoint.Interrupted`, leaving no
    file under its final name.
    """
    card = plan.card
    check_size(card)
    for path in card.run.outputs:
        io.format_of(path)  # unknown extension → error before any work
    finals = final_paths(card.run.outputs, summary_path(card), card.source)
    workers = capped_workers(card.run.workers)
    with PathLocks(finals):
        return _execute(plan, progress, keep_events, checkpoint, resume, handle_signals, workers)


def _execute(plan: Plan, progress, keep_events: bool, checkpoint: Checkpoint | None, resume: bool,
             handle_signals: bool, workers: int) -> Result:
    start = time.perf_counter()
    card = plan.card
    _build_pools(plan, progress)
    if plan.learned is None:
        with phase(progress, "warm-up: learning where to draw the parents"):
            plan = tuned(plan)
    tasks = _tasks(plan)
    if checkpoint is not None and len(tasks) <= 1:
        checkpoint = None           # nothing to resume from: no copy of the events
    tallies = [Tally() for _ in plan.channels]
    kept: list[ak.Array] = []
    meta = metadata(plan)
    writers = []
    if checkpoint is not None and not resume:
        checkpoint.clear()
    done = set(checkpoint.completed()) if (checkpoint is not None and resume) else set()
    stop = _StopFlag(handle_signals)
    results = None
    try:
        writers = [io.open_writer(path, meta) for path in card.run.outputs]
        todo = (t for i, t in enumerate(tasks) if i not in done)
        bar = _progress(progress, total=tasks.n_samples)
        n_todo = len(tasks) - len(done)
        # in this process the bar moves after every block; from workers, after every chunk
        per_block = bar is not None and (workers <= 1 or n_todo <= 1)
        results = _iterate(plan, todo, workers, n_todo, bar.update if per_block else None)
        for i, task in enumerate(tasks):
            from_disk = i in done
            stored = checkpoint.load(i) if from_disk else None
            if from_disk and stored is None:    # removed since: generated again, here
                stored = _run_task(plan, task)
            events, tally = stored if stored is not None else next(results)
            if checkpoint is not None and i not in done:
                checkpoint.save(i, events, tally)
            tallies[task.channel] += tally
            for w in writers:
                w.write(events)
            if keep_events:
                kept.append(events)
            if bar is not None and (from_disk or not per_block):
                bar.update(tally.n_generated)
            if stop.requested and i < len(tasks) - 1:
                where = f"; completed chunks are kept in {checkpoint.directory}, run again with " \
                        f"--resume to continue" if checkpoint is not None else ""
                raise Interrupted(f"interrupted by {stop.requested} after chunk {i + 1} of "
                                  f"{len(tasks)}; no output file was written{where}")
        if bar is not None:
            bar.close()
        for w in writers:
            w.finish()
        summary = _summary(plan, tallies, [w.path for w in writers], start)
        summary_file = summary_path(card)
        staged = io.stage_summary(summary, summary_file) if summary_file else None
        _commit(writers, staged, summary_file)
    except BaseException as exc:
        for w in writers:
            w.abort()
        noted = _with_checkpoint_note(exc, checkpoint)
        if noted is exc:
            raise
        raise noted from None
    finally:
        stop.restore()
        if hasattr(results, "close"):
            results.close()
    if checkpoint is not None:
        checkpoint.clear()
    for text in summary["convergence_warnings"]:
        warnings.warn(text, ConvergenceWarning, stacklevel=2)
    from .events import concatenate
    return Result(summary=summary, events=concatenate(kept) if keep_events else None, plan=plan)


def _summary(plan: Plan, tallies: list[Tally], paths: list[Path], start: float) -> dict:
    names = [c.name for c in plan.channels]
    conv = summarize(dict(zip(names, tallies)),
                     {names[i]: reason for i, reason in plan.closed_reasons.items()})
    card = plan.card
    return conv | {
        "pot": plan.pot, "n_generated": sum(t.n_generated for t in tallies),
        "n_events": sum(t.n_events for t in tallies),
        "model": describe_model(plan.model), "facility": plan.facility.name,
        "detector": plan.detector.name, "seed": card.run.seed, "darkbeam_version": __version__,
        "wall_time_s": time.perf_counter() - start, "notices": list(plan.notices),
        "outputs": [str(p) for p in paths], "card": card.source, "tuning": plan.tuning_report,
    }


def _commit(writers: list, staged: Path | None, summary_path: str | None) -> None:
    """Rename every finished file to its final name; if one rename fails, the ones done are
    undone, so that a run leaves all its files or none."""
    committed: list[Path] = []
    try:
        for w in writers:
            committed.append(w.commit())
        if staged is not None:
            io.commit_summary(staged, summary_path)
    except BaseException:
        for p in committed:
            with contextlib.suppress(OSError):
                p.unlink()
        if staged is not None:
            with contextlib.suppress(OSError):
                staged.unlink(missing_ok=True)
        raise


def _with_checkpoint_note(exc: BaseException, checkpoint: Checkpoint | None) -> BaseException:
    """Keep the checkpoint where resuming continues the run (interrupted, a failure to write),
    remove it otherwise; a failure to write says which."""
    resumable = isinstance(exc, (Interrupted, KeyboardInterrupt)) or (
        isinstance(exc, OutputError) and not isinstance(exc, OutputBusy))
    n = checkpoint.n_completed() if checkpoint is not None else 0
    if checkpoint is not None and not (resumable and n):
        checkpoint.clear()
    if not isinstance(exc, OutputError) or isinstance(exc, OutputBusy):
        return exc
    note = "nothing was left under the final names"
    if resumable and n:
        note += (f"; {n} completed chunk(s) are kept in {checkpoint.directory}: once fixed, run "
                 f"again with --resume to continue")
    else:
        note += "; once fixed, run again"
    return type(exc)(f"{exc}; {note}")


def tuned(plan: Plan) -> Plan:
    """The plan with the warm-up's importance learned and applied (once; :mod:`darkbeam.tuning`)."""
    if plan.learned is not None:
        return plan
    learned, report = learn_importance(plan)
    return dataclasses.replace(apply_importance(plan, learned), learned=learned, tuning_report=report)


class _StopFlag:
    """Turns the first SIGINT/SIGTERM into a request to stop after the current chunk."""

    def __init__(self, enabled: bool):
        self.requested: str | None = None
        self._saved = {}
        if enabled and threading.current_thread() is threading.main_thread():
            for sig in (signal.SIGINT, signal.SIGTERM):
                self._saved[sig] = signal.signal(sig, self._handle)

    def _handle(self, signum, frame) -> None:
        if self.requested is not None and signum == signal.SIGINT:
            raise KeyboardInterrupt  # a second Ctrl-C stops at once
        self.requested = signal.Signals(signum).name

    def restore(self) -> None:
        for sig, handler in self._saved.items():
            signal.signal(sig, handler)
        self._saved = {}


def _iterate(plan: Plan, tasks: Iterable[Task], workers: int, n_tasks: int, on_block=None):
    """Results of the ``n_tasks`` ``tasks`` in order: in this process (``on_block(n)`` called after
    each block of n samples), or on ``workers`` processes (at most ``n_tasks``; forked on Linux,
    sharing the tuned plan; at most workers + 1 tasks in flight, so finished chunks do not pile up
    in memory and the tasks are drawn lazily)."""
    global _FORK_PLAN
    workers = min(workers, n_tasks)
    if workers <= 1:
        return (_run_task(plan, t, on_block) for t in tasks)
    context = multiprocessing.get_context("fork") if sys.platform.startswith("linux") else None
    _FORK_PLAN = plan if context is not None else None
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context, initializer=_init_worker,
                               initargs=(plan.card, plan.learned or {}))

    def gen():
        global _FORK_PLAN
        try:
            with pool:
                # in task order, so the output does not depend on the number of workers
                pending = collections.deque()
                todo = iter(tasks)
                for task in itertools.islice(todo, workers + 1):
                    pending.append(pool.submit(_run_task_in_worker, task))
                while pending:
                    result = pending.popleft().result()
                    nxt = next(todo, None)
                    if nxt is not None:
                        pending.append(pool.submit(_run_task_in_worker, nxt))
                    yield result
        finally:
            _FORK_PLAN = None
    return gen()


def _progress(enabled: bool | None, total: int):
    # shown only for runs longer than ~2 s, and only on a terminal unless asked for (progress.py)
    return bar(enabled, "generation", total=total)


def _build_pools(plan: Plan, progress: bool | None) -> None:
    """Build the parent pools the run will draw from (the target's EM cascade behind photon and
    e± channels: the slow part of setting up) now, under a progress phase, rather than silently
    inside the warm-up. Workers share them (forked) or rebuild the same ones from the seed."""
    from .pipeline import LazyPool
    from .sources.channel_parents import TrackLengths

    lazy = [s for s in plan.sources if isinstance(s, (LazyPool, TrackLengths))]
    if not lazy:
        return
    with phase(progress, "set-up: parent pools (EM cascade in the target)"):
        for source in lazy:
            source.pool if isinstance(source, LazyPool) else source.spectrum()
