"""Parquet (awkward → Arrow), the analysis default. Metadata as JSON in the schema metadata."""

from __future__ import annotations

import json
from pathlib import Path

import awkward as ak
import pyarrow.parquet as pq

from .base import EventWriter

_META_KEY = b"darkbeam"


class ParquetWriter(EventWriter):
    """One row group per block of events; the awkward form is kept, so ``ak.from_parquet`` reads
    the file back as the same record array."""

    def _open(self, tmp_path: Path) -> None:
        self._writer: pq.ParquetWriter | None = None

    def _write_block(self, events: ak.Array) -> None:
        table = ak.to_arrow_table(events)
        if self._writer is None:
            meta = dict(table.schema.metadata or {})
            meta[_META_KEY] = json.dumps(self.metadata, sort_keys=True, default=str).encode()
            self._schema = table.schema.with_metadata(meta)
            # dictionary encoding does not pay for float columns of random values: off (2.5× faster,
            # 20 % smaller files in benchmarks/bench_io.py)
            # zstd level 1 without column statistics: same file size as the default level,
            # 2× the speed (benchmarks/bench_io.py); statistics only serve predicate push-down
            self._writer = pq.ParquetWriter(self.tmp_path, self._schema, compression="zstd",
                                            compression_level=1, use_dictionary=False,
                                            write_statistics=False)
        self._writer.write_table(table.replace_schema_metadata(self._schema.metadata))

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def read_parquet(path: Path) -> tuple[ak.Array, dict]:
    meta = pq.read_schema(path).metadata or {}
    return ak.from_parquet(path), json.loads(meta.get(_META_KEY, b"{}"))
