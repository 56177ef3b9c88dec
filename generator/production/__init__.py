"""darkbeam.production — channels that turn parents into dark particles.

Every channel has the same interface (:class:`~darkbeam.production.base.Channel`):

``name``                  registry key (see :data:`CHANNELS`)
``parent``                parent species it needs from a source (a key of
                          :data:`darkbeam.constants.PDG`, or ``'K+'``, ``'K_L'``); meson
                          channels also keep ``meson`` as an alias
``accepts(model)``        the model type/couplings fit the channel
``closed_reason(model)``  None when open; a sentence when closed (kinematics or zero coupling)
``rate(model, …)``        production probability per parent (per metre of track for e± channels)
                          — ``branching_ratio(model)`` for decays
``produce(parents, model, rng) -> DarkParticles``  weights per POT; a closed channel returns an
                          empty batch and a :class:`ClosedChannelWarning`.

Parents and their weights (what the pipeline must provide):

=======================  ========  ===============================================================
channel                  parent    parent weight
=======================  ========  ===============================================================
pi0/eta/etaprime_decay   meson     mesons per POT
…_decay_dm (P → γχχ̄)    meson     mesons per POT (output: χ, siblings χ̄ and γ)
rho/omega/phi_mixing     rho0 …    vector mesons per POT
…_mixing_dm,             as the    as the inner channel (output: χ, sibling χ̄; X → χχ̄ on shell,
proton_brem_dm           inner     :mod:`.mediator_dm`)
proton_brem,             proton    interacting beam protons per POT (:func:`interacting_protons`)
scalar_proton_brem
electron/positron_brem   e-, e+    track length [m] per POT carried by the sample (cascade)
annihilation_resonant,   e+        track length [m] per POT (positrons)
annihilation_gamma
primakoff, compton       gamma     photons per POT in the target (each converts with σ/σ_tot)
piminus_capture          pi-       stopped π⁻ captures per POT
kaon_decay_charged/long  K+, K_L   kaon decays per POT at the decay vertex (at rest or in flight)
pion/kaon/kaon_pi/       pi+, K+,  meson decays per POT (π± → ℓ±N; K± → ℓ±N; K± → π⁰ℓ±N; K_L → π∓ℓ±N);
kaon_long_decay_hnl_e/mu K_L       one channel per mixing flavour (:mod:`.meson_decay_hnl`); rows with a
(groups pion/kaon/                 negative parent id are the antimesons
decay_hnl)
pion/kaon_dif_numu(bar)  pi±, K±   decays per POT at the decay point in the pipe (``parent_in_flight``);
(group meson_dif_        output: ν_μ / ν̄_μ from P → μν (``produced_pdg``, :mod:`.meson_dif`)
neutrinos)
pion_dar_numu/nue/       pi+       stopped π⁺ per POT (= ν per flavour per POT), at rest
numubar (group                     (``parent_at_rest``); output: the SM neutrino (``produced_pdg``),
pion_dar_neutrinos)                aimed at the detector with :meth:`aimed_at` (:mod:`.pion_dar`)
=======================  ========  ===============================================================

Groups (:data:`CHANNEL_GROUPS`, expanded by :func:`expand_channels`) stand for several channels
in a card; ``make_channel`` refuses them.

Target material (Z, A [g/mol], density [g/cm³]) is passed as plain constructor arguments
(``make_channel(name, z=74, a=183.84, density=19.3)``).
"""

from __future__ import annotations

from functools import partial

from .annihilation import GammaAnnihilationChannel, ResonantAnnihilationChannel
from .base import Channel, ClosedChannelWarning, DarkParticles
from .compton import ComptonChannel
from .electron_brem import ElectronBremChannel
from .kaon_decay import KaonDecayChannel
from .meson_decay import MesonDecayChannel
from .mediator_dm import MediatorDMChannel
from .meson_decay_dm import MesonDecayDMChannel
from .meson_decay_hnl import HNL_CHANNEL_GROUPS, HNL_CHANNELS, HNLMesonDecayChannel
from .meson_dif import MesonNeutrinoChannel
from .piminus_capture import PiMinusCaptureChannel
from .pion_dar import CHANNEL_GROUPS, PionDARNeutrinoChannel, expand_channels
from .primakoff import PrimakoffChannel
from .proton_brem import ProtonBremChannel, interacting_protons
from .scalar_brem import ScalarProtonBremChannel
from .vector_mixing import VectorMixingChannel

