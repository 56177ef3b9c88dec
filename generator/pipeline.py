"""From a validated card to the objects of a run: facility, detector, model, channels, sources.

``build(card)`` does every check that needs the catalog or the physics (unknown preset, missing
yield, closed channel) before any event is generated; ``darkbeam check`` stops here.
"""

from __future__ import annotations

import dataclasses
import math
import os
import warnings

from dataclasses import dataclass, field

import numpy as np

from .card import Card
from .constants import C_M_PER_NS, PDG, mass
from .decays import DecaySignal
from .scattering import PROCESSES, ScatterSignal
from .scattering.signal import scatter_signal_from_card
from .timing import Pulse, pulse_or_notice
from .detectors import Detector, Facility, detector_from_dict, load_detector, load_facility, load_material
from .errors import CardError, CatalogError, InputFileError
from .models import from_card
from .production import expand_channels, make_channel
from .production.aiming import Aim
from .production.base import Channel
from .sources import facility_em_cascade, load_parents, source_parameters, stopped_parents
from .sources.parents import Parents
from .sources.target_em import meson_photons
from .sources.channel_parents import MESONS, BeamProtons, Pool, TargetMesons, TrackLengths
from .sources.meson_decays import at_rest_source, in_flight_source
from .sources.mesons import MesonSource, meson_source


@dataclass
class Plan:
    card: Card
    facility: Facility
    detector: Detector
    model: object
    channels: list
    sources: list[MesonSource | None]
    signal: DecaySignal | ScatterSignal
    pot: float
    notices: list[str] = field(default_factory=list)
    pulse: Pulse | None = None
    #: channel index → why it is closed (its zero's reason)
    closed_reasons: dict[int, str] = field(default_factory=dict)
    #: the warm-up's learned importance (channel index → ParentImportance) and its reports by
    #: channel name, once :func:`darkbeam.tuning.learn_importance` has run (None: not yet)
    learned: dict | None = None
    tuning_report: dict = field(default_factory=dict)

    @property
    def open_channels(self) -> list[int]:
        return [i for i, s in enumerate(self.sources) if s is not None]


def build_model(card: Card):
    """The model of the card's ``[model]`` block (:func:`darkbeam.models.from_card`)."""
    try:
        return from_card(card.model.spec())
    except ValueError as exc:
        msg = str(exc)
        msg = "[model] " + msg.removeprefix("model.") if msg.startswith("model.") else f"[model] {msg}"
        raise CardError(f"{card.source}: {msg}") from None


def build_detector(card: Card) -> Detector:
    sec = card.detector
    if sec.name is not None and not sec.model_extra:
        return load_detector(sec.name)
    spec = {k: v for k, v in (sec.model_extra or {}).items() if k != "response"}
    if sec.name is not None and not spec:
        return load_detector(sec.name)
    if sec.name is not None:
        spec["name"] = sec.name
    try:
        return detector_from_dict(spec, name=spec.get("name", "custom"))
    except (ValueError, CatalogError) as exc:
        raise CardError(f"{card.source}: [detector] {exc}") from None


#: what each scatter process needs to arrive at the detector (PDG ids)
_SCATTER_BEAM = {
    "dm_electron": {51, 52, -52}, "dm_nucleus": {51, 52, -52}, "dm_nucleon": {51, 52, -52},
    "inverse_primakoff": {9000005}, "inverse_compton": {9000005},
    "cevns": {12, -12, 14, -14, 16, -16}, "nu_electron": {12, -12, 14, -14, 16, -16},
}


def _check_scatter_beam(card: Card, model, channels: list) -> None:
    need = _SCATTER_BEAM.get(card.signal.process or "", set())
    for channel in channels:
        # channels of SM particles (π-DAR neutrinos) say what they make: ``produced_pdg``
        made = getattr(channel, "produced_pdg", None)
        made = made if made is not None else (model.dark_matter.pdgid if channel.name.endswith("_dm")
                and getattr(model, "dark_matter", None) is not None else model.pdgid)
        if made not in need:
            from .production import CHANNELS
            hint = (f" (channel {channel.name}_dm makes the X decay to χχ̄)"
                    if f"{channel.name}_dm" in CHANNELS and need & {51, 52} else "")
            raise CardError(
                f"{card.source}: [signal] process = {card.signal.process!r}: channel {channel.name} "
                f"makes PDG {made}, but this process needs one of {sorted(need)} at the detector{hint}")


