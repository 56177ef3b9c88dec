"""User-visible text cites papers and shipped documentation, never the project's development notes
(formulas-*.md, facilities.md, DESIGN.md, the seed notes) or paths of the development machine
(issue 19, item 5)."""

from __future__ import annotations

import ast
import re
import warnings
from pathlib import Path

import darkbeam
import pytest
from darkbeam.cli import main

ROOT = Path(__file__).resolve().parents[2]
UNSHIPPED = re.compile(r"formulas-(production|detection)|facilities\.md|DESIGN\.md|peers\.md|seed00\d|"
                       r"/work/|reference/")


def _docstring_nodes(tree: ast.AST) -> set[int]:
    """Module, class and function docstrings, and attribute docstrings (bare string statements)."""
    return {id(node.value) for node in ast.walk(tree)
            if isinstance(node, ast.Expr) and isinstance(node.value, ast.Constant)
            and isinstance(node.value.value, str)}


def test_no_string_literal_outside_docstrings_names_an_unshipped_file():
    """Messages (errors, warnings, notices, help, info output) are string literals outside
    docstrings; docstrings are for developers and may name the notes next to the paper."""
    hits = []
    for folder in ("generator", "geometry", "detectors"):
        for path in sorted((ROOT / folder).rglob("*.py")):
            tree = ast.parse(path.read_text())
            docs = _docstring_nodes(tree)
            for node in ast.walk(tree):
                if (isinstance(node, ast.Constant) and isinstance(node.value, str) and id(node) not in docs
                        and UNSHIPPED.search(node.value)):
                    hits.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value[:80]}")
    assert not hits, "\n".join(hits)


def test_shipped_cards_cite_papers_not_notes():
    hits = [f"{p.relative_to(ROOT)}:{i}: {line}" for p in sorted(ROOT.glob("cards/**/*.toml"))
            for i, line in enumerate(p.read_text().splitlines(), 1) if UNSHIPPED.search(line)]
    assert not hits, "\n".join(hits)


@pytest.mark.parametrize("facility", ["BNB", "BNB_dump", "CERN_SPS", "ESS", "JPARC_MLF", "LANSCE_A6",
                                      "LANSCE_Lujan", "LBNF", "NuMI", "PIP2_BD", "SLAC", "SNS", "U70"])
def test_info_source_output(facility, capsys):
    assert main(["info", "source", facility]) == 0
    out = capsys.readouterr().out
    assert out.strip() and not UNSHIPPED.search(out), [l for l in out.splitlines() if UNSHIPPED.search(l)]


def test_info_and_model_notes(capsys):
    for argv in (["info"], ["info", "model", "chargephobic"], ["info", "model", "t3r"], ["example"]):
        assert main(argv) == 0
    out = capsys.readouterr().out
    assert not UNSHIPPED.search(out), [l for l in out.splitlines() if UNSHIPPED.search(l)]


def test_warnings_of_runs_cite_papers():
    """Warnings raised by a run (E137's IWW validity warnings) and by the photon absorption below
    1 GeV (the ALP cards) name papers."""
    from darkbeam.production.photon_absorption import sigma_total_photon
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        darkbeam.run(ROOT / "cards" / "e137_dark_photon.toml", events=5_000, progress=False, keep_events=False,
                     production__channels=["electron_brem"])
        sigma_total_photon(0.01, 74, 183.84)
    texts = [str(w.message) for w in caught]
    assert any("arXiv:" in t for t in texts) and any("Tsai" in t for t in texts), texts
    assert not [t for t in texts if UNSHIPPED.search(t)]
