"""``scan``: one generation per mass, exact reweighting over the coupling grid, optional Dask.

Each mass point is one task: it rebuilds the card at that mass, generates it once at a long-lived
reference coupling (:func:`darkbeam.scan.couplings.reference_coupling`) with the card's seed (so its
random streams are those of ``darkbeam run`` at that mass, DESIGN.md "Reproducibility"), and
reweights the events to every coupling of the grid (:mod:`darkbeam.scan.reweight`). A task returns
only small arrays (Σw, Σw² per coupling and channel), so the table does not depend on where or in
which order the tasks ran: ``workers=N`` (a local Dask cluster) or ``scheduler=ADDRESS`` (an existing
``dask.distributed`` cluster) give the same numbers as the in-process loop.
"""

from __future__ import annotations

import dataclasses
import math
import time
from pathlib import Path

import numpy as np

from ..card import Card, apply_overrides, card_from_dict, load_card
from ..errors import CardError, DarkbeamError
from .couplings import (REFERENCE_CTAU_M, SCALE, at_coupling, axis_value, check_axis, default_axis,
                        reference_coupling)
from .limits import upper_limit
from .reweight import METHODS, Reference, columns_of, expected_grid, is_decay_signal
from .table import ScanResult


class ScanError(DarkbeamError):
    """Bad scan input (grid, coupling axis, cluster)."""


# --------------------------------------------------------------------------------------------
def load_scan_card(path: str | Path, overrides: list[str] | dict | None = None) -> tuple[Card, dict]:
    """Read a card with its ``[scan]`` section: returns (Card, the section as a dict)."""
    card = load_card(path, overrides)
    return card, dict(card.scan or {})


def _card_at(card: Card, mass: float, events: int | None, dm_ratio: float | None = None) -> Card:
    raw = card.model_dump(exclude={"source", "text", "scan"})
    # the warm-up learns from coupling-free weights, so every point of the grid is exactly what a
    # run at that coupling with [production] tuning = "long_lived" gives (darkbeam.tuning)
    over = {"model.mass": float(mass), "run.outputs": [], "run.summary": None, "run.workers": 1,
            "production.tuning": "long_lived"}
    if dm_ratio is not None:
        if not isinstance(raw.get("model", {}).get("dark_matter"), dict):
            raise ScanError(f"{card.source}: dark_matter_ratio = {dm_ratio!r} needs a [model] dark_matter "
                            "table (the dark-matter mass it sets at each mediator mass)")
        over["model.dark_matter.mass"] = float(mass) / float(dm_ratio)
    if events is not None:
        over["run.events"] = int(events)
    return card_from_dict(apply_overrides(raw, over, card.source), card.source, card.text)