def build_signal(card: Card, detector: Detector):
    """The detector signal of the card's ``[signal]`` and ``[cuts]`` blocks."""
    sig, cuts = card.signal, card.cuts
    if sig.kind == "decay":
        try:
            return DecaySignal(sig.final_state, cuts.energy_min,
                               np.inf if cuts.energy_max is None else cuts.energy_max,
                               sig.efficiency, polarization=sig.polarization)
        except ValueError as exc:
            raise CardError(f"{card.source}: [signal] final_state = {sig.final_state!r}: {exc}") from None
    if sig.process is None:
        raise CardError(f"{card.source}: [signal] kind = 'scatter' needs a process; known: "
                        f"{', '.join(PROCESSES)}")
    if sig.process not in PROCESSES:
        raise CardError(f"{card.source}: [signal] process = {sig.process!r}: expected one of "
                        f"{', '.join(PROCESSES)}")
    cut_values = {"energy_min": cuts.energy_min, "energy_max": cuts.energy_max,
                  "recoil_min": cuts.recoil_min, "recoil_max": cuts.recoil_max,
                  "angle_max": cuts.angle_max}
    response = (card.detector.model_extra or {}).get("response")
    opts = {"weak_couplings": sig.weak_couplings} if sig.weak_couplings is not None else {}
    return scatter_signal_from_card({"process": sig.process, "efficiency": sig.efficiency, **opts},
                                    cut_values, response, card.source)


#: parents outside constants.PDG (kaons)
PDG_EXTRA = {"K+": 321, "K-": -321, "K_L": 130, "K0L": 130}

#: what each channel needs from the model (for the error message)
_NEEDS = {"primakoff": "needs an ALP (type = 'alp')", "compton": "needs an ALP or a vector",
          "kaon_decay_charged": "needs a dark scalar (type = 'scalar')",
          "kaon_decay_long": "needs a dark scalar (type = 'scalar')",
          "scalar_proton_brem": "needs a dark scalar (type = 'scalar')",
          "pi0_decay_dm": "needs a vector with dark_matter", "eta_decay_dm": "needs a vector with dark_matter",
          "etaprime_decay_dm": "needs a vector with dark_matter",
          **{f"{c}_dm": "needs a vector with dark_matter" for c in ("rho_mixing", "omega_mixing", "phi_mixing",
                                                                   "proton_brem")}}

#: channels whose constructor takes the target material (z, a[, density])
_MATERIAL_KEYS = {"primakoff": ("z", "a"), "compton": ("z", "a"),
                  "electron_brem": ("z", "a", "density"), "positron_brem": ("z", "a", "density"),
                  "annihilation_resonant": ("z", "a", "density"),
                  "annihilation_gamma": ("z", "a", "density")}


def plan_beta(facility: Facility) -> float:
    """β of the beam particle."""
    m = mass(PDG["proton" if facility.beam_particle == "proton" else "e-"])
    return facility.beam_momentum / math.hypot(facility.beam_momentum, m)


def _make_channel(card: Card, name: str, facility: Facility):
    options = dict(card.production.options.get(name, {}))
    keys = _MATERIAL_KEYS.get(name, ())
    if keys:
        par = source_parameters(facility.name)["target"]
        material = load_material(facility.target_material)
        defaults = {"z": par["Z"], "a": par["A"], "density": material.density}
        options = {**{k: defaults[k] for k in keys}, **options}
    try:
        return make_channel(name, **options)
    except (TypeError, ValueError) as exc:
        raise CardError(f"{card.source}: [production] options.{name} = {options!r}: {exc}") from None


class LazyPool:
    """A :class:`Pool` built on first use: the EM cascade behind photon and e± pools is the
    slowest part of setting up a run, and ``darkbeam check`` should not pay for it. Built from
    the seed alone, so every process gets the same pool. ``tunable``: whether the run may learn
    an importance for it (:mod:`darkbeam.tuning`); a tilted copy shares the built pool."""

    def __init__(self, factory, tunable: bool = True, importance=None, base: "LazyPool | None" = None,
                 rate=None):
        self._factory = factory
        self._rate = rate
        self._pool = None
        self.tunable = tunable
        self._importance = importance
        self._base = base

    @property
    def pool(self) -> Pool:
        if self._pool is None:
            base = self._base.pool if self._base is not None else self._built()
            self._pool = base.tilted(self._importance) if self._importance is not None else base
        return self._pool

    def _built(self) -> Pool:
        pool = self._factory()
        if self._rate is None or len(pool.parents) == 0:
            return pool
        rate = self._rate(pool.parents.p4[:, 3])
        if rate is None or not np.any(rate > 0):
            return pool
        base = pool.preference if pool.preference is not None else np.ones(len(pool.parents))
        # drawn ∝ weight × X per parent: every draw then carries about the same production weight
        return dataclasses.replace(pool, preference=base * rate)

    def with_rate(self, rate) -> "LazyPool":
        """The pool drawn ∝ its preference × ``rate(energies)`` (a channel's X per parent)."""
        return LazyPool(self._factory, self.tunable, self._importance, rate=rate)

    @property
    def symmetric(self) -> bool:
        return self.pool.symmetric

    def sample(self, rng: np.random.Generator, n: int):
        return self.pool.sample(rng, n)

    def importance_bins(self):
        return self.pool.importance_bins()

    def tilted(self, importance) -> "LazyPool":
        root = self._base if self._base is not None else self
        return LazyPool(self._factory, self.tunable, importance, base=root)


