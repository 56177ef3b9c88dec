"""The scan table: expected events per (mass, coupling) and channel; Parquet/CSV; the reach contour.

Table layout (one row per grid point, mass-major): ``mass`` (GeV), ``coupling`` (value on the scan
axis), ``expected_events``, ``stat_uncertainty`` (1σ Monte Carlo), ``reference_coupling`` (the
coupling the mass was generated at) and ``expected_events_<channel>`` per production channel. The
axis name, threshold, card and notices go to the file's key-value metadata (Parquet) or to
``#``-comment lines at the top (CSV), so :func:`read_table` restores the whole :class:`ScanResult`.
Written with pyarrow (already a dependency: the Parquet backend of awkward), under a temporary name
renamed when complete (DESIGN.md "Errors").
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from .limits import DEFAULT_THRESHOLD

_META_KEY = b"darkbeam_scan"


@dataclass
class ScanResult:
    """Expected signal on a (mass × coupling) grid.

    ``masses`` (M,) GeV; ``couplings`` (K,) values of ``coupling_name`` (``"scale"``: multiples of
    the card's couplings); ``expected`` (M, K); ``by_channel`` (M, K, C) for ``channels``;
    ``stat_uncertainty`` (M, K); ``reference`` (M,) the coupling each mass was generated at;
    ``threshold``: events for the reach contour.
    """

    masses: np.ndarray
    couplings: np.ndarray
    coupling_name: str
    channels: list[str]
    expected: np.ndarray
    by_channel: np.ndarray
    stat_uncertainty: np.ndarray
    reference: np.ndarray
    threshold: float = DEFAULT_THRESHOLD
    info: dict = field(default_factory=dict)

    def __repr__(self) -> str:
        return (f"ScanResult({len(self.masses)} masses {self.masses[0]:.4g}–{self.masses[-1]:.4g} GeV × "
                f"{len(self.couplings)} {self.coupling_name} {self.couplings[0]:.3g}–{self.couplings[-1]:.3g}, "
                f"channels={self.channels}, max expected={self.expected.max():.4g}, "
                f"{int(self.excluded.sum())} points ≥ {self.threshold:.3g})")

    # ---------------------------------------------------------------------------------------
    @property
    def excluded(self) -> np.ndarray:
        """(M, K) booleans: expected events ≥ threshold."""
        return self.expected >= self.threshold

    def contour(self, threshold: float | None = None) -> list[np.ndarray]:
        """Reach contour lines: a list of (n, 2) arrays of (mass, coupling) where the expected
        signal equals ``threshold`` (default: the scan's). Found by marching squares (contourpy,
        matplotlib's engine) on log10(expected) over (log10 m, log10 g), i.e. interpolated linearly in
        the logs, where the yield is closest to a power law."""
        import contourpy
        level = float(self.threshold if threshold is None else threshold)
        if np.any(self.masses <= 0) or np.any(self.couplings <= 0):
            raise ValueError("contours need positive masses and couplings (a log grid)")
        if len(self.masses) < 2 or len(self.couplings) < 2:
            return []                          # a line needs a 2-d grid
        with np.errstate(divide="ignore"):
            z = np.log10(np.where(self.expected > 0, self.expected, 1e-300)).T   # (K, M)
        gen = contourpy.contour_generator(np.log10(self.masses), np.log10(self.couplings), z,
                                          line_type="Separate")
        return [10.0 ** line for line in gen.lines(np.log10(level)) if len(line) > 1]

    # ---------------------------------------------------------------------------------------
    def columns(self) -> dict[str, np.ndarray]:
        """The table's columns (mass-major rows)."""
        m, k = len(self.masses), len(self.couplings)
        cols = {
            "mass": np.repeat(self.masses, k), "coupling": np.tile(self.couplings, m),
            "expected_events": self.expected.ravel(), "stat_uncertainty": self.stat_uncertainty.ravel(),
            "reference_coupling": np.repeat(self.reference, k),
        }
        for i, name in enumerate(self.channels):
            cols[f"expected_events_{name}"] = self.by_channel[:, :, i].ravel()
        return cols

    def metadata(self) -> dict:
        return {"coupling_name": self.coupling_name, "channels": list(self.channels),
                "threshold": self.threshold, "n_masses": len(self.masses),
                "n_couplings": len(self.couplings), **self.info}

    def write(self, path: str | Path) -> Path:
        """Write the table to ``path``: ``.parquet`` or ``.csv``."""
        import pyarrow as pa
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".parquet", ".csv"):
            raise ValueError(f"scan table {str(path)!r}: expected a .parquet or .csv file name")
        meta = json.dumps(self.metadata(), default=str)
        table = pa.table(self.columns()).replace_schema_metadata({_META_KEY: meta.encode()})
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.part-{os.getpid()}")
        try:
            if suffix == ".parquet":
                import pyarrow.parquet as pq
                pq.write_table(table, tmp)
            else:
                import pyarrow.csv as pcsv
                with open(tmp, "wb") as f:
                    f.write(f"# darkbeam scan: {meta}\n".encode())
                    pcsv.write_csv(table, f)
            os.replace(tmp, path)
        finally:
            tmp.unlink(missing_ok=True)
        return path

    def plot(self, path=None, **kw):
        """Reach plot; see :func:`darkbeam.scan.plot.plot_reach`."""
        from .plot import plot_reach
        return plot_reach(self, path, **kw)


def read_table(path: str | Path) -> ScanResult:
    """Read a table written by :meth:`ScanResult.write` back into a :class:`ScanResult`."""
    import pyarrow as pa
    path = Path(path)
    if path.suffix.lower() == ".parquet":
        import pyarrow.parquet as pq
        table = pq.read_table(path)
        meta = json.loads(table.schema.metadata[_META_KEY])
    elif path.suffix.lower() == ".csv":
        import pyarrow.csv as pcsv
        with open(path, "rb") as f:
            first = f.readline().decode()
            if not first.startswith("# darkbeam scan: "):
                raise ValueError(f"{path}: not a darkbeam scan table")
            meta = json.loads(first.removeprefix("# darkbeam scan: "))
            table = pcsv.read_csv(f)
    else:
        raise ValueError(f"scan table {str(path)!r}: expected a .parquet or .csv file")
    assert isinstance(table, pa.Table)
    cols = {name: table.column(name).to_numpy() for name in table.column_names}
    m, k = meta.pop("n_masses"), meta.pop("n_couplings")
    channels = meta.pop("channels")
    return ScanResult(
        masses=cols["mass"][::k].copy(), couplings=cols["coupling"][:k].copy(),
        coupling_name=meta.pop("coupling_name"), channels=channels,
        expected=cols["expected_events"].reshape(m, k),
        by_channel=np.stack([cols[f"expected_events_{c}"].reshape(m, k) for c in channels], axis=-1)
        if channels else np.zeros((m, k, 0)),
        stat_uncertainty=cols["stat_uncertainty"].reshape(m, k),
        reference=cols["reference_coupling"][::k].copy(), threshold=meta.pop("threshold"), info=meta)
