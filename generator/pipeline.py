"""From a validated card to the objects of a run: facility, detector, model, channels, sources.

``build(card)`` does every check that needs the catalog or the physics (unknown preset, missing
yield, closed channel) before any event is generated; ``darkbeam check`` stops here.
"""

from __future__ import annotations

from dataclasses import dataclass, field

import numpy as np

from .card import Card
from .constants import PDG, mass
from .decays import DecaySignal
from .scattering import PROCESSES, ScatterSignal
from .scattering.signal import scatter_signal_from_card
from .timing import Pulse, pulse_or_notice
from .detectors import Detector, Facility, detector_from_dict, load_detector, load_facility
from .errors import CardError, CatalogError
from .models import from_card
from .production import make_channel
from .sources import source_parameters
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

    @property
    def beam_mass(self) -> float:
        """Mass of the beam particle (GeV)."""
        return mass(PDG[{"proton": "proton", "electron": "e-"}.get(self.facility.beam_particle,
                                                                    self.facility.beam_particle)])

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
        made = getattr(channel, "produced_pdg", lambda m: m.pdgid)(model)
        if made not in need:
            raise CardError(
                f"{card.source}: [signal] process = {card.signal.process!r}: channel {channel.name} "
                f"makes PDG {made}, but this process needs one of {sorted(need)} at the detector")


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
    return scatter_signal_from_card({"process": sig.process, "efficiency": sig.efficiency},
                                    cut_values, response, card.source)


def build(card: Card) -> Plan:
    """Check everything a run needs and assemble it (no event is generated)."""
    facility = load_facility(card.facility.name)
    detector = build_detector(card)
    model = build_model(card)
    signal = build_signal(card, detector)
    pot = card.facility.pot if card.facility.pot is not None else facility.pot
    notices: list[str] = []
    pulse, pulse_note = pulse_or_notice(facility.name, card.facility.pulse, source=card.source)
    if pulse_note:
        notices.append(pulse_note)
    channels, sources = [], []
    closed_signal = signal.closed_reason(model)
    if closed_signal:
        notices.append(closed_signal)
    for name in card.production.channels:
        channel = make_channel(name)
        channels.append(channel)
        if not channel.accepts(model):
            raise CardError(f"{card.source}: [production] channels: {name} needs a vector "
                            f"mediator; the [model] block makes a {type(model).__name__}")
        reason = channel.closed_reason(model)
        if reason or closed_signal:
            if reason:
                notices.append(reason)
            sources.append(None)
            continue
        meson = channel.meson
        try:
            par = source_parameters(facility.name, card.facility.yields or None)
        except (KeyError, ValueError) as exc:
            raise CardError(f"{card.source}: [facility] {exc}") from None
        if meson not in par["yields"]:
            raise CardError(f"{card.source}: [facility] yields: facility {facility.name} has no "
                            f"documented {meson} yield per POT; add [facility.yields] {meson} = "
                            f"<number per POT>")
        try:
            # production points come from the catalog's target model (run._block), so the
            # spectrum source itself samples none (target_length = 0)
            src = meson_source(par["parametrization"], meson, facility.beam_momentum,
                               par["yields"][meson]["value"], 0.0,
                               Z=par["target"]["Z"], A=par["target"]["A"])
        except ValueError as exc:
            raise CardError(f"{card.source}: [production] channels: {name}: {exc}") from None
        sources.append(src)
    if card.signal.kind == "scatter":
        _check_scatter_beam(card, model, channels)
    return Plan(card, facility, detector, model, channels, sources, signal, pot, notices, pulse)
