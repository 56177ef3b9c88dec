"""The timing plot and its visible energy."""

from __future__ import annotations

import awkward as ak
import numpy as np
import pytest

import darkbeam
from darkbeam.timing import plot_timing, pulse_for, stopped_pion_neutrino_times, visible_energy


@pytest.fixture(scope="module")
def events(request):
    root = request.config.rootpath
    return darkbeam.run(str(root / "cards" / "sbnd_dark_photon.toml"), events=70_000, outputs=[],
                        summary=None, progress=False).events


def test_visible_energy_is_the_energy_of_the_decay_products(events):
    """X → e⁺e⁻ conserves energy, so Σ E(daughters of X) = x_energy (independent of the
    particle list's bookkeeping, which the function reads)."""
    e_vis = visible_energy(events)
    np.testing.assert_allclose(e_vis, ak.to_numpy(events.x_energy), rtol=1e-10)
    # the sibling photon is not counted: Σ E of all status-1 particles is larger
    all_final = ak.to_numpy(ak.sum(events.particles.E[events.particles.status == 1], axis=1))
    assert np.all(all_final > e_vis)


def test_plot_writes_png(events, tmp_path):
    nu = stopped_pion_neutrino_times(np.random.default_rng(1), 20_000, pulse_for("SNS"))
    out = plot_timing(events, tmp_path / "timing.png", neutrino_times=nu)
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    out2 = plot_timing(events[:0], tmp_path / "empty.png")
    assert out2.stat().st_size > 1000


def test_plot_counts_from_the_light_arrival_with_a_pulse(events, tmp_path):
    # with the run's pulse the first panel's axis is t − t_edge − |vertex|/c (timing.cuts)
    out = plot_timing(events, tmp_path / "light.png", pulse=pulse_for("BNB"))
    assert out.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