class _ParentFeeds:
    """Builds the parent source of each channel; the EM cascade is run once and shared."""

    def __init__(self, card: Card, facility: Facility, beta: float, detector: Detector | None = None):
        self.card, self.facility, self.beta, self.detector = card, facility, beta, detector
        self._cascade = None
        self._file = None

    def user_parents(self):
        """All parents of the card's ``parents_file`` (read once; errors name the file)."""
        if self._file is None:
            prod = self.card.production
            try:
                # relative to the card, as include and pulse files are (os.path.join keeps an
                # absolute path as it is)
                self._file = load_parents(os.path.join(os.path.dirname(self.card.source or ""),
                                                       prod.parents_file), pot=prod.parents_pot)
            except (OSError, ValueError) as exc:
                raise InputFileError(f"{prod.parents_file}: {exc}") from None
        return self._file

    def _params(self) -> dict:
        try:
            return source_parameters(self.facility.name, self.card.facility.yields or None)
        except (KeyError, ValueError) as exc:
            raise CardError(f"{self.card.source}: [facility] {exc}") from None

    #: lowest energy (GeV) the card's photon/e± channels can use (:meth:`cascade`); set by build
    energy_cut: float = 1e-3

    def cascade(self):
        """The target's EM cascade, followed down to :attr:`energy_cut` (nothing below it can make
        the card's X), without its primary photons for a proton beam (:meth:`photons` draws those
        in larger number)."""
        if self._cascade is None:
            # its own stream, fixed by the seed: the same pool in every process and chunking
            rng = np.random.default_rng(np.random.SeedSequence(self.card.run.seed, spawn_key=(2**20,)))
            cut = max(1e-3, self.energy_cut)
            self._cascade = facility_em_cascade(
                self.facility.name, rng, n=self.card.production.cascade_parents, photon_cut=cut,
                electron_cut=cut, yields=self.card.facility.yields or None,
                record_primaries=self.facility.beam_particle != "proton")
        return self._cascade

    def photons(self) -> Parents:
        """Every photon state in the target: the meson-decay photons (``photon_primaries`` mesons of
        each species; they carry the forward, high-energy flux) and the cascade's secondaries."""
        res = self.cascade()
        if self.facility.beam_particle != "proton":
            return res.photons
        rng = np.random.default_rng(np.random.SeedSequence(self.card.run.seed, spawn_key=(2**20, 2)))
        primary = meson_photons(self.facility.name, rng, self.card.production.photon_primaries,
                                photon_cut=max(1e-3, self.energy_cut), yields=self.card.facility.yields or None)
        # the cascade's photons are units of their own (their shower correlations are neglected)
        units = np.concatenate([primary.index, primary.index.max(initial=-1) + 1 + np.arange(len(res.photons))])
        return Parents(*(np.concatenate([getattr(primary, f), getattr(res.photons, f)])
                         for f in ("pdg", "p4", "vertex", "t", "weight")), units)

    def _decaying(self, name: str, parent: str, at_rest: bool):
        """K±/π±/K⁰_L at their decay points (:mod:`darkbeam.sources.meson_decays`): at rest at the facility's
        stopping point, or the target spectrum decaying in flight in its decay region."""
        card, facility = self.card, self.facility
        where = f"{card.source}: [production] channels: {name}"
        species = {"K_L": "K0L"}.get(parent, parent)
        overrides = self.card.facility.yields or None
        try:
            if at_rest:
                return at_rest_source(facility, species, overrides=overrides)
            par = self._params()
            if species not in par["yields"]:
                raise ValueError(f"facility {facility.name} has no documented {species} yield per POT for decays "
                                 f"in flight; add [facility.yields] \"{species}\" = <number per POT>")
            src = meson_source(par["parametrization"], species, facility.beam_momentum,
                               par["yields"][species]["value"], 0.0, Z=par["target"]["Z"], A=par["target"]["A"])
            return in_flight_source(facility, species, TargetMesons(src, facility.target, self.beta))
        except (ValueError, CatalogError) as exc:
            raise CardError(f"{where}: {exc}") from None

    def source_for(self, name: str, parent: str | None, at_rest: bool = False, in_flight: bool = False):
        card, facility = self.card, self.facility
        where = f"{card.source}: [production] channels: {name}"
        if card.production.parents_file is not None:
            pdg = PDG.get(parent) if parent is not None else None
            if pdg is None:
                pdg = PDG_EXTRA.get(parent)
            parents = self.user_parents()
            chosen = parents.select(parents.pdg == pdg)
            if len(chosen) == 0:
                raise CardError(f"{where}: {card.production.parents_file} holds no {parent} "
                                f"(PDG {pdg}) parents")
            return Pool(chosen)
        # mesons at their decay points, t = decay time (sources.meson_decays); the π-DAR ν channels keep
        # their stopped π⁺ at t = 0 (they draw T_π themselves)
        if in_flight or (at_rest and not name.startswith("pion_dar")):
            return self._decaying(name, parent, at_rest)
        par = self._params()
        if parent == "pi+" and at_rest:
            # stopped π⁺ at the target centre, weight = the facility's ν per flavour per POT
            # (sources/data/facility_sources.toml, or [facility.yields] nu = ...)
            entry = par.get("neutrinos", {}).get("per_flavor_per_pot")
            if entry is None:
                raise CardError(f"{where}: facility {facility.name} has no stopped-pion neutrino yield; "
                                f"add [facility.yields] nu = <neutrinos per flavour per POT>")
            if entry.get("status") == "derived":
                warnings.warn(f"the {facility.name} neutrino yield {entry['value']} per flavour per POT is "
                              f"derived, not published ({entry['source']}); set [facility.yields] nu to "
                              f"override", stacklevel=2)
            return Pool(stopped_parents(facility.name, "pi+", 1024, yield_per_pot=entry["value"]), sampled=False)
        if name == "piminus_capture":
            # π⁻ captured at rest (not the in-flight π⁻ spectrum of the meson branch below)
            if "pi_minus_capture" not in par["yields"]:
                raise CardError(f"{where}: facility {facility.name} has no π⁻ capture yield; add "
                                f"[facility.yields] pi_minus_capture = <per POT>")
            return Pool(stopped_parents(facility.name, "pi-", 1024), sampled=False)
        if parent in MESONS:
            if parent not in par["yields"]:
                raise CardError(f"{card.source}: [facility] yields: facility {facility.name} has no "
                                f"documented {parent} yield per POT; add [facility.yields] {parent} = "
                                f"<number per POT>")
            try:
                src = meson_source(par["parametrization"], parent, facility.beam_momentum,
                                   par["yields"][parent]["value"], 0.0,
                                   Z=par["target"]["Z"], A=par["target"]["A"])
            except ValueError as exc:
                raise CardError(f"{where}: {exc}") from None
            return TargetMesons(src, facility.target, self.beta)
        if parent == "proton":
            if facility.beam_particle != "proton":
                raise CardError(f"{where}: needs a proton beam; {facility.name} has {facility.beam_particle}s")
            return BeamProtons(facility.beam_momentum, facility.target, self.beta)
        if parent == "gamma":
            def photon_pool() -> Pool:
                photons = self.photons()
                if facility.target is not None and facility.target.point_like:
                    photons = dataclasses.replace(photons, vertex=np.zeros_like(photons.vertex),
                                                  t=np.zeros_like(photons.t))
                # drawn ∝ weight (meson-decay photons and cascade secondaries differ ~50× in weight);
                # the cascade is symmetric about the beam axis: the pool may be rotated in azimuth
                return Pool(photons, preference=np.maximum(photons.weight, 0.0), symmetric=True)
            return LazyPool(photon_pool, tunable=card.production.aim_photons)
        if parent in ("e-", "e+"):
            # drawn afresh from the cascade's track-length spectrum in every block (not a pool)
            def spectrum():
                res = self.cascade()
                return res.energy_edges, res.track_length[parent]
            return TrackLengths(spectrum, PDG[parent])
        raise CardError(f"{where}: no {parent} source exists at {facility.name} yet "
                        f"(kaon decay points are not modelled); choose another channel")


