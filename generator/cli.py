"""The ``darkbeam`` command.

    darkbeam example [NAME [-o DIR]]
    darkbeam run CARD [-n N] [--seed S] [-o PATH ...] [--summary PATH] [--set k=v ...] [--workers W] [--dry-run]
    darkbeam check CARD [--set k=v ...]
    darkbeam info [facilities|detectors|models|channels]  |  darkbeam info model PRESET [--param k=v] [--plot PNG]
    darkbeam draw FACILITY [-o PNG]
    darkbeam scan CARD [--masses ...] [--couplings ...] [--workers N] [-o TABLE] [--plot PNG]
    darkbeam convert IN OUT  |  darkbeam show FILE  |  darkbeam plot timing FILE

User mistakes end with one message per problem on stderr and exit status 2 (no traceback, no
output file) — argument errors too (:class:`_Parser` prints one line, not the usage block); a file
that cannot be read or written gives one line naming it; an interrupted run exits with 130 and
leaves no file under its final name. Anything else is a bug: one line says so (exit 1), and
``DARKBEAM_DEBUG=1`` shows the traceback.
"""

from __future__ import annotations

import argparse
import sys

from ._version import __version__
from .checkpoint import Interrupted
from .errors import DarkbeamError, InputFileError


class _Parser(argparse.ArgumentParser):
    """argparse with one-line errors: ``darkbeam run: error: argument -n/--events: invalid int
    value: 'abc' (darkbeam run --help)`` instead of the usage block (exit status 2, as argparse)."""

    def error(self, message: str):
        self.exit(2, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def _parser() -> argparse.ArgumentParser:
    p = _Parser(prog="darkbeam", description="Dark-sector event generator for beam dumps. "
                "First steps: darkbeam example sbnd_dark_photon && darkbeam run sbnd_dark_photon.toml")
    p.add_argument("--version", action="version", version=f"darkbeam {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    e = sub.add_parser("example", help="list the shipped example cards, or copy one (and the files it includes)")
    e.add_argument("name", nargs="?", help="the card to copy, e.g. sbnd_dark_photon (none: list them)")
    e.add_argument("-o", "--output", default=".", metavar="DIR", help="folder to copy into (default: here)")

    r = sub.add_parser("run", help="generate events from a run card")
    r.add_argument("card", help="TOML run card")
    r.add_argument("-n", "--events", type=int, help="dark particles generated per channel")
    r.add_argument("--seed", type=int, help="master random seed")
    r.add_argument("-o", "--output", action="append", default=None, metavar="PATH",
                   help="event file (.parquet, .root); repeat for several formats")
    r.add_argument("--summary", metavar="PATH", help="summary JSON path")
    r.add_argument("--workers", type=int, help="parallel worker processes")
    r.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE",
                   help="override a card value (TOML syntax), e.g. --set model.epsilon=1e-6")
    r.add_argument("--no-progress", action="store_true", help="never show the progress bar")
    r.add_argument("--progress", action="store_true",
                   help="always show progress (set-up, warm-up, generation), also when stderr is not a terminal")
    r.add_argument("--resume", action="store_true",
                   help="continue an interrupted run of the same card from its completed chunks")
    r.add_argument("--dry-run", action="store_true",
                   help="print the plan (as darkbeam check) and exit without generating")

    c = sub.add_parser("check", help="validate a run card and print its plan, without generating")
    c.add_argument("card")
    c.add_argument("--set", action="append", default=[], metavar="SECTION.KEY=VALUE")

    from .scan import add_arguments as scan_arguments

    sc = sub.add_parser("scan", help="expected events over a mass × coupling grid, reach contour and plot")
    scan_arguments(sc)

    cv = sub.add_parser("convert", help="convert an event file to another format (by extension)")
    cv.add_argument("input")
    cv.add_argument("output")
    cv.add_argument("--compression", choices=("zstd", "lz4", "none"),
                    help="codec of a Parquet or ROOT output (default: zstd)")

    sh = sub.add_parser("show", help="summary of an event file: events, Σ weights, weight names, first events")
    sh.add_argument("file")
    sh.add_argument("-n", type=int, default=3, help="events to print")

    pl = sub.add_parser("plot", help="plots of an event file")
    pl.add_argument("what", choices=["timing"])
    pl.add_argument("file")
    pl.add_argument("-o", "--output", metavar="PNG", help="default: FILE stem + _timing.png")

    d = sub.add_parser("draw", help="top and side view of a facility: target, beam, detectors (PNG)")
    d.add_argument("facility")
    d.add_argument("-o", "--output", default=None, metavar="PNG", help="default: FACILITY.png")

    i = sub.add_parser("info", help="list facilities, detectors, models and channels")
    i.add_argument("what", nargs="?", default="all",
                   choices=["all", "facilities", "detectors", "models", "model", "channels", "source"])
    i.add_argument("name", nargs="?", help="with 'model': the preset; with 'source': the facility")
    i.add_argument("--plot", metavar="PNG", help="with 'model PRESET': BRs and cτ against mass; "
                                                 "with 'source FACILITY': the parent spectra")
    i.add_argument("--param", action="append", default=[], metavar="KEY=VALUE",
                   help="with 'model PRESET': a preset parameter, e.g. --param g=1e-5 (repeatable; "
                        "defaults: g = epsilon = 1e-4, ud_arbitrary c = -0.1, tan_eta = -0.75; "
                        "BRs do not depend on g, cτ scales as 1/g²)")
    return p


def _overrides(args) -> list[str]:
    out = list(args.set)
    for key in ("events", "seed", "summary", "workers"):
        value = getattr(args, key, None)
        if value is not None:
            out.append(f"run.{key}={value!r}" if isinstance(value, str) else f"run.{key}={value}")
    if getattr(args, "output", None):
        out.append("run.outputs=[" + ", ".join(repr(o) for o in args.output) + "]")
    return out


def _convergence(summary: dict, channel: str | None = None) -> str:
    """"  (1.2 %, ESS 8.1e+04, max 0.03 %)" for a channel or the total of a summary."""
    key = "" if channel is None else "_by_channel"
    pick = (lambda name: summary[name + key]) if channel is None else (lambda name: summary[name + key][channel])
    rel = pick("relative_uncertainty")
    if rel is None:
        return ""
    return (f"  ({100 * rel:.2g} %, ESS {pick('effective_sample_size'):.3g}, "
            f"largest weight {100 * pick('max_weight_fraction'):.2g} %)")


def _scan_notice(card) -> None:
    if card.scan is not None:
        print(f"notice: {card.source}: the [scan] section is ignored by darkbeam run (one point, the "
              f"card's [model]); for the mass × coupling grid run: darkbeam scan {card.source}",
              file=sys.stderr)


def _cmd_run(args) -> int:
    from .card import load_card
    from .pipeline import build
    from .card import summary_path
    from .run import execute

    from .io.paths import final_paths

    if args.progress and args.no_progress:
        from .errors import CardError
        raise CardError("run: give --progress or --no-progress, not both")
    card = load_card(args.card, _overrides(args))
    final_paths(card.run.outputs, summary_path(card), card.source)   # clashes: before any work
    plan = build(card)
    for notice in plan.notices:
        print(f"notice: {notice}", file=sys.stderr)
    _scan_notice(card)
    if args.dry_run:
        from .plan_report import describe_plan
        print("\n".join(describe_plan(plan, summary_path(card))))
        print("dry run: nothing generated")
        return 0
    from .checkpoint import Checkpoint

    checkpoint = Checkpoint.for_card(plan.card)
    if args.resume:
        where = (f"{checkpoint.n_completed()} completed chunk(s) in {checkpoint.directory}"
                 if checkpoint is not None else "checkpoints are off (DARKBEAM_CHECKPOINT_DIR)")
        print(f"resuming: {where}", file=sys.stderr)
    progress = False if args.no_progress else (True if args.progress else None)
    result = execute(plan, progress=progress, keep_events=False,
                     checkpoint=checkpoint, resume=args.resume, handle_signals=True)
    s = result.summary
    print(f"darkbeam {__version__}: {plan.model.name} m = {plan.model.mass:g} GeV, "
          f"{plan.facility.name} -> {plan.detector.name}, POT = {plan.pot:.3g}")
    for name, value in s["expected_events_by_channel"].items():
        print(f"  {name:<16s} {value:.6g} ± {s['stat_uncertainty_by_channel'][name]:.2g}"
              + _convergence(s, name))
        if name in s["zero_reasons"]:
            print(f"  {'':<16s} zero: {s['zero_reasons'][name]}")
    print(f"expected events: {s['expected_events']:.6g} ± {s['stat_uncertainty']:.2g} (stat, 1σ)"
          + _convergence(s) + f"   [{s['n_events']} events written from {s['n_generated']} generated, "
          f"{s['wall_time_s']:.1f} s]")
    if "total" in s["zero_reasons"]:
        print(f"zero: {s['zero_reasons']['total']}")
    for path in s["outputs"] + ([summary_path(plan.card)] if summary_path(plan.card) else []):
        print(f"wrote {path}")
    return 0


def _cmd_check(args) -> int:
    from .card import load_card
    from .pipeline import build
    from .card import summary_path
    from .plan_report import describe_plan

    card = load_card(args.card, args.set)
    plan = build(card)
    for notice in plan.notices:
        print(f"notice: {notice}", file=sys.stderr)
    _scan_notice(card)
    print("\n".join(describe_plan(plan, summary_path(card))))
    print(f"{args.card}: OK ({plan.model.name}, {plan.facility.name} -> {plan.detector.name}, "
          f"channels: {', '.join(c.name for c in plan.channels)})")
    return 0


def _cmd_example(args) -> int:
    from .examples import GROUPS, copy_example, list_examples

    if args.name is None:
        examples = list_examples()
        for group, heading in GROUPS.items():
            rows = [e for e in examples if e.group == group]
            if rows:
                print(f"{heading}:")
            for e in rows:
                print(f"  {(e.group + '/' if e.group else '') + e.name:<30s} {e.description}")
        print("copy one with: darkbeam example NAME [-o DIR], then: darkbeam run NAME.toml")
        return 0
    written = copy_example(args.name, args.output)
    for path in written:
        print(f"wrote {path}")
    print(f"run it with: darkbeam run {written[0]}   (or first: darkbeam check {written[0]})")
    return 0


def _cmd_info(args) -> int:
    from . import detectors
    from .decays import FINAL_STATES
    from .production import CHANNEL_GROUPS, CHANNELS, make_channel

    what = args.what
    if what in ("all", "facilities"):
        print("facilities:")
        for name in detectors.list_facilities():
            f = detectors.load_facility(name)
            print(f"  {name:<14s} {f.beam_particle} {f.beam_kinetic_energy:g} GeV on "
                  f"{f.target_material}; default POT {f.pot:.3g}  — {f.description}")
    if what in ("all", "detectors"):
        print("detectors (distance and off-axis angle from the target, in the facility frame):")
        print(f"  {'name':<16s} {'facility':<14s} {'distance':>9s} {'off-axis':>9s} {'mass':>10s}  shape, material")
        for row in detectors.detector_table():
            mass = f"{row['mass_t']:g} t" if row.get("mass_t") else "-"
            print(f"  {row['name']:<16s} {row['facility']:<14s} {row['distance_m']:8.1f}m "
                  f"{row['off_axis_deg']:8.2f}° {mass:>10s}  {row['shape']}, {row['material']}")
    if what == "model":
        return _info_model(args)
    if what == "source":
        from .errors import CardError
        from .sources import describe, plot_source
        if args.name not in detectors.list_facilities():
            raise CardError(f"info source: unknown facility {args.name!r}; known: "
                            f"{', '.join(detectors.list_facilities())}")
        print(describe(args.name))
        if args.plot:
            print(f"wrote {plot_source(args.name, args.plot)}")
        return 0
    if what in ("all", "models"):
        from .models import list_presets
        print("models (vector presets; also type = \"alp\", \"scalar\", \"hnl\" (U2_e, U2_mu, U2_tau, majorana) "
              "or \"vector\" with couplings):")
        for name, text in list_presets().items():
            print(f"  {name:<16s} {text}")
    if what in ("all", "channels"):
        from .scattering import PROCESSES
        print("production channels ([production] channels = [...]; parent in brackets):")
        for name in CHANNELS:
            if name in CHANNEL_GROUPS:
                print(f"  {name:<22s} = {' + '.join(CHANNEL_GROUPS[name])}")
                continue
            parent = getattr(make_channel(name), "parent", "")
            print(f"  {name:<22s} [{parent}]")
        print("signals:\n  decay (final_state): " + ", ".join(FINAL_STATES))
        print("  scatter (process):   " + ", ".join(PROCESSES))
    return 0


def _cmd_convert(args) -> int:
    from . import io
    _need_file(args.input)
    try:
        extra = {"compression": args.compression} if args.compression else None
        print(f"wrote {io.convert(args.input, args.output, extra)}")
    except ValueError as exc:
        raise InputFileError(f"convert {args.input} -> {args.output}: {exc}") from None
    return 0


def _cmd_show(args) -> int:
    from . import io
    _need_file(args.file)
    try:
        print(io.show(args.file, n=args.n))
    except ValueError as exc:
        raise InputFileError(f"{args.file}: {exc}") from None
    return 0


def _cmd_plot(args) -> int:
    from pathlib import Path

    import numpy as np

    from . import io
    from .timing import plot_timing, pulse_or_notice, stopped_pion_neutrino_times
    _need_file(args.file)
    try:
        events, meta = io.read(args.file)
    except ValueError as exc:
        raise InputFileError(f"{args.file}: {exc}") from None
    neutrinos = None
    facility = meta.get("facility")
    # the facility's catalog pulse: the time axis counts from the light arrival, as
    # [cuts] time_reference = "light" does (a card's own [facility.pulse] is not in the file)
    pulse = pulse_or_notice(facility)[0] if facility else None
    if pulse is not None and facility in ("LANSCE_Lujan", "SNS", "JPARC_MLF", "ESS", "PIP2_BD", "LANSCE_A6"):
        neutrinos = stopped_pion_neutrino_times(np.random.default_rng(0), 200_000, pulse)
    out = args.output or str(Path(args.file).with_suffix("")) + "_timing.png"
    print(f"wrote {plot_timing(events, out, neutrino_times=neutrinos, pulse=pulse)}")
    return 0


def _need_file(path: str) -> None:
    from pathlib import Path
    if not Path(path).is_file():
        raise InputFileError(f"{path}: no such file")


def _cmd_draw(args) -> int:
    from .detectors import draw_facility, list_facilities
    from .errors import CardError

    if args.facility not in list_facilities():
        raise CardError(f"draw: unknown facility {args.facility!r}; known: {', '.join(list_facilities())}")
    print(f"wrote {draw_facility(args.facility, args.output or f'{args.facility}.png')}")
    return 0


def _info_model(args) -> int:
    import tomllib

    from .errors import CardError
    from .models import list_presets, plot_model, preset

    if args.name is None:
        raise CardError(f"info model: which preset? e.g. darkbeam info model b_minus_l; known: "
                        f"{', '.join(list_presets())}")
    if args.name not in list_presets():
        raise CardError(f"info model: unknown preset {args.name!r}; known: {', '.join(list_presets())}")
    from .models.presets import NOTES, parameters, with_defaults
    known = parameters(args.name)
    params = {}
    for item in args.param:
        key, eq, value = item.partition("=")
        key = key.strip()
        try:
            if not eq or not key:
                raise tomllib.TOMLDecodeError("no '='")
            params[key] = tomllib.loads(f"v = {value}")["v"]
        except tomllib.TOMLDecodeError:
            raise CardError(f"info model {args.name}: --param {item!r}: expected KEY=VALUE with a number "
                            f"(or a quoted string), e.g. --param {known[0]}=1e-5") from None
        if key not in known:
            raise CardError(f"info model {args.name}: --param {key}: {args.name} has no parameter {key!r}; "
                            f"its parameters: {', '.join(known)}")
    params = with_defaults(args.name, params)
    print(f"  {args.name} at " + ", ".join(f"{k} = {v}" for k, v in params.items())
          + " (change with --param KEY=VALUE)")
    if args.name in NOTES:
        print(f"  note: {NOTES[args.name]}")
    try:
        for m in (0.01, 0.1, 0.5, 1.0):
            model = preset(args.name, m, **params)
            all_brs = model.branching_ratios()
            brs = {k: v for k, v in all_brs.items() if v > 1e-3}
            # small charged-lepton BRs too (the visible channels of a beam dump; < 1e-20 is rounding)
            small = {k: all_brs[k] for k in ("e+e-", "mu+mu-") if 1e-20 < all_brs.get(k, 0.0) <= 1e-3}
            print(f"  m = {m:5.2f} GeV: cτ = {model.ctau():.3g} m; BR " +
                  ", ".join([f"{k} {v:.3f}" for k, v in brs.items()] + [f"{k} {v:.2g}" for k, v in small.items()]))
        if args.plot:
            print(f"wrote {plot_model(args.name, args.plot, **params)}")
    except (TypeError, ValueError) as exc:
        given = ", ".join(f"--param {k}={v}" for k, v in params.items())
        raise CardError(f"info model {args.name} ({given}): {exc}") from None
    return 0


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:
    """Physics warnings (validity ranges, extrapolations) as one plain line each."""
    print(f"warning: {message}", file=sys.stderr)


def _without_numba_extensions() -> None:
    """Do not load the third-party numba extensions (``numba_extensions`` entry points) in this
    process. numba runs them before its first compilation or cache load; installed here are
    vector's (pulled in by pylhe: 0.2 s and ~20 MB resident to register vector's types with numba)
    and awkward's. darkbeam's kernels take numpy arrays and scalars only, and the ``darkbeam``
    command runs no other numba code, so the command skips them (the library, imported by a user's
    own program, leaves numba as it is). Sets numba's own "already initialised" flag
    (numba.core.entrypoints, numba ≥ 0.50); without that flag this does nothing."""
    try:
        from numba.core import entrypoints
    except ImportError:     # pragma: no cover - numba is a dependency
        return
    if hasattr(entrypoints, "_already_initialized"):
        entrypoints._already_initialized = True


def main(argv: list[str] | None = None) -> int:
    import warnings

    warnings.showwarning = _show_warning
    args = _parser().parse_args(argv)
    if args.command in ("run", "check", "scan"):     # the commands that compile or load kernels
        _without_numba_extensions()
    from .scan import scan_from_args

    commands = {"run": _cmd_run, "check": _cmd_check, "info": _cmd_info, "draw": _cmd_draw,
                "scan": scan_from_args, "convert": _cmd_convert, "show": _cmd_show, "plot": _cmd_plot,
                "example": _cmd_example}
    try:
        return commands[args.command](args)
    except Interrupted as exc:
        print(f"darkbeam: {exc}", file=sys.stderr)
        return 130
    except DarkbeamError as exc:
        for line in str(exc).splitlines():
            print(f"darkbeam: error: {line}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("darkbeam: interrupted; no output file was left under its final name", file=sys.stderr)
        return 130
    except BrokenPipeError:     # the output was piped into a command that stopped reading (head)
        return 0
    except OSError as exc:      # a file that cannot be read or written (permission, full disk, …)
        where = f"{exc.filename}: " if getattr(exc, "filename", None) else ""
        print(f"darkbeam: error: {where}{exc.strerror or 'input/output error'}", file=sys.stderr)
        return 2
    except Exception as exc:    # a bug: say so in one line, the traceback on request
        import os
        if os.environ.get("DARKBEAM_DEBUG"):
            raise
        print(f"darkbeam: internal error in 'darkbeam {args.command}' ({type(exc).__name__}); this is a "
              f"bug, please report it with the command line (DARKBEAM_DEBUG=1 shows the details)",
              file=sys.stderr)
        return 1


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