#: channel name → factory(**options)
CHANNELS = {
    "pi0_decay": lambda **kw: MesonDecayChannel("pi0", **kw),
    "eta_decay": lambda **kw: MesonDecayChannel("eta", **kw),
    "etaprime_decay": lambda **kw: MesonDecayChannel("etaprime", **kw),
    "pi0_decay_dm": lambda **kw: MesonDecayDMChannel("pi0", **kw),
    "eta_decay_dm": lambda **kw: MesonDecayDMChannel("eta", **kw),
    "etaprime_decay_dm": lambda **kw: MesonDecayDMChannel("etaprime", **kw),
    "rho_mixing": lambda **kw: VectorMixingChannel("rho0", **kw),
    "omega_mixing": lambda **kw: VectorMixingChannel("omega", **kw),
    "phi_mixing": lambda **kw: VectorMixingChannel("phi", **kw),
    "rho_mixing_dm": lambda **kw: MediatorDMChannel(VectorMixingChannel("rho0", **kw)),
    "omega_mixing_dm": lambda **kw: MediatorDMChannel(VectorMixingChannel("omega", **kw)),
    "phi_mixing_dm": lambda **kw: MediatorDMChannel(VectorMixingChannel("phi", **kw)),
    "proton_brem": lambda **kw: ProtonBremChannel(**kw),
    "proton_brem_dm": lambda **kw: MediatorDMChannel(ProtonBremChannel(**kw)),
    "electron_brem": lambda **kw: ElectronBremChannel(-1, **kw),
    "positron_brem": lambda **kw: ElectronBremChannel(+1, **kw),
    "primakoff": lambda **kw: PrimakoffChannel(**kw),
    "compton": lambda **kw: ComptonChannel(**kw),
    "annihilation_resonant": lambda **kw: ResonantAnnihilationChannel(**kw),
    "annihilation_gamma": lambda **kw: GammaAnnihilationChannel(**kw),
    "piminus_capture": lambda **kw: PiMinusCaptureChannel(**kw),
    "kaon_decay_charged": lambda **kw: KaonDecayChannel("K+", **kw),
    "kaon_decay_long": lambda **kw: KaonDecayChannel("K_L", **kw),
    "scalar_proton_brem": lambda **kw: ScalarProtonBremChannel(**kw),
    "pion_dar_numu": lambda **kw: PionDARNeutrinoChannel("nu_mu", **kw),
    "pion_dar_nue": lambda **kw: PionDARNeutrinoChannel("nu_e", **kw),
    "pion_dar_numubar": lambda **kw: PionDARNeutrinoChannel("nu_mu_bar", **kw),
    "pion_dar_neutrinos": lambda **kw: _group("pion_dar_neutrinos"),
    **{name: partial(HNLMesonDecayChannel, *args) for name, args in HNL_CHANNELS.items()},
    **{group: (lambda g=group, **kw: _group(g)) for group in HNL_CHANNEL_GROUPS},
    "pion_dif_numu": lambda **kw: MesonNeutrinoChannel("pion_dif_numu", **kw),
    "pion_dif_numubar": lambda **kw: MesonNeutrinoChannel("pion_dif_numubar", **kw),
    "kaon_dif_numu": lambda **kw: MesonNeutrinoChannel("kaon_dif_numu", **kw),
    "kaon_dif_numubar": lambda **kw: MesonNeutrinoChannel("kaon_dif_numubar", **kw),
    "meson_dif_neutrinos": lambda **kw: _group("meson_dif_neutrinos"),
}
# the HNL groups join the registry's groups (one table, read by expand_channels)
CHANNEL_GROUPS.update(HNL_CHANNEL_GROUPS)


def _group(name: str):
    raise ValueError(f"{name} is a group of channels ({', '.join(CHANNEL_GROUPS[name])}); "
                     f"expand it with expand_channels")


def make_channel(name: str, **options):
    """The channel called ``name`` (see :data:`CHANNELS`), with constructor ``options``."""
    if name not in CHANNELS:
        raise KeyError(name)
    if name in CHANNEL_GROUPS:
        _group(name)
    return CHANNELS[name](**options)


__all__ = ["CHANNELS", "CHANNEL_GROUPS", "PionDARNeutrinoChannel", "expand_channels", "Channel", "ClosedChannelWarning", "ComptonChannel", "DarkParticles",
           "ElectronBremChannel", "GammaAnnihilationChannel", "HNLMesonDecayChannel", "KaonDecayChannel",
           "MediatorDMChannel", "MesonDecayChannel", "MesonDecayDMChannel", "MesonNeutrinoChannel",
           "PiMinusCaptureChannel", "PrimakoffChannel", "ProtonBremChannel", "ResonantAnnihilationChannel",
           "ScalarProtonBremChannel", "VectorMixingChannel", "interacting_protons", "make_channel"]
