"""Scattering centres of a detector material: nuclei (Z, A, number density) and electrons.

Number densities from the catalog's mass fractions: n_el = ρ N_A w_el / A_el for each element
(ρ in g/cm³, A the standard atomic weight in g/mol, result converted to m⁻³), then split into the
element's stable isotopes, n_iso = x_iso n_el with the natural abundances x_iso
(``darkbeam.detectors`` ``data/isotopes.toml``: IUPAC 2013 representative compositions, AME masses)
— each isotope its own nucleus with its own N = A − Z, mass and Helm radius. A card may name one
isotope of an element instead (an enriched target). n_e = Σ Z n (all atomic electrons,
free-electron approximation).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from ..constants import AVOGADRO
from ..errors import DarkbeamError
from .form_factors import nuclear_mass


@dataclass(frozen=True)
class Nucleus:
    """A nuclear species: charge ``z``, atomic mass ``a`` (u), number density ``density`` (m⁻³) and,
    for one isotope, its ``mass_number`` (default: round(a))."""

    z: int
    a: float
    density: float
    mass_number: int | None = None

    @property
    def mass_number_a(self) -> int:
        """Mass number A (``mass_number``, or round(a) when not given)."""
        return int(round(self.a)) if self.mass_number is None else int(self.mass_number)

    @property
    def n(self) -> int:
        """Neutron number N = A − Z."""
        return self.mass_number_a - self.z

    @property
    def mass(self) -> float:
        """Nuclear mass in GeV (A u − Z m_e)."""
        return nuclear_mass(self.z, self.a)

    @property
    def pdgid(self) -> int:
        """PDG nuclear code 10LZZZAAAI (L = I = 0)."""
        return 1000000000 + 10000 * self.z + 10 * self.mass_number_a


@dataclass(frozen=True)
class Targets:
    """Nuclei and electron number density (m⁻³) of a detector medium."""

    nuclei: tuple[Nucleus, ...]
    electron_density: float

    @classmethod
    def from_list(cls, nuclei: list[tuple], electron_density: float | None = None) -> "Targets":
        """From (Z, A, n per m³) triples or (Z, A, n, mass number) tuples; the electron density
        defaults to Σ Z n."""
        nuc = tuple(Nucleus(int(x[0]), float(x[1]), float(x[2]), None if len(x) < 4 else int(x[3]))
                    for x in nuclei)
        for x in nuc:
            if x.z < 1 or x.a < x.z or x.density < 0 or x.mass_number_a < x.z:
                raise DarkbeamError(f"bad target nucleus Z={x.z}, A={x.a}, n={x.density} m^-3: "
                                    "expected Z >= 1, A >= Z, n >= 0")
        ne = sum(x.z * x.density for x in nuc) if electron_density is None else float(electron_density)
        return cls(nuc, ne)


def targets_from_material(material, isotopes: Mapping[str, int] | None = None) -> Targets:
    """Targets of a :class:`darkbeam.detectors.Material` (``density`` g/cm³, ``components`` (Z, A, w),
    ``symbols``): every element split into its natural isotopes, or, for an element named in
    ``isotopes`` ({symbol: mass number}), that one isotope carrying all its nuclei.

    A material without element symbols (built by hand) keeps one nucleus per element with
    N = round(A) − Z.
    """
    from ..detectors.materials import natural_isotopes
    isotopes = dict(isotopes or {})
    symbols = tuple(getattr(material, "symbols", ()) or ())
    bad = sorted(set(isotopes) - set(symbols))
    if bad:
        raise DarkbeamError(f"isotopes: element(s) {', '.join(bad)} not in material "
                            f"{getattr(material, 'name', '?')} ({', '.join(symbols) or 'no symbols'})")
    nuclei = []
    for k, (z, a, w) in enumerate(material.components):
        n_el = material.density * AVOGADRO * w / a * 1e6          # nuclei per m³ of this element
        if k >= len(symbols):
            nuclei.append((z, a, n_el))
            continue
        natural = natural_isotopes(symbols[k])
        if symbols[k] in isotopes:
            want = isotopes[symbols[k]]
            chosen = [iso for iso in natural if iso[0] == want]
            if not chosen:
                raise DarkbeamError(f"isotopes: {symbols[k]} = {want!r}: expected one of the stable "
                                    f"isotopes {', '.join(str(i[0]) for i in natural)}")
            natural = ((chosen[0][0], chosen[0][1], 1.0),)
        nuclei.extend((z, m_iso, x * n_el, a_iso) for a_iso, m_iso, x in natural)
    return Targets.from_list(nuclei)
