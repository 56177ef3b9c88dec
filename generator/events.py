"""The event record: one awkward Array per batch of events.

Every event is one dark particle X that produced a signal in the detector. Fields (units: GeV, m,
ns; frame: the facility frame of DESIGN.md):

Weights (DESIGN.md "Weights")
    ``weight``        expected number of such events for the run's POT, after cuts (Σ = signal)
    ``w_production``  expected number of such X per POT (parent yield × BR or conversion prob.)
    ``p_decay``       probability that X decays inside the detector (1 for scattering signals)
    ``p_interact``    probability that X scatters in the detector (1 for decay signals)
    ``br``            branching ratio of the detected final state
    ``efficiency``    detector efficiency applied (1 without response)
    ``importance``    importance-sampling factor already folded into ``w_production``
                       (kept for bookkeeping; weight = pot · w_production · p_decay · p_interact · br · efficiency)
Reweighting inputs
    ``channel``       production-channel id (index into the run's channel list; names in metadata)
    ``parent_pdg``    PDG id of the parent of X (e.g. 111 for π⁰ → γX)
    ``x_pdg``, ``x_mass``, ``x_energy``, ``x_beta_gamma``   X identity, mass, lab energy, βγ = p/m
    ``l_in``, ``l_out``   entry and exit distance of X's line through the detector (m, from the
                       production vertex)
Times
    ``t``             time (ns) of the detected vertex, from the proton's arrival at the target
    ``delay``         t minus the arrival time of a speed-of-light particle from the same proton's
                       interaction point to the same vertex (ns, ≥ 0)
Vertices
    ``prod_x/y/z``    production vertex of X (m);  ``vtx_x/y/z``  decay or scatter vertex (m)
Particles (jagged, one list per event, in the order parent, siblings, X, products)
    ``particles.pdg``, ``.status`` (HepMC convention: 1 final, 2 decayed, 4 incoming/beam),
    ``.mother`` (index of the mother within the event, −1 for none), ``.px .py .pz .E`` (GeV),
    ``.x .y .z`` (m) and ``.t`` (ns) of the vertex where the particle was produced.
"""

from __future__ import annotations

import awkward as ak
import numpy as np

#: scalar fields and dtypes, in output order
SCALAR_FIELDS: dict[str, str] = {
    "weight": "float64", "w_production": "float64", "p_decay": "float64", "p_interact": "float64",
    "br": "float64", "efficiency": "float64", "importance": "float64",
    "channel": "int16", "parent_pdg": "int32", "x_pdg": "int32", "x_mass": "float64",
    "x_energy": "float64", "x_beta_gamma": "float64", "l_in": "float64", "l_out": "float64",
    "t": "float64", "delay": "float64",
    "prod_x": "float64", "prod_y": "float64", "prod_z": "float64",
    "vtx_x": "float64", "vtx_y": "float64", "vtx_z": "float64",
}
#: per-particle fields and dtypes
PARTICLE_FIELDS: dict[str, str] = {
    "pdg": "int32", "status": "int8", "mother": "int16",
    "px": "float64", "py": "float64", "pz": "float64", "E": "float64",
    "x": "float64", "y": "float64", "z": "float64", "t": "float64",
}
#: names of the multiplicative weight factors (for writers that store named weights)
WEIGHT_NAMES = ("weight", "w_production", "p_decay", "p_interact", "br", "efficiency", "importance")


def make_events(scalars: dict[str, np.ndarray], particles: dict[str, np.ndarray],
                n_particles: int | np.ndarray) -> ak.Array:
    """Build an event batch from flat columns.

    ``scalars`` maps every name of :data:`SCALAR_FIELDS` to an array of length n_events;
    ``particles`` maps every name of :data:`PARTICLE_FIELDS` to a flat array holding the particles
    of all events in order; ``n_particles`` is their count per event (an int for a fixed count).
    """
    missing = (set(SCALAR_FIELDS) - set(scalars)) | (set(PARTICLE_FIELDS) - set(particles))
    if missing:
        raise KeyError(f"event record misses fields {sorted(missing)}")
    n_events = len(scalars["weight"])
    counts = (np.full(n_events, n_particles, dtype=np.int64) if np.isscalar(n_particles)
              else np.asarray(n_particles, dtype=np.int64))
    flat = ak.zip({k: np.ascontiguousarray(particles[k], dtype=v) for k, v in PARTICLE_FIELDS.items()})
    fields = {k: np.ascontiguousarray(scalars[k], dtype=v) for k, v in SCALAR_FIELDS.items()}
    fields["particles"] = ak.unflatten(flat, counts)
    return ak.zip(fields, depth_limit=1)


def empty_events() -> ak.Array:
    """A batch with zero events and the full schema."""
    return make_events({k: np.empty(0) for k in SCALAR_FIELDS},
                       {k: np.empty(0) for k in PARTICLE_FIELDS}, 0)


def concatenate(batches: list[ak.Array]) -> ak.Array:
    """Concatenate batches in order (an empty list gives an empty batch)."""
    batches = [b for b in batches if len(b)]
    if not batches:
        return empty_events()
    return ak.concatenate(batches) if len(batches) > 1 else batches[0]