def facility_for_card(card: Card) -> Facility:
    """The card's facility, with its ``[facility] target`` override applied (``kind = "point"``:
    every production vertex at the origin, :class:`~darkbeam.geometry.Target` ``point_like``)."""
    facility = load_facility(card.facility.name)
    option = card.facility.target
    if option is not None and option.kind == "point":
        facility = dataclasses.replace(facility, target=dataclasses.replace(facility.target, point_like=True))
    return facility


def _light_reference_notice(card: Card, facility_name: str, detector: Detector, pulse: Pulse | None) -> str:
    """What t = 0 of a ``time_reference = "light"`` window is, in numbers (darkbeam.timing.cuts)."""
    edge = 0.0 if pulse is None else pulse.leading_edge
    centre, _ = detector.bounding_sphere()
    flight = float(np.linalg.norm(centre)) / C_M_PER_NS
    t0, t1 = card.cuts.time_window
    return (f"cuts: time_window [{t0:.6g}, {t1:.6g}] ns after the light arrival: t = 0 when light leaving the "
            f"target at the pulse's leading edge (t = {edge:.6g} ns on the {facility_name} clock) reaches the "
            f"event vertex ({flight:.4g} ns later at the detector's centre); i.e. t = "
            f"[{t0 + edge + flight:.6g}, {t1 + edge + flight:.6g}] ns on the clock at the centre")


