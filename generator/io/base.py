"""The streaming-writer interface: temporary name, fixed-size blocks, a writing thread, rename on
success.

The caller's thread cuts the batches it is given into blocks of :data:`BLOCK_EVENTS` events and
hands them to a thread of the writer's own, which encodes and writes them in order while the
caller goes on generating. The encoders (Arrow's Parquet writer, the compressors under uproot, the
numba kernels of the text formats) release the GIL, so on a machine with two or more cores the
writing overlaps the generation. At most :data:`QUEUE_BLOCKS` blocks wait, so memory stays bounded
whatever the number of events; the bytes written are the same with or without the thread (same
blocks, same order). An error in the writing thread is raised in the caller's thread at its next
``write`` or at ``close``.
"""

from __future__ import annotations

import os
import queue
import shutil
import threading
from pathlib import Path

import awkward as ak

from .._memory import release_free_memory
from ..errors import OutputError
from .paths import os_error, temporary_folder

#: events per block handed to the format (row group / basket); fixed so that output bytes do not
#: depend on the run's chunk size or number of workers
BLOCK_EVENTS = 50_000
#: blocks that may wait for the writing thread (bounds the memory held by a writer)
QUEUE_BLOCKS = 1

_DONE = object()

#: what ``metadata["compression"]`` may say (Parquet, ROOT and the HEPEVT side file)
COMPRESSIONS = ("zstd", "lz4", "none")


def codec(metadata: dict, codecs: dict):
    """The format's codec for ``metadata["compression"]`` (default ``"zstd"``)."""
    name = metadata.get("compression") or "zstd"
    if name not in codecs:
        raise ValueError(f"compression {name!r} is not known; expected one of {', '.join(codecs)}")
    return codecs[name]


def _without_empty_parameters(form):
    if isinstance(form, dict):
        return {k: _without_empty_parameters(v) for k, v in form.items()
                if not (k == "parameters" and not v)}
    if isinstance(form, list):
        return [_without_empty_parameters(v) for v in form]
    return form


def plain_form(events: ak.Array) -> ak.Array:
    """The same array (no copy) with every empty parameter dict as "no parameters". awkward
    makes ``{}`` of ``None`` when an array is pickled (a chunk sent back by a worker process) or
    read back (a checkpoint), and ``ak.to_arrow_table`` stores that difference in the Parquet
    schema (``"RecordArray": null`` vs ``{}``): without this, the files would depend on the
    number of workers."""
    form, length, buffers = ak.to_buffers(events)
    plain = ak.forms.from_dict(_without_empty_parameters(form.to_dict()))
    return ak.from_buffers(plain, length, buffers)


