"""The files a run writes: checks before any work, one lock per final path, temporaries, and one
line for every file-system failure.

* :func:`final_paths` — the outputs, their side files (HEPEVT's ``x.hepevt.parquet``) and the
  summary; refuses, before any work, a name no file system takes (NUL byte, a component longer
  than the folder allows), a path that is a folder, and two of them that are the same file
  (compared after ``os.path.realpath``, so ``a.parquet``, ``./a.parquet`` and a symbolic link
  to it clash).
* :class:`PathLocks` — an exclusive ``flock`` on a lock file ``.<name>.lock`` next to each final
  path for the whole run; a second process refuses at once with "another darkbeam run (pid N) is
  writing X". The kernel drops the lock when a process dies (SIGKILL included), so a stale lock
  file never blocks. Holding the lock, the run removes temporaries of earlier runs of the same
  path that were killed (``.<name>.part-*``).
* :func:`temporary_folder` — a folder of its own in the target folder (``.<name>.part-<pid>-<random>``)
  holding the files under their final names until the rename: unique per process, on the same
  file system as the final path (so the rename is atomic), and ROOT records the final name.
* :func:`os_error` — an ``OSError`` as one line: the file, the reason, what to do.
"""

from __future__ import annotations

import errno
import fcntl
import os
import secrets
import shutil
from pathlib import Path

from ..errors import CardError, OutputBusy, OutputError

#: what to do, by errno
_ADVICE = {
    errno.ENOSPC: "free space on that disk or write elsewhere (-o/--summary)",
    errno.EDQUOT: "free space within your quota or write elsewhere (-o/--summary)",
    errno.EFBIG: "the file exceeds the size allowed to this process (ulimit -f) or by the file "
                 "system; raise the limit or write elsewhere",
    errno.EACCES: "choose a folder you can write to (-o/--summary) or change its permissions",
    errno.EPERM: "choose a folder you can write to (-o/--summary) or change its permissions",
    errno.EROFS: "the file system is read-only; write elsewhere (-o/--summary)",
    errno.ENOENT: "the folder disappeared during the run; create it again or write elsewhere",
    errno.ENOTDIR: "a part of the path is a file, not a folder; choose another path",
    errno.EISDIR: "the path is a folder; give a file name",
    errno.ENAMETOOLONG: "use a shorter file name",
    errno.EIO: "the disk reported an I/O error; check it or write elsewhere",
}


def os_error(exc: BaseException, path: str | Path, what: str = "write") -> str:
    """``cannot write PATH: <reason> [ERRNO]; <what to do>`` for an ``OSError`` (or an error
    raised by a library in its place)."""
    code = getattr(exc, "errno", None)
    # Arrow's errors carry the errno under a message of their own ("Error writing bytes to
    # file. Detail: [errno 27] ..."): the system's text for the errno is the clearer one
    reason = ((os.strerror(code) if isinstance(code, int) and code > 0 else None)
              or getattr(exc, "strerror", None) or str(exc) or type(exc).__name__)
    name = errno.errorcode.get(code) if code is not None else None
    advice = _ADVICE.get(code, "check the disk and the folder's permissions, or write elsewhere")
    return f"cannot {what} {path}: {reason}{f' [{name}]' if name else ''}; {advice}"


def _name_problem(path: str) -> str | None:
    if "\0" in path:
        return "contains a NUL byte, which no file name may hold"
    if not path:
        return "is empty"
    p = Path(path)
    parent = p.parent if str(p.parent) else Path(".")
    # the longest name the folder takes (255 bytes on ext4, xfs, btrfs, tmpfs)
    existing = parent
    while not existing.exists() and existing != existing.parent:
        existing = existing.parent
    try:
        limit = os.pathconf(existing if existing.exists() else ".", "PC_NAME_MAX")
    except (OSError, ValueError):
        limit = 255
    # the temporary folder adds ".", ".part-<pid>-<8 hex>" and the lock ".lock" to the name
    for part in p.parts:
        if len(os.fsencode(part)) + 32 > limit:
            return (f"has a component of {len(os.fsencode(part))} bytes; the folder takes names of "
                    f"at most {limit} bytes and darkbeam needs 32 of them for its temporary name")
    if p.is_dir():
        return "is a folder; give a file name"
    for up in p.parents:
        if up.exists():
            if not up.is_dir():
                return f"lies under {str(up)!r}, which is a file, not a folder"
            break
    return None