def mass_point(card: Card, mass: float, couplings: np.ndarray, axis: str, events: int | None = None,
               ctau_min: float = REFERENCE_CTAU_M, method: str = "chord",
               dm_ratio: float | None = None) -> dict:
    """Generate ``card`` at ``mass`` once and reweight to ``couplings`` on ``axis``.

    ``dm_ratio``: if given, the card's dark-matter mass is set to ``mass / dm_ratio`` at this point
    (the m_X = 3 m_χ benchmark of light-dark-matter reach plots is ``dm_ratio = 3``).

    Returns ``{"sums", "sums2"}`` (K, C) arrays, ``"reference"`` (the generation coupling),
    ``"n_events"``, ``"n_generated"`` (per channel), ``"channels"``, ``"notices"``, ``"seconds"``.
    Runs in-process; this is the Dask task.
    """
    from ..pipeline import build
    from ..run import execute
    start = time.perf_counter()
    plan = build(_card_at(card, mass, events, dm_ratio))
    base = plan.model
    check_axis(base, axis)
    # a long-lived reference matters for decay signals only (p_decay must not underflow); a
    # scattering sample is generated at the card's coupling (X that decays on the way, e.g. an
    # A′ → χχ̄, is not what is detected)
    if plan.open_channels and is_decay_signal(plan.signal):
        g_ref = reference_coupling(base, axis, ctau_min)
    else:
        g_ref = axis_value(base, axis) or 1.0
    # 'scale' is relative to the card's model at this mass; a named coupling is absolute
    ref_model = at_coupling(base, axis, g_ref)
    models = [at_coupling(base, axis, float(g)) for g in couplings]
    fs = getattr(plan.signal, "final_state", None)
    if (fs is not None and ref_model.branching_ratios().get(fs, 0.0) == 0.0
            and any(m.branching_ratios().get(fs, 0.0) > 0.0 for m in models)):
        raise ScanError(f"{card.source}: at m = {mass:.4g} GeV the reference model {ref_model!r} has "
                        f"BR(X → {fs}) = 0, so its sample is empty and cannot be reweighted; give the "
                        "card a coupling that opens that decay")
    plan = dataclasses.replace(plan, model=ref_model)
    channels = [c.name for c in plan.channels]
    k, c = len(models), len(channels)
    if not plan.open_channels:
        return {"sums": np.zeros((k, c)), "sums2": np.zeros((k, c)), "reference": g_ref,
                "n_events": 0, "n_generated": plan.card.run.events, "channels": channels,
                "notices": list(plan.notices), "seconds": time.perf_counter() - start}
    res = execute(plan, progress=False, keep_events=True)
    ev = res.events
    sums, sums2 = expected_grid(columns_of(ev), Reference.from_plan(plan), models, method)
    return {"sums": sums, "sums2": sums2, "reference": g_ref, "n_events": len(ev),
            "n_generated": plan.card.run.events, "channels": channels,
            "notices": list(plan.notices), "seconds": time.perf_counter() - start}


# --------------------------------------------------------------------------------------------
def parse_grid(spec, *, name: str = "grid", log: bool = True) -> np.ndarray:
    """A grid from a sequence of numbers, or a string ``"start:stop:n"`` (log-spaced, inclusive;
    ``"lin:start:stop:n"`` for linear), or ``"a,b,c"``. Values may carry units for masses
    (``"10 MeV:130 MeV:30"``)."""
    from ..units import parse_quantity
    if isinstance(spec, str):
        s = spec.strip()
        if ":" in s:
            parts = [p.strip() for p in s.split(":")]
            lin = parts[0].lower() == "lin"
            if parts[0].lower() in ("lin", "log"):
                parts = parts[1:]
            if len(parts) != 3:
                raise ScanError(f"{name} = {spec!r}: expected 'start:stop:n' (log-spaced) or "
                                "'lin:start:stop:n'")
            try:
                a, b = (parse_quantity(p, "energy") if name == "masses" else float(p) for p in parts[:2])
                n = int(parts[2])
            except Exception:
                raise ScanError(f"{name} = {spec!r}: expected numbers in 'start:stop:n'") from None
            if n < 1 or (not lin and (a <= 0 or b <= 0)):
                raise ScanError(f"{name} = {spec!r}: expected n ≥ 1 and positive bounds for a log grid")
            values = np.linspace(a, b, n) if lin or not log else np.geomspace(a, b, n)
        else:
            spec = [p for p in s.split(",") if p.strip()]
            return parse_grid(spec, name=name, log=log)
    else:
        try:
            values = np.array([parse_quantity(v, "energy") if name == "masses" else float(v)
                               for v in np.atleast_1d(np.asarray(spec, dtype=object))], dtype=float)
        except Exception:
            raise ScanError(f"{name} = {spec!r}: expected numbers") from None
    values = np.asarray(values, dtype=float)
    if values.size == 0 or not np.all(np.isfinite(values)) or np.any(values <= 0):
        raise ScanError(f"{name} = {spec!r}: expected a non-empty list of positive finite numbers")
    if np.any(np.diff(values) <= 0):
        raise ScanError(f"{name} = {spec!r}: expected strictly increasing values")
    return values


