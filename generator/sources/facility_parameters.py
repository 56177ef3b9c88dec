"""Per-facility source parameters (``data/facility_sources.toml``): beam, target, meson parametrization,
parent yields per POT and stopped-pion neutrino yields, each with its source, status and spread.

The data file is the single place where these numbers live; :func:`source_parameters` returns a fresh copy,
with optional user overrides of any yield, so nothing here is mutable global state.
"""

from __future__ import annotations

import copy
import tomllib
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..constants import mass
from ..errors import CatalogError

_PROTON = 2212


@lru_cache(maxsize=None)
def _table() -> dict:
    with (resources.files(__package__) / "data" / "facility_sources.toml").open("rb") as fh:
        return tomllib.load(fh)


@lru_cache(maxsize=None)
def _catalog_target_length(facility: str) -> float:
    """Material length (m) along the beam of the facility's target, from its catalog file
    (``detectors/data/facilities/NAME.toml``, the one place of that number)."""
    from ..detectors import load_facility
    try:
        return float(load_facility(facility).target_length)
    except CatalogError as exc:
        raise CatalogError(f"source parameters of {facility!r} need its catalog facility file for the target "
                           f"length: {exc}") from None


def facilities() -> list[str]:
    """Names of the facilities with source parameters."""
    return list(_table())


def source_parameters(facility: str, overrides: dict[str, float] | None = None) -> dict[str, Any]:
    """Source parameters of ``facility`` as a new dict.

    Keys: ``beam`` (proton/electron), ``beam_kinetic_GeV``, ``beam_momentum_GeV`` (computed from the kinetic
    energy when the file omits it), ``target`` {material, Z, A, length_m, interaction_length_m}
    (``length_m`` from the catalog facility file, detectors/data/facilities/NAME.toml),
    ``parametrization``, ``yields`` {meson: {value, spread, status, source, note}} (per POT) and, for
    spallation sources, ``neutrinos`` {per_flavor_per_pot: {...}}, and ``at_rest`` {meson: {..., location}}:
    mesons stopping and decaying at rest outside the target, per POT (``location`` = ``"absorber"``: at the
    catalog's ``[decay_region] absorber`` point, or ``"target"``).

    ``overrides`` maps a meson name (or ``"nu"`` for the per-flavour neutrino yield, or ``"<meson>_at_rest"``,
    e.g. ``"K+_at_rest"``, for a yield at rest) to a yield per POT that replaces the default value; the
    entry's status becomes ``"user"`` (a new at-rest entry stops at the target unless the facility gives
    its location).
    """
    table = _table()
    if facility not in table:
        raise CatalogError(f"no source parameters for facility {facility!r}; known: {', '.join(table)}")
    par = copy.deepcopy(table[facility])
    par["target"]["length_m"] = _catalog_target_length(facility)
    par.setdefault("yields", {})
    par.setdefault("at_rest", {})
    if "beam_momentum_GeV" not in par:
        m = mass(_PROTON) if par["beam"] == "proton" else 0.51099895e-3
        t = par["beam_kinetic_GeV"]
        par["beam_momentum_GeV"] = float(np.sqrt(t * t + 2.0 * t * m))
    for key, value in (overrides or {}).items():
        if not (np.isfinite(value) and value >= 0):
            raise ValueError(f"override of the {key!r} yield for {facility} must be a finite number ≥ 0, "
                             f"got {value!r}")
        if key == "nu":
            entry = par.setdefault("neutrinos", {}).setdefault("per_flavor_per_pot", {})
        elif key.endswith("_at_rest"):
            entry = par["at_rest"].setdefault(key.removesuffix("_at_rest"), {"location": "target"})
        else:
            entry = par["yields"].setdefault(key, {})
        entry.update(value=float(value), status="user", source="user override", note="",
                     spread=[float(value), float(value)])
    return par


def yields_markdown() -> str:
    """The table of every facility's parent yields per POT with sources, as markdown (the content of YIELDS.md)."""
    lines = ["# Parent yields per proton on target",
             "",
             "Generated from `generator/sources/data/facility_sources.toml` by "
             "`darkbeam.sources.facility_parameters.yields_markdown()` (a test checks that this file is in sync).",
             "Status: *published* (paper or collaboration release), *code* (used by public code; provenance keys "
             "[BdNMC], [DarkEFT], [alplib], [pyCEvNS]: public codes and their data files), *derived* (arithmetic "
             "on cited numbers, shown in the source column). Every value is user-overridable "
             "(`source_parameters(facility, overrides)`, `facility_meson_source(..., yield_per_pot=...)`).",
             ""]
    for name in facilities():
        par = source_parameters(name)
        tgt = par["target"]
        lines.append(f"## {name}")
        lines.append("")
        lines.append(f"{par['beam']} beam, {par['beam_kinetic_GeV']:g} GeV kinetic on {tgt['material']}; "
                     f"spectra: `{par['parametrization']}`.")
        lines.append("")
        rows = [(m, y) for m, y in par["yields"].items()]
        rows += [(f"{m} at rest ({y['location']})", y) for m, y in par["at_rest"].items()]
        nu = par.get("neutrinos", {}).get("per_flavor_per_pot")
        if nu:
            rows.append(("ν per flavour (π-DAR)", nu))
        if not rows:
            lines += ["No hadronic parents (electron beam): photons and e± come from the EM cascade.", ""]
            continue
        lines.append("| parent | per POT | spread | status | source | note |")
        lines.append("|---|---|---|---|---|---|")
        for meson, y in rows:
            lo, hi = y["spread"]
            lines.append(f"| {meson} | {y['value']:.4g} | {lo:.3g}–{hi:.3g} | {y['status']} | "
                         f"{y['source'].replace('|', '/')} | {y.get('note', '').replace('|', '/')} |")
        lines.append("")
    return "\n".join(lines)
