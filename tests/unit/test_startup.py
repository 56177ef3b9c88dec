"""Start-up cost: what ``import darkbeam``, ``darkbeam --help`` and ``darkbeam check`` load.

Each check runs in a fresh interpreter (``sys.modules`` of this pytest process holds whatever the
other tests imported) and reads the top-level modules it ended with. The heavy libraries are
imported where they are used (the writers, the readers, the plots, the numba kernels), so that the
command starts in well under a second (benchmarks/bench_startup.py); these tests keep a stray
top-level import from silently bringing the ~3 s start-up back.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]

#: never needed to import darkbeam, build the CLI parser or check a card
PLOTS_AND_FORMATS = {"matplotlib", "mplhep", "uproot", "pylhe", "pyhepmc", "dask", "vector"}
#: needed by a run, not by the import or the parser
RUN_LIBRARIES = {"numba", "llvmlite", "awkward", "pyarrow", "scipy", "particle"}


def _loaded(code: str) -> set[str]:
    """Top-level packages in sys.modules after running ``code`` in a fresh interpreter."""
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted({m.split('.')[0] for m in sys.modules})))"
    out = subprocess.run([sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True,
                         check=True, timeout=120)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


def test_import_darkbeam_loads_no_heavy_library():
    loaded = _loaded("import darkbeam")
    assert not loaded & PLOTS_AND_FORMATS, sorted(loaded & PLOTS_AND_FORMATS)
    assert not loaded & RUN_LIBRARIES, sorted(loaded & RUN_LIBRARIES)


def test_cli_parser_loads_no_heavy_library():
    """What ``darkbeam --help`` imports (the parser with every sub-command, ``scan`` included)."""
    loaded = _loaded("import darkbeam.cli\ndarkbeam.cli._parser()")
    assert not loaded & (PLOTS_AND_FORMATS | RUN_LIBRARIES), sorted(loaded & (PLOTS_AND_FORMATS | RUN_LIBRARIES))


def test_check_loads_no_writer_plot_or_numba_extension(sbnd_card):
    """``darkbeam check`` builds the plan (numba loads one cached kernel for the detector's
    clearance check) but imports no file format, no plotting, no awkward, and not vector, whose
    numba extension numba would otherwise load at its first kernel (cli._without_numba_extensions)."""
    loaded = _loaded("from darkbeam.cli import main\n"
                     f"assert main(['check', {str(sbnd_card)!r}]) == 0")
    unwanted = PLOTS_AND_FORMATS | {"awkward", "pyarrow"}
    assert not loaded & unwanted, sorted(loaded & unwanted)


def test_public_names_resolve_lazily():
    """The lazy package keeps its API: names, sub-packages, and ``darkbeam.run`` the function even
    after the sub-module of the same name is imported."""
    code = ("import darkbeam, types\n"
            "from darkbeam.run import execute\n"           # imports the sub-module darkbeam.run
            "assert callable(darkbeam.run) and not isinstance(darkbeam.run, types.ModuleType)\n"
            "assert darkbeam.run.__module__ == 'darkbeam.run'\n"
            "from darkbeam import Card, Result, load_card, run, CardError\n"
            "assert darkbeam.Card is Card and Card.__module__ == 'darkbeam.card'\n"
            "assert darkbeam.geometry.Box.__name__ == 'Box'\n"
            "assert darkbeam.io.format_of('x.parquet') == '.parquet'\n"
            "assert {'run', 'Card', 'load_card', 'Result'} <= set(dir(darkbeam))\n"
            "import darkbeam.scan\n"
            "assert callable(darkbeam.scan.reweight)\n")
    _loaded(code)
    with pytest.raises(AttributeError):
        import darkbeam
        darkbeam.no_such_name  # noqa: B018


def test_io_tables_resolve_without_importing_formats():
    loaded = _loaded("from darkbeam import io\n"
                     "assert '.root' in io.WRITERS and sorted(io.READERS) == sorted(io.WRITERS)\n"
                     "assert io.format_of('a.hepmc3') == '.hepmc3'")
    assert not loaded & {"uproot", "pylhe", "pyhepmc", "awkward", "pyarrow"}