def default_couplings(model, axis: str, n: int = 100) -> np.ndarray:
    """Log-spaced default grid: six decades around the card's coupling (10⁻³..10³ × card value)."""
    g = abs(axis_value(model, axis))
    if axis == SCALE or g == 0:
        g = 1.0
    return np.geomspace(g * 1e-3, g * 1e3, n)


# --------------------------------------------------------------------------------------------
def scan(card: Card | str | Path, masses, couplings=None, *, coupling: str | None = None,
         events: int | None = None, threshold: float | None = None, background: float = 0.0,
         systematic: float = 0.0, cl: float = 0.9, workers: int = 1, scheduler=None,
         progress: bool | None = None, set: list[str] | dict | None = None,
         reference_ctau: float = REFERENCE_CTAU_M, method: str = "chord",
         dark_matter_ratio: float | None = None) -> ScanResult:
    """Expected signal over a (mass × coupling) grid and its reach contour.

    Parameters
    ----------
    card
        Run card (path or :class:`~darkbeam.card.Card`); a ``[scan]`` section in the file is ignored
        here (use :func:`scan_from_args` or pass its values).
    masses
        X masses in GeV: a sequence, or a grid string (:func:`parse_grid`, e.g. ``"0.01:0.13:30"``).
    couplings
        Values on the coupling axis (default: 100 log-spaced points over 10⁻³..10³ × the card's).
    coupling
        The axis: a name of ``model.coupling_names`` or ``"scale"`` (default: the model's only
        non-zero coupling, else ``"scale"``; ``epsilon`` for the dark photon).
    events
        Samples per channel and mass (default: the card's ``[run] events``).
    threshold
        Expected events that define the reach (default: :func:`~darkbeam.scan.limits.upper_limit` of
        ``background`` with ``systematic`` at ``cl``: 2.303 without background).
    workers, scheduler
        ``workers > 1``: a local Dask cluster of that many processes; ``scheduler``: the address of an
        existing ``dask.distributed`` scheduler, or a ``Client``/cluster object. Results do not
        depend on either. Worker processes are spawned, so a script that calls ``scan(workers=N)``
        needs the ``if __name__ == "__main__":`` guard (Python's multiprocessing rule). A local
        cluster costs ≈ 3 s to start and ≈ 5 s per worker to import darkbeam: worth it for grids
        that take minutes, not for a few mass points.
    progress
        tqdm bar over the mass points (None: only on a terminal).
    set
        ``section.key=value`` overrides of the card.
    reference_ctau
        Minimum proper decay length (m) of the generation coupling (see :mod:`.couplings`).
    method
        ``"chord"`` (exact while no cut depends on the decay point) or ``"vertex"`` (importance
        reweighting of the stored decay point, for cards with vertex or timing cuts); see
        :mod:`darkbeam.scan.reweight`.
    dark_matter_ratio
        Keep m_X / m_χ fixed: at each mass the card's ``[model] dark_matter`` mass is set to
        ``mass / dark_matter_ratio`` (3 for the usual light-dark-matter benchmark m_V = 3 m_χ,
        e.g. MiniBooNE-DM, arXiv:1807.06137). Default: the card's m_χ at every mass.
    """
    start = time.perf_counter()
    if isinstance(card, (str, Path)):
        card, _ = load_scan_card(card, set)
    elif set:
        raw = apply_overrides(card.model_dump(exclude={"source", "text"}), set, card.source)
        card = card_from_dict(raw, card.source, card.text)
    masses = parse_grid(masses, name="masses")
    from ..pipeline import build_model
    card_model = build_model(card)
    axis = coupling or default_axis(card_model)
    try:
        check_axis(card_model, axis)
        reference_coupling(card_model, axis, reference_ctau)   # a zero card coupling stops here
    except ValueError as exc:
        raise ScanError(f"{card.source}: scan coupling: {exc}") from None
    couplings = (default_couplings(card_model, axis) if couplings is None
                 else parse_grid(couplings, name="couplings"))
    if method not in METHODS:
        raise ScanError(f"method = {method!r}: expected one of {METHODS}")
    if workers < 1:
        raise ScanError(f"workers = {workers!r}: expected an integer ≥ 1")
    if dark_matter_ratio is not None:
        try:
            dark_matter_ratio = float(dark_matter_ratio)
        except (TypeError, ValueError):
            dark_matter_ratio = float("nan")
        if not (math.isfinite(dark_matter_ratio) and dark_matter_ratio > 0):
            raise ScanError(f"{card.source}: dark_matter_ratio = {dark_matter_ratio!r}: expected a positive "
                            "number m_X / m_χ (e.g. 3)")
        if getattr(card.model, "dark_matter", None) is None:
            raise ScanError(f"{card.source}: dark_matter_ratio = {dark_matter_ratio:g} needs a [model] "
                            "dark_matter table (the dark-matter mass it sets at each mediator mass)")
    threshold_given = threshold is not None
    if threshold is None:
        try:
            threshold = upper_limit(background, cl=cl, systematic=systematic)
        except ValueError as exc:
            raise ScanError(f"{card.source}: scan threshold: {exc}") from None
    elif not (threshold > 0 and math.isfinite(threshold)):
        raise ScanError(f"threshold = {threshold!r}: expected a positive number of events")

    results = _execute(card, masses, couplings, axis, events, workers, scheduler, progress,
                       reference_ctau, method, dark_matter_ratio)
    channels = results[0]["channels"]
    sums = np.stack([r["sums"] for r in results])          # (M, K, C)
    sums2 = np.stack([r["sums2"] for r in results])
    n_gen = np.array([r["n_generated"] for r in results])
    var = np.maximum(sums2 - sums ** 2 / n_gen[:, None, None], 0.0).sum(axis=-1)
    notices = sorted({n for r in results for n in r["notices"]})
    info = {"card": card.source, "seed": card.run.seed, "events_per_mass": int(n_gen[0]),
            "background": background, "systematic": systematic, "cl": None if threshold_given else cl,
            "method": method, "dark_matter_ratio": dark_matter_ratio,
            "model": getattr(card_model, "name", type(card_model).__name__),
            "facility_detector": f"{card.facility.name} → {card.detector.name or 'custom detector'}",
            "detector": card.detector.name or "custom detector",
            "card_coupling": axis_value(card_model, axis), "notices": notices,
            "n_events_per_mass": [int(r["n_events"]) for r in results],
            "wall_time_s": time.perf_counter() - start}
    return ScanResult(masses=masses, couplings=couplings, coupling_name=axis, channels=channels,
                      expected=sums.sum(axis=-1), by_channel=sums, stat_uncertainty=np.sqrt(var),
                      reference=np.array([r["reference"] for r in results]), threshold=float(threshold),
                      info=info)