def build(card: Card) -> Plan:
    """Check everything a run needs and assemble it (no event is generated)."""
    facility = facility_for_card(card)
    detector = build_detector(card)
    model = build_model(card)
    signal = build_signal(card, detector)
    pot = card.facility.pot if card.facility.pot is not None else facility.pot
    notices: list[str] = list(getattr(model, "notices", ()))
    pulse, pulse_note = pulse_or_notice(facility.name, card.facility.pulse, source=card.source)
    if pulse_note:
        notices.append(pulse_note)
    if card.cuts.time_window is not None and card.cuts.time_reference == "light":
        notices.append(_light_reference_notice(card, facility.name, detector, pulse))
    channels, sources, closed = [], [], {}
    closed_signal = signal.closed_reason(model)
    if closed_signal:
        notices.append(closed_signal)
    feeds = _ParentFeeds(card, facility, plan_beta(facility), detector)
    for name in expand_channels(card.production.channels):   # groups → their channels
        channel = _make_channel(card, name, facility)
        if card.production.aim:   # dark particles drawn toward the detector (production.aiming)
            fraction = card.production.aim_fraction
            channel = channel.aimed_at(Aim(*detector.bounding_sphere(), fraction=(
                channel.default_aim_fraction if fraction is None else fraction), hull=detector.hull()))
        channels.append(channel)
        if not channel.accepts(model):
            raise CardError(f"{card.source}: [production] channels: {name} does not apply to a "
                            f"{type(model).__name__} model ({_NEEDS.get(name, 'see darkbeam info channels')})")
        reason = channel.closed_reason(model)
        if reason or closed_signal:
            if reason:
                notices.append(reason)
            closed[len(channels) - 1] = reason or closed_signal
            sources.append(None)
            continue
        source = feeds.source_for(name, getattr(channel, "parent", None), getattr(channel, "parent_at_rest", False),
                                  getattr(channel, "parent_in_flight", False))
        if isinstance(source, (LazyPool, TrackLengths)) and type(channel).parent_rate is not Channel.parent_rate:
            source = source.with_rate(lambda e, c=channel: c.parent_rate(model, e))
        sources.append(source)
    # nothing below the lowest threshold of the photon/e± channels can make X: the cascade stops there
    thresholds = [c.parent_energy_threshold(model) for c, src in zip(channels, sources)
                  if src is not None and getattr(c, "parent", None) in ("gamma", "e-", "e+")]
    feeds.energy_cut = min(thresholds, default=0.0)
    if card.signal.kind == "scatter":
        _check_scatter_beam(card, model, channels)
    else:
        sm = [c.name for c in channels if getattr(c, "produced_pdg", None) is not None]
        if sm:
            raise CardError(f"{card.source}: [signal] kind = 'decay': channel(s) {', '.join(sm)} make "
                            f"Standard-Model neutrinos; use kind = 'scatter' with process 'cevns' or "
                            f"'nu_electron'")
    return Plan(card, facility, detector, model, channels, sources, signal, pot, notices, pulse, closed)
