"""Parquet (awkward → Arrow), the analysis default. Metadata as JSON in the schema metadata."""

from __future__ import annotations

import json
from pathlib import Path

import awkward as ak
import pyarrow.parquet as pq

from .base import EventWriter, codec

_META_KEY = b"darkbeam"


#: ``compression`` choices → (Parquet codec, level). zstd level 1 without column statistics: the
#: size of the default level at 2× its speed; lz4 ~1.3× faster again for ~13 % larger files
#: (benchmarks/bench_io.py); statistics only serve predicate push-down.
CODECS = {"zstd": ("zstd", 1), "lz4": ("lz4", None), "none": ("none", None)}


class ParquetWriter(EventWriter):
    """One row group per block of events; the awkward form is kept, so ``ak.from_parquet`` reads
    the file back as the same record array. ``metadata["compression"]``: a key of :data:`CODECS`."""

    def _open(self, tmp_path: Path) -> None:
        self._writer: pq.ParquetWriter | None = None
        self._codec = codec(self.metadata, CODECS)

    def _write_block(self, events: ak.Array, first: int) -> None:
        # 32-bit list offsets: Parquet stores levels, not offsets, so the file is the same; the
        # conversion is ~10 % faster
        table = ak.to_arrow_table(events, list_to32=True)
        if self._writer is None:
            meta = dict(table.schema.metadata or {})
            meta[_META_KEY] = json.dumps(self.metadata, sort_keys=True, default=str).encode()
            self._schema = table.schema.with_metadata(meta)
            # dictionary encoding does not pay for float columns of random values: off (2.5× faster,
            # 20 % smaller files in benchmarks/bench_io.py)
            name, level = self._codec
            self._writer = pq.ParquetWriter(self.tmp_path, self._schema, compression=name,
                                            compression_level=level, use_dictionary=False,
                                            write_statistics=False)
        self._writer.write_table(table.replace_schema_metadata(self._schema.metadata))

    def _close(self) -> None:
        if self._writer is not None:
            self._writer.close()
            self._writer = None


def read_parquet(path: Path) -> tuple[ak.Array, dict]:
    meta = pq.read_schema(path).metadata or {}
    return ak.from_parquet(path), json.loads(meta.get(_META_KEY, b"{}"))
