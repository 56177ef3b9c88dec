"""What the run loop will do with a pulse (the lead wires it into run.py): add proton times to the
parents' t from a separate stream. The delay must not change, t must shift by the proton time."""

from __future__ import annotations

import dataclasses

import numpy as np

from darkbeam.card import load_card
from darkbeam.pipeline import build
from darkbeam.timing import proton_times, pulse_for, pulse_rng


def test_pulse_stream_is_reproducible_and_per_block():
    p = pulse_for("BNB")
    a = proton_times(p, 5, 0, 3, 1000)
    assert np.array_equal(a, proton_times(p, 5, 0, 3, 1000))
    assert not np.array_equal(a, proton_times(p, 5, 0, 4, 1000))
    assert not np.array_equal(a, proton_times(p, 5, 1, 3, 1000))
    # distinct from the physics stream of the same block
    phys = np.random.default_rng(np.random.SeedSequence(5, spawn_key=(0, 3))).random(5)
    assert not np.array_equal(phys, pulse_rng(5, 0, 3).random(5))


def test_adding_the_pulse_to_the_parents_shifts_t_and_keeps_the_delay(sbnd_card):
    card = load_card(sbnd_card, ["model.mass=0.13", "model.epsilon=1e-6"])
    plan = build(card)
    seed, n = card.run.seed, 65536

    def block(with_pulse: bool):
        rng = np.random.default_rng(np.random.SeedSequence(seed, spawn_key=(0, 0)))
        parents = plan.sources[0].sample(rng, n)
        if with_pulse:
            t_p = proton_times(pulse_for("BNB"), seed, 0, 0, len(parents))
            parents = dataclasses.replace(parents, t=parents.t + t_p)
        x = plan.channels[0].produce(parents, plan.model, rng)
        return plan.signal.apply(x, plan.detector, plan.model, rng)

    ref, shifted = block(False), block(True)
    assert len(ref["t"]) > 0 and len(ref["t"]) == len(shifted["t"])
    # equal up to the rounding of t − t_origin − L/c with t of order µs (≈ 1e-13 ns)
    np.testing.assert_allclose(shifted["delay"], ref["delay"], rtol=0, atol=1e-9)
    np.testing.assert_array_equal(ref["vtx"], shifted["vtx"])
    all_tp = proton_times(pulse_for("BNB"), seed, 0, 0, n)
    dt = shifted["t"] - ref["t"]
    # every shift is one of the sampled proton times (to rounding of the sum)
    idx = np.searchsorted(np.sort(all_tp), dt)
    nearest = np.sort(all_tp)[np.clip(idx, 0, n - 1)]
    nearest2 = np.sort(all_tp)[np.clip(idx - 1, 0, n - 1)]
    err = np.minimum(np.abs(nearest - dt), np.abs(nearest2 - dt))
    assert np.all(err < 1e-9 * np.maximum(1.0, np.abs(shifted["t"])))
    assert dt.min() > -10 and dt.max() < 1600       # within the BNB spill
