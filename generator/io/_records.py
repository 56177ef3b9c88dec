"""Flat views of an event block for the record-based formats (HepMC3, LHE, HEPEVT).

Events are grouped by *topology* (number of particles and the mother of each), so that each group
is a dense (events × particles) matrix per field and a writer can build its text column-wise.
"""

from __future__ import annotations

from dataclasses import dataclass

import awkward as ak
import numpy as np


@dataclass(frozen=True)
class Topology:
    """Events of one block that share the particle count and the mother indices."""

    rows: np.ndarray            #: indices of these events in the block
    mothers: tuple[int, ...]    #: mother index of each particle (−1: none), 0-based in the event
    particles: dict[str, np.ndarray]  #: field → (len(rows), n_particles) array

    @property
    def n(self) -> int:
        return len(self.mothers)

    def children(self, j: int) -> list[int]:
        return [k for k, m in enumerate(self.mothers) if m == j]

    @property
    def decayed(self) -> list[int]:
        """Particles that have children (each ends in one vertex), in record order."""
        return sorted({m for m in self.mothers if m >= 0})


def topologies(events: ak.Array) -> list[Topology]:
    """Group the events of a block by topology (vectorised; one numpy pass per group)."""
    parts = events.particles
    counts = ak.to_numpy(ak.num(parts)).astype(np.int64)
    flat = {k: ak.to_numpy(ak.flatten(parts[k])) for k in parts.fields}
    n_ev = len(counts)
    if n_ev == 0:
        return []
    offsets = np.zeros(n_ev + 1, dtype=np.int64)
    np.cumsum(counts, out=offsets[1:])
    event_of = np.repeat(np.arange(n_ev), counts)
    pos = np.arange(len(event_of)) - offsets[event_of]
    mother = flat["mother"].astype(np.int64)
    bad = (mother < -1) | (mother >= pos)
    if bad.any():
        i = int(np.argmax(bad))
        raise ValueError(f"event {int(event_of[i])}: particle {int(pos[i])} has mother {int(mother[i])}; "
                         "mothers must come before their daughters (index −1 for none)")
    width = int(counts.max()) + 1
    key = np.full((n_ev, width), -2, dtype=np.int64)
    key[:, 0] = counts
    key[event_of, 1 + pos] = mother
    if bool(np.all(key == key[0])):          # the usual case: one topology in the block
        uniq, inverse = key[:1], np.zeros(n_ev, dtype=np.int64)
    else:
        uniq, inverse = np.unique(key, axis=0, return_inverse=True)
        inverse = inverse.ravel()
    out = []
    for u, row in enumerate(uniq):
        rows = np.flatnonzero(inverse == u)
        n = int(row[0])
        take = offsets[rows][:, None] + np.arange(n)[None, :]
        out.append(Topology(rows=rows, mothers=tuple(int(m) for m in row[1:1 + n]),
                            particles={k: v[take] for k, v in flat.items()}))
    return out


def invariant_mass(px: np.ndarray, py: np.ndarray, pz: np.ndarray, E: np.ndarray) -> np.ndarray:
    """m = sqrt(max(E² − p², 0)) (GeV)."""
    m2 = E * E - (px * px + py * py + pz * pz)
    return np.sqrt(np.maximum(m2, 0.0))


def generated_mass(pdg: np.ndarray, px: np.ndarray, py: np.ndarray, pz: np.ndarray,
                   E: np.ndarray, x_pdg: np.ndarray | None = None,
                   x_mass: np.ndarray | None = None) -> np.ndarray:
    """Mass column for the text formats (GeV): the invariant mass of the four-momentum, replaced by
    the PDG mass (``particle`` tables, via :func:`darkbeam.constants.mass`) where the two agree to
    1e-6·E, so that a photon gets exactly 0 and an electron exactly 0.51099895 MeV (detector
    simulations such as Geant4 take the mass column literally). The dark particle X (``x_pdg``,
    per event) gets the event's ``x_mass`` under the same condition; other unknown codes keep the
    invariant mass. Arrays are (events, particles); ``x_pdg``/``x_mass`` are per event."""
    from ..constants import mass as pdg_mass

    m = invariant_mass(px, py, pz, E)
    codes, inverse = np.unique(pdg, return_inverse=True)
    table = np.full(len(codes), np.nan)
    for i, code in enumerate(codes.tolist()):   # loop over distinct PDG codes only (a handful)
        try:
            table[i] = pdg_mass(int(code))
        except Exception:       # no such particle or no mass in the tables: keep the invariant mass
            pass
    ref = table[inverse.reshape(pdg.shape)]
    if x_pdg is not None and x_mass is not None:
        is_x = pdg == np.asarray(x_pdg)[:, None]
        ref = np.where(is_x, np.asarray(x_mass, dtype=np.float64)[:, None], ref)
    snap = np.isfinite(ref) & (np.abs(m - ref) <= 1e-6 * np.abs(E) + 1e-12)
    return np.where(snap, ref, m)