def _bar(progress, total):
    from tqdm.auto import tqdm
    # one update per mass point (seconds apart): draw every update (mininterval=0)
    return tqdm(total=total, unit=" masses", disable=None if progress is None else not progress,
                leave=False, desc="scan", mininterval=0)


def _execute(card, masses, couplings, axis, events, workers, scheduler, progress, ctau_min, method,
             dm_ratio=None):
    args = (couplings, axis, events, ctau_min, method, dm_ratio)
    bar = _bar(progress, len(masses))
    try:
        if workers <= 1 and scheduler is None:
            out = []
            for m in masses:
                out.append(mass_point(card, float(m), *args))
                bar.update(1)
            return out
        return _execute_dask(card, masses, args, workers, scheduler, bar)
    finally:
        bar.close()


#: environment of the worker processes of the local cluster ``scan(workers=N)`` starts
_WORKER_ENV = {"OMP_NUM_THREADS": 1, "MKL_NUM_THREADS": 1, "OPENBLAS_NUM_THREADS": 1}


def _execute_dask(card, masses, args, workers, scheduler, bar):
    try:
        from dask.distributed import Client, LocalCluster, as_completed
    except ImportError:
        raise ScanError(f"workers = {workers} / scheduler = {scheduler!r} needs dask.distributed: "
                        "pip install 'darkbeam[dask]' (or run with workers = 1)") from None
    own_cluster = own_client = None
    try:
        if scheduler is None:
            import dask
            # distributed's default worker environment sets MALLOC_TRIM_THRESHOLD_=65536, which
            # turns off glibc's dynamic mmap threshold: every large numpy array is then a fresh
            # mmap (page faults), measured 1.75× slower on a mass point. Keep the one-thread BLAS
            # settings, drop the trim threshold (for this cluster only). The workers' statistical
            # profiler (a thread sampling every stack each 10 ms) cost 1.5× on a 1-worker run: off.
            with dask.config.set({"distributed.nanny.pre-spawn-environ": _WORKER_ENV,
                                  "distributed.worker.profile.enabled": False}):
                own_cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True,
                                           dashboard_address=None)
            client = own_client = Client(own_cluster)
        elif isinstance(scheduler, Client):
            client = scheduler
        elif isinstance(scheduler, str):
            try:
                client = own_client = Client(scheduler, timeout="20s")
            except (OSError, TimeoutError) as exc:
                raise ScanError(f"scheduler = {scheduler!r}: cannot connect ({exc})") from None
        else:                                   # a cluster object (LocalCluster, ...)
            client = own_client = Client(scheduler)
        card_f = client.scatter(card, broadcast=True)
        futures = [client.submit(mass_point, card_f, float(m), *args, pure=False) for m in masses]
        for _ in as_completed(futures):
            bar.update(1)
        return client.gather(futures)           # in grid order, whatever order they finished
    finally:
        if own_client is not None:
            own_client.close()
        if own_cluster is not None:
            own_cluster.close()


