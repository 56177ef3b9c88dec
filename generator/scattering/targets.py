"""Scattering centres of a detector material: nuclei (Z, A, number density) and electrons.

Number densities from the catalog's mass fractions: n_i = ρ N_A w_i / A_i (ρ in g/cm³, A in g/mol,
result converted to m⁻³); n_e = Σ Z_i n_i (all atomic electrons, free-electron approximation).
"""

from __future__ import annotations

from dataclasses import dataclass

from ..constants import AVOGADRO
from ..errors import DarkbeamError
from .form_factors import nuclear_mass


@dataclass(frozen=True)
class Nucleus:
    """A nuclear species: charge ``z``, atomic mass ``a`` (u), number density ``density`` (m⁻³)."""

    z: int
    a: float
    density: float

    @property
    def n(self) -> int:
        """Neutron number N = round(A) − Z."""
        return int(round(self.a)) - self.z

    @property
    def mass(self) -> float:
        """Nuclear mass in GeV (A u − Z m_e)."""
        return nuclear_mass(self.z, self.a)

    @property
    def pdgid(self) -> int:
        """PDG nuclear code 10LZZZAAAI (L = I = 0)."""
        return 1000000000 + 10000 * self.z + 10 * int(round(self.a))


@dataclass(frozen=True)
class Targets:
    """Nuclei and electron number density (m⁻³) of a detector medium."""

    nuclei: tuple[Nucleus, ...]
    electron_density: float

    @classmethod
    def from_list(cls, nuclei: list[tuple[int, float, float]], electron_density: float | None = None
                  ) -> "Targets":
        """From (Z, A, n per m³) triples; the electron density defaults to Σ Z n."""
        nuc = tuple(Nucleus(int(z), float(a), float(n)) for z, a, n in nuclei)
        for x in nuc:
            if x.z < 1 or x.a < x.z or x.density < 0:
                raise DarkbeamError(f"bad target nucleus Z={x.z}, A={x.a}, n={x.density} m^-3: "
                                    "expected Z >= 1, A >= Z, n >= 0")
        ne = sum(x.z * x.density for x in nuc) if electron_density is None else float(electron_density)
        return cls(nuc, ne)


def targets_from_material(material) -> Targets:
    """Targets of a :class:`darkbeam.detectors.Material` (``density`` g/cm³, ``components`` (Z, A, w))."""
    nuclei = [(z, a, material.density * AVOGADRO * w / a * 1e6) for z, a, w in material.components]
    return Targets.from_list(nuclei)
