"""The shipped example run cards: ``darkbeam example`` lists them and copies one out.

The cards live in the repository's ``cards/`` folder, which the wheel installs as the data
folder ``darkbeam/cards/`` (pyproject.toml: ``package-dir`` maps ``darkbeam.cards`` onto
``cards/``, so the files are not duplicated in git). :func:`card_directory` finds them in either
place: inside the installed package, or next to ``generator/`` in a clone or an editable install.

A card may ``include`` other cards (``seeds/ess_b_minus_l.toml`` includes ``../ess_cevns.toml``):
:func:`copy_example` copies the card and every file it includes, recursively, into one folder and
rewrites the ``include`` paths to the copied names, so that the copy runs where it lands.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass
from pathlib import Path

from .errors import DarkbeamError

#: sub-folders of the card folder whose cards are listed too (name → heading)
GROUPS = {"": "example cards", "seeds": "case-study cards of the project's physics seeds (seeds/)"}


class ExampleError(DarkbeamError):
    """An unknown example name, or a copy that would overwrite a file."""


@dataclass(frozen=True)
class Example:
    name: str           # the card's stem, e.g. "sbnd_dark_photon"
    path: Path          # the card file
    group: str          # "" (top level) or "seeds"
    description: str    # the card's first comment line


def card_directory() -> Path:
    """The folder of the shipped cards: ``darkbeam/cards`` of an installed wheel, else the
    repository's ``cards/`` (a clone, or an editable install whose package is ``generator/``)."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "cards", here.parent / "cards"):
        if (candidate / "sbnd_dark_photon.toml").is_file():
            return candidate
    raise ExampleError(f"the example cards are missing from this installation (looked in {here / 'cards'} "
                       f"and {here.parent / 'cards'}); reinstall darkbeam")


def _description(path: Path) -> str:
    """The first comment line of a card, without its ``#``."""
    for line in path.read_text().splitlines():
        line = line.strip()
        if line.startswith("#"):
            text = line.lstrip("#").strip()
            if text:
                return text
        elif line:
            break
    return ""


def list_examples() -> list[Example]:
    """Every shipped card, top-level ones first, each group sorted by name."""
    root = card_directory()
    out = []
    for group in GROUPS:
        folder = root / group if group else root
        for path in sorted(folder.glob("*.toml")):
            out.append(Example(path.stem, path, group, _description(path)))
    return out


def find_example(name: str) -> Example:
    """The card called ``name`` (``sbnd_dark_photon``, ``sbnd_dark_photon.toml`` or
    ``seeds/sbnd_alp``)."""
    key = name.removesuffix(".toml")
    examples = list_examples()
    for ex in examples:
        if key in (ex.name, f"{ex.group}/{ex.name}"):
            return ex
    raise ExampleError(f"example {name!r}: no such card; `darkbeam example` lists them "
                       f"({', '.join(e.name for e in examples)})")


def _includes(path: Path) -> list[str]:
    raw = tomllib.loads(path.read_text()).get("include", [])
    return [raw] if isinstance(raw, str) else list(raw)


_INCLUDE_LINE = re.compile(r"^(\s*include\s*=\s*)(.*)$", re.MULTILINE)


def _rewritten(text: str, names: dict[str, str]) -> str:
    """``text`` with each quoted include path ``old`` in its ``include = ...`` line replaced by
    ``names[old]`` (the rest of the card untouched, comments included)."""
    def fix(match: re.Match) -> str:
        value = match.group(2)
        for old, new in names.items():
            value = value.replace(f'"{old}"', f'"{new}"').replace(f"'{old}'", f"'{new}'")
        return match.group(1) + value
    return _INCLUDE_LINE.sub(fix, text, count=1)


def files_of(example: Example) -> dict[str, str]:
    """File name in the destination folder → text, for the card and everything it includes."""
    out: dict[str, str] = {}
    origin: dict[str, Path] = {}

    def add(path: Path) -> str:
        path = path.resolve()
        target = path.name
        if target in origin:
            if origin[target] != path:
                raise ExampleError(f"example {example.name}: includes two files named {target}")
            return target
        origin[target] = path
        out[target] = ""        # reserve the name (an include cycle is refused by load_card)
        names = {inc: add(path.parent / inc) for inc in _includes(path)}
        out[target] = _rewritten(path.read_text(), names)
        return target

    add(example.path)
    return out


def copy_example(name: str, directory: str | Path = ".") -> list[Path]:
    """Copy the card ``name`` and the files it includes into ``directory`` (created if needed).
    Refuses, before writing anything, if any of those files exists already. Returns the paths
    written, the card first."""
    example = find_example(name)
    files = files_of(example)
    directory = Path(directory)
    if directory.exists() and not directory.is_dir():
        raise ExampleError(f"example {name}: {directory} is not a folder")
    clash = [directory / f for f in files if (directory / f).exists()]
    if clash:
        raise ExampleError(f"example {name}: {', '.join(map(str, clash))} exists already; remove it "
                           f"or copy elsewhere with -o DIR (nothing was copied)")
    try:
        directory.mkdir(parents=True, exist_ok=True)
        written = []
        for fname, text in files.items():
            (directory / fname).write_text(text)
            written.append(directory / fname)
    except OSError as exc:
        raise ExampleError(f"example {name}: cannot write into {directory}: {exc.strerror or exc}") from None
    return written