# --------------------------------------------------------------------------------------------
def scan_from_args(args) -> int:
    """Entry point for ``darkbeam scan`` (an argparse Namespace; see :func:`add_arguments`).

    Command-line values win over the card's ``[scan]`` section, which wins over the defaults.
    Checks the output names and reads the overlay files before any work; writes the table (``-o``,
    default ``<card stem>_scan.parquet``) and the plot(s) (``--plot``); prints a one-line summary.
    Returns the exit status (errors are :class:`~darkbeam.errors.DarkbeamError`).
    """
    from .plot import _limits
    card, section = load_scan_card(args.card, list(getattr(args, "set", []) or []))
    where = f"{args.card}: [scan]"
    unknown = set(section) - SCAN_KEYS
    if unknown:
        raise CardError(f"{where} unknown keys {sorted(unknown)}; known: {sorted(SCAN_KEYS)}")

    def pick(name, default=None):
        v = getattr(args, name, None)
        return v if v is not None else section.get(name, default)

    def as_list(v):
        return [] if v is None else [v] if isinstance(v, (str, Path)) else list(v)

    masses = pick("masses")
    if masses is None:
        raise CardError(f"{where} masses missing: give --masses or [scan] masses")
    outs = as_list(pick("output")) or [f"{Path(args.card).stem}_scan.parquet"]
    plots = as_list(pick("plot"))
    for o in outs:
        if Path(o).suffix.lower() not in (".parquet", ".csv"):
            raise ScanError(f"{where} output = {str(o)!r}: expected a .parquet or .csv file name")
    for p in plots:
        if Path(p).suffix.lower() not in (".png", ".pdf", ".svg", ".eps"):
            raise ScanError(f"{where} plot = {str(p)!r}: expected a .png, .pdf, .svg or .eps file name")
    limit_specs = as_list(getattr(args, "limits", None))
    if not limit_specs:      # from the card: paths relative to the card's folder
        base = Path(args.card).resolve().parent
        for item in as_list(section.get("limits")):
            label, sep, path = str(item).partition("=")
            path = path if sep else label
            full = path if Path(path).is_absolute() else str(base / path)
            limit_specs.append(f"{label}={full}" if sep else full)
    limits = _limits(limit_specs)              # read now: a bad file stops before the scan
    try:
        numbers = {k: pick(k) for k in ("threshold", "events", "workers")}
        res = scan(card, masses, pick("couplings"), coupling=pick("coupling"),
                   events=numbers["events"], threshold=numbers["threshold"],
                   background=float(pick("background", 0.0)), systematic=float(pick("systematic", 0.0)),
                   cl=float(pick("cl", 0.9)), workers=int(pick("workers", 1)),
                   scheduler=pick("scheduler"), method=pick("method", "chord"),
                   dark_matter_ratio=pick("dark_matter_ratio"),
                   progress=False if getattr(args, "no_progress", False) else None)
    except (TypeError, ValueError) as exc:
        raise ScanError(f"{where} {exc}") from None
    for o in outs:
        res.write(o)
    if plots:
        res.plot(plots, limits=limits)
    n_ex = int(res.excluded.sum())
    print(f"scan: {len(res.masses)} masses × {len(res.couplings)} {res.coupling_name} values, "
          f"{n_ex} points with ≥ {res.threshold:.3g} events; wrote {', '.join(map(str, outs + plots))} "
          f"({res.info['wall_time_s']:.1f} s)")
    return 0


