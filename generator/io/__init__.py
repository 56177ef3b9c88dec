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

from pathlib import Path

import awkward as ak

from .base import EventWriter
from .frame import DetectorFrame
from .hepmc3 import HepMC3Writer, read_hepmc
from .hepevt import HEPEVTWriter, read_hepevt
from .lhe import LHEWriter, read_lhe
from .parquet import ParquetWriter, read_parquet
from .root import RootWriter, read_root
from .summary import write_summary
from .tools import convert, iter_read, show

WRITERS: dict[str, type[EventWriter]] = {
    ".parquet": ParquetWriter, ".root": RootWriter, ".hepmc": HepMC3Writer, ".hepmc3": HepMC3Writer,
    ".lhe": LHEWriter, ".hepevt": HEPEVTWriter,
}
READERS = {".parquet": read_parquet, ".root": read_root, ".hepmc": read_hepmc, ".hepmc3": read_hepmc,
           ".lhe": read_lhe, ".hepevt": read_hepevt}


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
           "open_writer", "read", "show", "write", "write_summary"]
