"""darkbeam.scan — coupling reweighting, (mass × coupling) scans, reach contours and plots.

>>> from darkbeam.scan import scan, reweight
>>> res = scan("cards/sbnd_dark_photon.toml", "0.005:0.13:30", "1e-9:1e-4:100")   # doctest: +SKIP
>>> res.write("reach.parquet"); res.plot(["reach.png", "reach.pdf"])             # doctest: +SKIP
>>> reweight(darkbeam.run(card), epsilon=1e-6)                                   # doctest: +SKIP

* :func:`reweight` — the expected events of a generated sample (a Result, ``(events, metadata)`` or
  a file) at other couplings, exactly, without regenerating (:mod:`.reweight`);
* :func:`scan` — one generation per mass, reweighting over the coupling grid, local or Dask
  (:mod:`.runner`); returns a :class:`ScanResult` (table, contour, plot; :mod:`.table`, :mod:`.plot`);
* :func:`upper_limit` — the Poisson 90% CL event threshold with background (:mod:`.limits`);
* :func:`scan_from_args` / :func:`add_arguments` — the ``darkbeam scan`` command.
"""

from .couplings import REFERENCE_CTAU_M, at_coupling, default_axis, reference_coupling
from .limits import DEFAULT_THRESHOLD, upper_limit
from .plot import plot_reach, read_limit_csv
from .reweight import Reference, ReweightError, ReweightWarning, expected_grid, reweight
from .runner import (SCAN_KEYS, ScanError, add_arguments, load_scan_card, mass_point, parse_grid,
                     scan, scan_from_args)
from .table import ScanResult, read_table

__all__ = ["DEFAULT_THRESHOLD", "REFERENCE_CTAU_M", "Reference", "ReweightError", "ReweightWarning", "SCAN_KEYS",
           "ScanError", "ScanResult", "add_arguments", "at_coupling", "default_axis",
           "expected_grid", "load_scan_card", "mass_point", "parse_grid", "plot_reach",
           "read_limit_csv", "read_table", "reference_coupling", "reweight", "scan",
           "scan_from_args", "upper_limit"]
