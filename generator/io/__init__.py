"""Writers and readers of event files. Nothing outside this package knows a file format.

One writer class per format behind one interface::

    with open_writer("out.parquet", metadata) as w:   # written to a temporary name ...
        for batch in batches:
            w.write(batch)                            # ... streamed batch by batch
                                                      # and renamed to its final name on success
    events, metadata = read("out.parquet")

The format is chosen from the file extension (:data:`WRITERS`):

============  ===========  ===========================================================  ==========
extension     module       for                                                          units
============  ===========  ===========================================================  ==========
``.parquet``  parquet      analysis (awkward), the default                              GeV, m, ns
``.root``     root         analysis (uproot/ROOT): ``events`` TTree + ``metadata``       GeV, m, ns
``.hepmc``    hepmc3       Geant4, edep-sim, frameworks (HepMC3 ASCII; also ``.hepmc3``)  GeV, mm, mm/c
``.lhe``      lhe          LHEF 3 with named weights; no vertex positions (see module)   GeV, mm (cτ)
``.hepevt``   hepevt       LArSoft ``TextFileGen`` / edep-sim (+ ``.hepevt.parquet``     GeV, cm, ns
                           side file with weights); optional detector frame
============  ===========  ===========================================================  ==========

Every writer receives the run's metadata dict (darkbeam_version, card, card_path, pot, seed,
facility, detector, model, channels, weight_names, n_generated_per_channel; optional
``detector_frame`` and ``hepevt_track`` for HEPEVT, ``beam_pdg``/``beam_energy`` for LHE) and
stores it; :func:`read` gives it back; ``metadata["compression"]`` (``zstd``, ``lz4``, ``none``)
picks the codec of Parquet and ROOT files. Files are written under a temporary name in the same
folder and renamed when complete, so an interrupted run never leaves a truncated file under the
final name. Batches are regrouped into fixed-size blocks before they reach the format, so the
bytes written do not depend on how the run was chunked; a thread of the writer's own encodes the
blocks while the caller goes on (:mod:`.base`), and memory is bounded by a few blocks whatever the
number of events. :func:`convert` and :func:`show` serve the CLI.
"""

from __future__ import annotations

import importlib
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import TYPE_CHECKING

from .summary import commit_summary, stage_summary, write_summary

if TYPE_CHECKING:
    import awkward as ak

    from .base import EventWriter


class _Lazy(Mapping):
    """extension → object of a format module, the module imported on first look-up: writing
    Parquet does not import uproot, pylhe or pyhepmc (``import darkbeam.io`` imports no format)."""

    def __init__(self, table: dict[str, tuple[str, str]]):
        self._table = table

    def __getitem__(self, key: str):
        module, name = self._table[key]
        return getattr(importlib.import_module(f"{__name__}.{module}"), name)

    def __contains__(self, key) -> bool:     # without importing the module (Mapping's would)
        return key in self._table

    def __iter__(self) -> Iterator[str]:
        return iter(self._table)

    def __len__(self) -> int:
        return len(self._table)


#: extension → writer class (:class:`~darkbeam.io.base.EventWriter` subclass)
WRITERS: Mapping[str, type[EventWriter]] = _Lazy({
    ".parquet": ("parquet", "ParquetWriter"), ".root": ("root", "RootWriter"),
    ".hepmc": ("hepmc3", "HepMC3Writer"), ".hepmc3": ("hepmc3", "HepMC3Writer"),
    ".lhe": ("lhe", "LHEWriter"), ".hepevt": ("hepevt", "HEPEVTWriter"),
})
#: extension → reader function ``read_*(path) -> (events, metadata)``
READERS = _Lazy({
    ".parquet": ("parquet", "read_parquet"), ".root": ("root", "read_root"),
    ".hepmc": ("hepmc3", "read_hepmc"), ".hepmc3": ("hepmc3", "read_hepmc"),
    ".lhe": ("lhe", "read_lhe"), ".hepevt": ("hepevt", "read_hepevt"),
})

#: other public names → their module (imported on first access, PEP 562)
_NAMES = {
    "EventWriter": "base", "DetectorFrame": "frame",
    "HepMC3Writer": "hepmc3", "read_hepmc": "hepmc3", "HEPEVTWriter": "hepevt", "read_hepevt": "hepevt",
    "LHEWriter": "lhe", "read_lhe": "lhe", "ParquetWriter": "parquet", "read_parquet": "parquet",
    "RootWriter": "root", "read_root": "root", "convert": "tools", "iter_read": "tools", "show": "tools",
}


def __getattr__(name: str):
    if name in _NAMES:
        value = getattr(importlib.import_module(f"{__name__}.{_NAMES[name]}"), name)
        globals()[name] = value
        return value
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def __dir__() -> list[str]:
    return sorted(set(globals()) | set(_NAMES))


def format_of(path: str | Path) -> str:
    """The extension that selects the format of ``path``; raises ValueError for unknown ones."""
    suffix = Path(path).suffix.lower()
    if suffix not in WRITERS:
        raise ValueError(f"unknown output format {suffix or '(no extension)'!r} for {str(path)!r}; "
                         f"known: {', '.join(sorted(WRITERS))}")
    return suffix


def open_writer(path: str | Path, metadata: dict | None = None) -> EventWriter:
    """A streaming writer for ``path`` (format from the extension)."""
    return WRITERS[format_of(path)](Path(path), metadata or {})


def write(events: ak.Array, path: str | Path, metadata: dict | None = None) -> Path:
    """Write a whole event batch to ``path``; returns the final path."""
    with open_writer(path, metadata) as writer:
        writer.write(events)
    return Path(path)


def read(path: str | Path) -> tuple[ak.Array, dict]:
    """Read an event file written by darkbeam: (events, metadata)."""
    suffix = Path(path).suffix.lower()
    if suffix not in READERS:
        raise ValueError(f"cannot read {str(path)!r}: known formats {', '.join(sorted(READERS))}")
    return READERS[suffix](Path(path))


__all__ = ["EventWriter", "WRITERS", "READERS", "DetectorFrame", "convert", "format_of", "iter_read",
           "open_writer", "read", "show", "write", "write_summary", "stage_summary", "commit_summary"]
