"""darkbeam.production — channels that turn parents into dark particles.

Each channel has a ``name``, the parent ``meson`` (or particle) it needs from the source,
``closed_reason(model)`` (None when open; a sentence when kinematically closed) and
``produce(parents, model, rng) -> DarkParticles`` with weights per POT.
"""

from .base import DarkParticles
from .meson_decay import MesonDecayChannel

#: channel name → factory
CHANNELS = {
    "pi0_decay": lambda: MesonDecayChannel("pi0"),
    "eta_decay": lambda: MesonDecayChannel("eta"),
    "etaprime_decay": lambda: MesonDecayChannel("etaprime"),
}


def make_channel(name: str):
    """The channel called ``name`` (see :data:`CHANNELS`)."""
    if name not in CHANNELS:
        raise KeyError(name)
    return CHANNELS[name]()


__all__ = ["CHANNELS", "DarkParticles", "MesonDecayChannel", "make_channel"]
