"""Photons and e± in a facility's target: meson-decay photons (or the electron beam) fed to the EM cascade.

Proton facilities: π⁰ and η (and η′ when documented) are sampled from the facility's meson sources
(:mod:`.mesons`), decayed to γγ (:mod:`.photons`) at their production points, and every photon is followed
through the target by :func:`.em_cascade.em_cascade`. Electron facilities (SLAC): the beam electrons are the
primaries, entering at the target face along +z. The result carries all photons above the cut and the e± and γ
track-length spectra per POT (or per electron on target) for Primakoff, Compton, bremsstrahlung and
annihilation channels.

The target is the facility's element (``data/facility_sources.toml``) as a cylinder of its length and radius
(radius unbounded when not documented).
"""

from __future__ import annotations

import dataclasses
import warnings

import numpy as np

from ..constants import PDG
from .em_cascade import CascadeResult, em_cascade
from .em_physics import M_E
from .facility_parameters import source_parameters
from .mesons import facility_meson_source
from .parents import Parents
from .photons import photons_from_decays

DEFAULT_MESONS = ("pi0", "eta", "etaprime")


def beam_primaries(energy: float, n: int, pdg: int = PDG["e-"]) -> Parents:
    """n beam particles of total energy ``energy`` (GeV) at the origin along +z, weight 1/n each (per POT)."""
    m = 0.0 if pdg == PDG["gamma"] else M_E
    p4 = np.zeros((n, 4))
    p4[:, 2], p4[:, 3] = np.sqrt(energy * energy - m * m), energy
    return Parents(np.full(n, pdg, dtype=np.int32), p4, np.zeros((n, 3)), np.zeros(n), np.full(n, 1.0 / n))


def meson_photons(facility: str, rng: np.random.Generator, n: int,
                  mesons: tuple[str, ...] = DEFAULT_MESONS, photon_cut: float = 0.0,
                  yields: dict[str, float] | None = None) -> Parents:
    """The photons of π⁰/η/η′ → γγ (``n`` mesons of each documented species, decayed at their
    production points inside the target), weights per POT; those below ``photon_cut`` GeV dropped.
    These are the primaries of the facility's EM cascade. ``yields`` overrides the documented
    mesons per POT (a card's ``[facility] yields``)."""
    par = source_parameters(facility, yields or None)
    batches = []
    for meson in mesons:
        if meson not in par["yields"]:
            continue
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # validity warnings were given by describe()/the card check
            src = facility_meson_source(facility, meson, par["yields"][meson]["value"])
        batch = photons_from_decays(src.sample(rng, n), rng)
        offset = sum(len(b) for b in batches)      # decays of different species are different units
        batches.append(dataclasses.replace(batch, index=batch.index + offset))
    if not batches:
        raise ValueError(f"{facility} has none of {mesons} documented")
    photons = Parents(*(np.concatenate([getattr(b, f) for b in batches])
                        for f in ("pdg", "p4", "vertex", "t", "weight", "index")))
    # mesons are produced on the beam axis inside the target
    return photons.select((photons.vertex[:, 2] <= par["target"]["length_m"]) & (photons.p4[:, 3] > photon_cut))


def facility_em_cascade(facility: str, rng: np.random.Generator, n: int = 10_000,
                        mesons: tuple[str, ...] = DEFAULT_MESONS, photon_cut: float = 1e-3,
                        electron_cut: float = 1e-3, yields: dict[str, float] | None = None,
                        **cascade_options) -> CascadeResult:
    """EM cascade in the target of ``facility`` started by ``n`` parents of each meson (or n beam electrons).

    Mesons without a documented yield at the facility are skipped. Weights are per POT; ``yields``
    overrides the documented mesons per POT.
    """
    par = source_parameters(facility, yields or None)
    tgt = par["target"]
    length, radius = tgt["length_m"], tgt.get("radius_m", np.inf)
    if par["beam"] == "electron":
        primaries = beam_primaries(par["beam_kinetic_GeV"] + M_E, n)
    else:
        primaries = meson_photons(facility, rng, n, mesons, yields=yields)
    return em_cascade(primaries, tgt["material"], rng, length=length, radius=radius, photon_cut=photon_cut,
                      electron_cut=electron_cut, **cascade_options)