class EventWriter:
    """Base class: subclasses implement ``_open(tmp_path)``, ``_write_block(events)``, ``_close()``
    and, for files besides the main one, ``_commit()`` / ``_discard()``.

    ``background=False`` writes in the caller's thread (for nested writers and debugging)."""

    def __init__(self, path: Path, metadata: dict, *, background: bool = True):
        self.path = Path(path)
        self.metadata = dict(metadata)
        # the temporaries keep the final name, in a folder of this writer's own next to the final
        # path (.paths.temporary_folder): unique per process, and ROOT records the name it was
        # written under, so the bytes do not depend on the temporary's name. Made at the first write.
        self.tmp_dir: Path | None = None
        self.tmp_path = self.path
        self._pending: list[ak.Array] = []
        self._n_pending = 0
        self.n_written = 0          #: events handed to the format so far (counted when queued)
        self._opened = False
        self._closed = False
        self._background = background
        self._queue: queue.Queue | None = None
        self._thread: threading.Thread | None = None
        self._error: BaseException | None = None
        self._cancel = False

    # interface for subclasses ------------------------------------------------------------
    def _open(self, tmp_path: Path) -> None:
        raise NotImplementedError

    def _write_block(self, events: ak.Array, first: int) -> None:
        """Write one block; ``first`` is the number of events written before it."""
        raise NotImplementedError

    def _close(self) -> None:
        raise NotImplementedError

    def _commit(self) -> None:
        """Give the finished file(s) their final name(s)."""
        os.replace(self.tmp_path, self.path)

    def _discard(self) -> None:
        """Delete the temporary file(s) (the base class then removes the temporary folder)."""

    # public ------------------------------------------------------------------------------
    def write(self, events: ak.Array) -> None:
        """Queue a batch; full blocks of :data:`BLOCK_EVENTS` events go to the writing thread."""
        try:
            self._write(events)
        except OSError as exc:
            self._cancel = True
            raise OutputError(os_error(exc, self.path)) from None

    def _write(self, events: ak.Array) -> None:
        self._raise_if_failed()
        if not self._opened:
            self.tmp_dir = temporary_folder(self.path)
            self.tmp_path = self.tmp_dir / self.path.name
            self._opened = True
            self._open(self.tmp_path)
            if self._background:
                self._queue = queue.Queue(maxsize=QUEUE_BLOCKS)
                self._thread = threading.Thread(target=self._work, name=f"darkbeam writer {self.path.name}",
                                                daemon=True)
                self._thread.start()
        if len(events):
            self._pending.append(events)
            self._n_pending += len(events)
        while self._n_pending >= BLOCK_EVENTS:
            self._flush(BLOCK_EVENTS)
        if self._pending and self._pending[-1] is not events:
            # the tail of this batch waits for the next one: a copy of it alone (to_packed trims
            # the layout to views of the tail, copy then copies just those), so that the
            # caller's batch can be freed meanwhile
            self._pending[-1] = ak.copy(ak.to_packed(self._pending[-1]))
        release_free_memory()       # what the caller freed since the last batch (darkbeam._memory)

    def close(self) -> Path:
        """Write what is left, close, and rename the temporary file to the final name. If that
        fails, nothing appears under the final name (as with :meth:`abort`)."""
        self.finish()
        return self.commit()

    def finish(self) -> None:
        """Write what is left and close the temporary file(s), without renaming them yet (a run
        renames its files only once every one of them, and the summary, is complete). A failure
        aborts: an ``OSError`` becomes one :class:`~darkbeam.errors.OutputError` line."""
        try:
            if not self._opened:
                self._write(self._empty())
            if self._n_pending:
                self._flush(self._n_pending)
            self._stop_thread()
            self._raise_if_failed()
            if self.n_written == 0:     # no event at all: still write the format's structure
                self._write_block(self._empty(), 0)
            self._closed = True
            self._close()
        except OSError as exc:
            self.abort()
            raise OutputError(os_error(exc, self.path)) from None
        except BaseException:
            self.abort()
            raise

    def commit(self) -> Path:
        """Rename the finished temporaries to their final names."""
        try:
            self._commit()
        except OSError as exc:
            self.abort()
            raise OutputError(os_error(exc, self.path, "rename the finished file to")) from None
        except BaseException:
            self.abort()
            raise
        self._remove_tmp_dir()
        return self.path

    def abort(self) -> None:
        """Stop, close and delete the temporary file(s): nothing appears under the final name.
        Errors while closing a file that is deleted anyway (a full disk) are not raised: the
        error that caused the abort is the one to report."""
        self._cancel = True
        try:
            self._stop_thread()
            if self._opened and not self._closed:
                self._closed = True
                try:
                    self._close()
                except Exception:
                    pass
        finally:
            try:
                self._discard()
            finally:
                self._remove_tmp_dir()

    def _remove_tmp_dir(self) -> None:
        if self.tmp_dir is not None:
            shutil.rmtree(self.tmp_dir, ignore_errors=True)
            self.tmp_dir = None

    # internals ---------------------------------------------------------------------------
    def _flush(self, n: int) -> None:
        """Hand the first ``n`` pending events to the format as one packed block. Only those are
        copied: the rest stays a view of the caller's batch."""
        parts, need, sliced = [], n, False
        while need:
            head = self._pending[0]
            if len(head) <= need:
                parts.append(self._pending.pop(0))
                need -= len(head)
            else:
                parts.append(head[:need])
                self._pending[0] = head[need:]
                need, sliced = 0, True
        self._n_pending -= n
        block = plain_form(ak.to_packed(ak.concatenate(parts) if len(parts) > 1 else parts[0]))
        first = self.n_written
        self.n_written += n
        if self._queue is None:
            self._write_block(block, first)
        else:
            # a block cut from a larger batch is a view of it (to_packed does not copy a slice):
            # a copy of its own, so that the caller's batch is freed while the thread still
            # writes its last block. A batch that is the block (or concatenated) is not copied.
            self._queue.put((ak.copy(block) if sliced and len(parts) == 1 else block, first))
            self._raise_if_failed()

    def _work(self) -> None:
        """The writing thread: blocks in order until the end mark; after an error or a cancel it
        only drains the queue, so that the caller never waits on a full queue."""
        while True:
            item = self._queue.get()
            if item is _DONE:
                return
            if self._error is not None or self._cancel:
                continue
            try:
                self._write_block(*item)
                item = None                 # the block is freed here, and given back
                release_free_memory()
            except BaseException as exc:    # handed to the caller's thread
                self._error = exc

    def _stop_thread(self) -> None:
        if self._thread is not None:
            self._queue.put(_DONE)
            self._thread.join()
            self._thread, self._queue = None, None

    def _raise_if_failed(self) -> None:
        if self._error is not None:
            self._cancel = True
            raise self._error

    def _empty(self) -> ak.Array:
        from ..events import empty_events
        return empty_events()

    def __enter__(self) -> "EventWriter":
        return self

    def __exit__(self, exc_type, exc, tb) -> None:
        if exc_type is None:
            self.close()
        else:
            self.abort()