def final_paths(outputs: list[str], summary: str | None, source: str = "card") -> list[Path]:
    """Every path the run will create (outputs, side files, summary), after checking them; a
    :class:`~darkbeam.errors.CardError` lists every problem."""
    from .hepevt import sidecar_path

    problems, seen = [], {}
    named = [("outputs", o, Path(o)) for o in outputs]
    for key, text, p in list(named):
        if p.suffix.lower() == ".hepevt":
            named.append(("side file of output " + repr(text), str(sidecar_path(p)), sidecar_path(p)))
    if summary:
        named.append(("summary", summary, Path(summary)))
    out = []
    for key, text, p in named:
        problem = _name_problem(text)
        if problem is not None:
            problems.append(f"{source}: [run] {key} = {text!r} {problem}")
            continue
        real = os.path.realpath(p)
        if real in seen:
            other_key, other = seen[real]
            same = "is given twice" if other == text and other_key == key else \
                f"is the same file as {other_key} {other!r} ({real})"
            problems.append(f"{source}: [run] {key} {text!r} {same}; give every output, side file "
                            f"and the summary its own path")
            continue
        seen[real] = (key, text)
        out.append(Path(real))
    if problems:
        raise CardError(problems)
    return out


def lock_path(path: Path) -> Path:
    return path.with_name(f".{path.name}.lock")


def _holder(fd: int) -> str:
    try:
        text = os.pread(fd, 32, 0).decode(errors="replace").strip()
    except OSError:
        text = ""
    return f"pid {text}" if text.isdigit() else "pid unknown"


class PathLocks:
    """Exclusive locks on the final paths of a run (see the module docstring). A context manager;
    :meth:`release` removes the lock files."""

    def __init__(self, paths: list[Path]):
        self.paths = sorted(Path(p) for p in paths)
        self._held: list[tuple[Path, int]] = []

    def acquire(self) -> "PathLocks":
        try:
            for path in self.paths:
                self._held.append((lock_path(path), self._lock(path)))
                remove_stale_temporaries(path)
        except BaseException:
            self.release()
            raise
        return self

    @staticmethod
    def _lock(path: Path) -> int:
        lock = lock_path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise OutputError(os_error(exc, path.parent, "create the folder")) from None
        while True:
            try:
                fd = os.open(lock, os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o644)
            except OSError as exc:
                raise OutputError(os_error(exc, path)) from None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
            except BlockingIOError:
                who = _holder(fd)
                os.close(fd)
                raise OutputBusy(f"another darkbeam run ({who}) is writing {path}; wait for it to "
                                 f"end or choose another path") from None
            except OSError as exc:
                os.close(fd)
                raise OutputError(os_error(exc, path, "lock")) from None
            # the holder before us may have removed the lock file after we opened it: then our
            # lock is on a file nobody else sees, so start again with the current one
            try:
                same = os.stat(lock).st_ino == os.fstat(fd).st_ino
            except FileNotFoundError:
                same = False
            if same:
                break
            os.close(fd)
        try:
            os.ftruncate(fd, 0)
            os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)
        except OSError:     # a full disk: the lock holds anyway, only the pid is not shown
            pass
        return fd

    def release(self) -> None:
        for lock, fd in reversed(self._held):
            try:
                lock.unlink(missing_ok=True)    # while still holding it (see _lock)
            except OSError:
                pass
            os.close(fd)
        self._held = []

    def __enter__(self) -> "PathLocks":
        return self.acquire()

    def __exit__(self, *exc) -> None:
        self.release()


def temporary_prefix(path: Path) -> str:
    return f".{path.name}.part"


def temporary_folder(path: Path) -> Path:
    """A new folder for the temporaries of ``path``, next to it (created here)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    while True:
        folder = path.with_name(f"{temporary_prefix(path)}-{os.getpid()}-{secrets.token_hex(4)}")
        try:
            folder.mkdir(mode=0o755)
            return folder
        except FileExistsError:
            continue


def remove_stale_temporaries(path: Path) -> None:
    """Delete what killed runs left for ``path`` (call with its lock held: no live run of this
    path exists then): ``.<name>.part-*`` folders and files, and ``.<name>.part`` of older
    versions."""
    prefix = temporary_prefix(path)
    try:
        entries = list(os.scandir(path.parent))
    except OSError:
        return
    for entry in entries:
        if entry.name == prefix or entry.name.startswith(prefix + "-"):
            try:
                if entry.is_dir(follow_symlinks=False):
                    shutil.rmtree(entry.path, ignore_errors=True)
                else:
                    os.unlink(entry.path)
            except OSError:
                pass