#: keys of the card's ``[scan]`` section (see cards/sbnd_dark_photon_reach.toml)
SCAN_KEYS = {"masses", "couplings", "coupling", "events", "threshold", "background", "systematic",
             "cl", "workers", "scheduler", "output", "plot", "limits", "method", "dark_matter_ratio"}


def add_arguments(parser) -> None:
    """Add the ``darkbeam scan`` options to an argparse (sub)parser."""
    parser.add_argument("card", help="TOML run card (may hold a [scan] section)")
    parser.add_argument("--masses", help="masses: 'start:stop:n' (log), 'lin:start:stop:n' or 'a,b,c' (GeV or with units)")
    parser.add_argument("--couplings", help="coupling values: 'start:stop:n' (log) or 'a,b,c'")
    parser.add_argument("--coupling", help="coupling axis: a model coupling name or 'scale'")
    parser.add_argument("-n", "--events", type=int, help="samples per channel and mass")
    parser.add_argument("--threshold", type=float, help="signal events for the reach (default 2.3)")
    parser.add_argument("--background", type=float, help="expected background count")
    parser.add_argument("--systematic", type=float, help="relative uncertainty on the background")
    parser.add_argument("--cl", type=float, help="confidence level (default 0.9)")
    parser.add_argument("--method", choices=list(METHODS),
                        help="p_decay reweighting: chord (exact, default) or vertex (for vertex/time cuts)")
    parser.add_argument("--dark-matter-ratio", dest="dark_matter_ratio", type=float, metavar="R",
                        help="keep m_X / m_chi = R: the card's dark-matter mass follows each mass (3: m_V = 3 m_chi)")
    parser.add_argument("--workers", type=int, help="local Dask workers (processes)")
    parser.add_argument("--scheduler", help="address of a dask.distributed scheduler")
    parser.add_argument("-o", "--output", action="append", default=None, metavar="TABLE",
                        help="table: .parquet or .csv (repeatable)")
    parser.add_argument("--plot", action="append", default=None, metavar="FIG",
                        help="reach plot (.png, .pdf; repeat for both)")
    parser.add_argument("--limits", action="append", default=None, metavar="LABEL=CSV",
                        help="existing limit to overlay (CSV of mass, coupling); repeatable")
    parser.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")
    parser.add_argument("--no-progress", action="store_true")
