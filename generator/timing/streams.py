"""The random stream of the proton times, separate from the physics streams.

The run loop draws block b of channel c from ``SeedSequence(seed, spawn_key=(c, b))``
(:mod:`darkbeam.run`). Drawing the pulse times from that same generator would shift every later
random number, so adding a pulse would change all other columns of the events. The proton times
use their own child stream ``SeedSequence(seed, spawn_key=(c, b, PULSE_STREAM))`` instead: with
or without a pulse the events are identical except for ``t`` (and the particles' ``t``), and the
output still does not depend on chunking or workers.
"""

from __future__ import annotations

import numpy as np

#: third spawn-key entry of the proton-time stream (any fixed value distinct from the physics use)
PULSE_STREAM: int = 0x7117


def pulse_rng(seed: int, channel: int, block: int) -> np.random.Generator:
    """The generator of the proton times of block ``block`` of channel ``channel``."""
    return np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(channel, block, PULSE_STREAM)))


def proton_times(pulse, seed: int, channel: int, block: int, n: int) -> np.ndarray:
    """n proton arrival times (ns) for one block, from its own stream (see module docstring)."""
    return pulse.sample(pulse_rng(seed, channel, block), n)
