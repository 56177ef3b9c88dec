"""Materials: composition → number densities of nuclei and electrons, X₀, λ_I.

Data: ``data/elements.toml`` (Z, A, X₀, λ_I per element, PDG), ``data/materials.toml``
(density and composition per material) and ``data/isotopes.toml`` (natural isotopic compositions,
IUPAC 2013 via NIST). Units: density g/cm³, X₀ and λ_I in g/cm², lengths in m,
number densities per cm³ (so that n·σ with σ in cm² is per cm).
"""

from __future__ import annotations

import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from importlib import resources
from typing import Any

import numpy as np

from ..errors import CatalogError

_DATA = resources.files(__package__) / "data"
N_A = 6.02214076e23  # Avogadro constant (mol⁻¹), exact (SI 2019)


@dataclass(frozen=True)
class Material:
    """A material: density (g/cm³), components (Z, A g/mol, mass fraction), X₀ and λ_I (g/cm²)."""

    name: str
    density: float
    components: tuple[tuple[int, float, float], ...]
    X0: float
    lambda_I: float
    description: str = ""
    symbols: tuple[str, ...] = field(default=())

    @property
    def interaction_length_m(self) -> float:
        """Nuclear interaction length in metres (λ_I / ρ)."""
        return self.lambda_I / self.density / 100.0

    @property
    def radiation_length_m(self) -> float:
        """Radiation length in metres (X₀ / ρ)."""
        return self.X0 / self.density / 100.0

    def nuclei_per_cm3(self) -> dict[int, float]:
        """Number density of nuclei per element Z (cm⁻³): ρ w N_A / A."""
        out: dict[int, float] = {}
        for z, a, w in self.components:
            out[z] = out.get(z, 0.0) + self.density * w * N_A / a
        return out

    def electrons_per_cm3(self) -> float:
        """Number density of electrons (cm⁻³): Σ Z n_Z."""
        return float(sum(z * n for z, n in self.nuclei_per_cm3().items()))

    @property
    def mean_Z(self) -> float:
        """Nucleus-number-weighted mean Z."""
        n = self.nuclei_per_cm3()
        return float(sum(z * v for z, v in n.items()) / sum(n.values()))


@lru_cache(maxsize=None)
def _table(file: str) -> dict[str, dict[str, Any]]:
    with (_DATA / file).open("rb") as fh:
        return tomllib.load(fh)


def natural_isotopes(symbol: str) -> tuple[tuple[int, float, float], ...]:
    """Stable isotopes of element ``symbol`` as (mass number, atomic mass u, abundance atom fraction),
    from ``data/isotopes.toml`` (IUPAC 2013 representative compositions, AME masses, via NIST)."""
    table = _table("isotopes.toml")
    if symbol not in table:
        raise CatalogError(f"no isotopic composition for element {symbol!r} in isotopes.toml; known: "
                           f"{', '.join(table)}")
    return tuple((int(a), float(m), float(x)) for a, m, x in table[symbol])


def list_materials() -> list[str]:
    """Names of the materials in the catalog."""
    return sorted(_table("materials.toml"))


def load_material(name: str) -> Material:
    """Material ``name`` from ``data/materials.toml``; raises :class:`CatalogError` if unknown."""
    table = _table("materials.toml")
    if name not in table:
        raise CatalogError(f"unknown material {name!r}; known: {', '.join(sorted(table))}")
    return material_from_dict(table[name], name=name, where=f"materials.toml [{name}]")


def _from_number_densities(spec: dict[str, Any], name: str, where: str) -> Material:
    """A material from ``number_densities`` = {symbol: atoms per cm³}: ρ = Σ nᵢAᵢ/N_A, wᵢ = nᵢAᵢ/Σ nⱼAⱼ."""
    elements = _table("elements.toml")
    nd = spec["number_densities"]
    extra = sorted(set(spec) & {"density", "formula", "mass_fractions"})
    if extra:
        raise CatalogError(f"{where}: number_densities sets the density and composition; remove "
                           f"{', '.join(extra)}")
    if not isinstance(nd, dict) or not nd:
        raise CatalogError(f"{where}: number_densities = {nd!r}: expected a table {{symbol = atoms per cm3}}")
    unknown = [s for s in nd if s not in elements]
    if unknown:
        raise CatalogError(f"{where}: number_densities: unknown element(s) {', '.join(unknown)}; known: "
                           f"{', '.join(elements)}")
    bad = {k: v for k, v in nd.items() if isinstance(v, bool) or not isinstance(v, (int, float)) or not v > 0
           or not np.isfinite(v)}
    if bad:
        raise CatalogError(f"{where}: number_densities {bad}: expected positive numbers (atoms per cm3)")
    mass = {s: nd[s] * elements[s]["A"] / N_A for s in nd}          # g/cm³ per element
    density = sum(mass.values())
    rest = {k: v for k, v in spec.items() if k != "number_densities"}
    return material_from_dict({**rest, "density": density, "mass_fractions": mass}, name=name, where=where)


def material_from_dict(spec: dict[str, Any], *, name: str, where: str = "material") -> Material:
    """Build a material from a mapping with the layout of ``materials.toml``: ``density`` (g/cm³) and
    one of ``formula`` (atoms per molecule) or ``mass_fractions`` (by element symbol), or instead
    ``number_densities`` (atoms per cm³ by element symbol; density and mass fractions follow)."""
    if not isinstance(spec, dict):
        raise CatalogError(f"{where}: expected a table with density and formula/mass_fractions, or "
                           f"number_densities; got {spec!r}")
    known = {"density", "formula", "mass_fractions", "number_densities", "X0", "lambda_I", "description",
             "name"}
    unknown_keys = sorted(set(spec) - known)
    if unknown_keys:
        raise CatalogError(f"{where}: unknown key(s) {', '.join(unknown_keys)}; known: {', '.join(sorted(known))}")
    if "number_densities" in spec:
        return _from_number_densities(spec, name, where)
    elements = _table("elements.toml")
    density = spec.get("density")
    if isinstance(density, bool) or not isinstance(density, (int, float)) or not density > 0:
        raise CatalogError(f"{where}: density = {density!r}: expected a positive number (g/cm3)")
    if ("formula" in spec) == ("mass_fractions" in spec):
        raise CatalogError(f"{where}: give exactly one of 'formula' (atoms per molecule) or "
                           "'mass_fractions'")
    comp = spec.get("formula") or spec.get("mass_fractions")
    if not isinstance(comp, dict) or not comp:
        raise CatalogError(f"{where}: composition {comp!r}: expected a table {{symbol = number}}")
    unknown = [s for s in comp if s not in elements]
    if unknown:
        raise CatalogError(f"{where}: unknown element(s) {', '.join(unknown)}; known: "
                           f"{', '.join(elements)}")
    if any(isinstance(v, bool) or not (isinstance(v, (int, float)) and v > 0) for v in comp.values()):
        raise CatalogError(f"{where}: composition {comp}: expected positive numbers")
    symbols = tuple(comp)
    if "formula" in spec:
        mass = np.array([comp[s] * elements[s]["A"] for s in symbols], dtype=float)
    else:
        mass = np.array([comp[s] for s in symbols], dtype=float)
    w = mass / mass.sum()
    components = tuple((int(elements[s]["Z"]), float(elements[s]["A"]), float(wi))
                       for s, wi in zip(symbols, w))
    x0 = spec.get("X0") or 1.0 / sum(wi / elements[s]["X0"] for s, wi in zip(symbols, w))
    lam = spec.get("lambda_I") or 1.0 / sum(wi / elements[s]["lambda_I"] for s, wi in zip(symbols, w))
    return Material(name, float(density), components, float(x0), float(lam),
                    spec.get("description", ""), symbols)
