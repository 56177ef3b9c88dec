"""Fixtures for the format tests: realistic events from the shipped card, and synthetic ones."""

from __future__ import annotations

import importlib
from pathlib import Path

import awkward as ak
import numpy as np
import pytest

import darkbeam
from darkbeam.events import PARTICLE_FIELDS, SCALAR_FIELDS, make_events

CARD = Path(__file__).resolve().parents[3] / "cards" / "sbnd_dark_photon.toml"


@pytest.fixture(scope="session")
def sample():
    """(events, metadata) of the SBND dark-photon card at low statistics."""
    res = darkbeam.run(CARD, events=100_000, outputs=[], summary=None, progress=False,
                       model__epsilon=1e-6)
    meta = importlib.import_module("darkbeam.run").metadata(res.plan)
    assert len(res.events) > 50
    return res.events, meta


def synthetic(n: int, seed: int = 1) -> ak.Array:
    """π⁰ → γ A′, A′ → e⁻e⁺ events built by hand (momentum-conserving, on shell to rounding)."""
    rng = np.random.default_rng(seed)
    m_pi, m_a, m_e = 0.1349768, 0.05, 0.00051099895
    p_pi = np.stack([rng.normal(0, 0.1, n), rng.normal(0, 0.1, n), rng.uniform(0.5, 5, n)], 1)
    e_pi = np.sqrt(m_pi ** 2 + (p_pi ** 2).sum(1))
    # two-body decay in the rest frame along a random axis, q = λ^½(m², m1², m2²)/2m, then the boost
    # k_lab = k + [(γ−1)(β·k)/β² + γ e1] β, e_lab = γ (e1 + β·k)   (β = p/E, γ = E/m)
    def decay(p4, m, m1, m2):
        q = np.sqrt((m**2 - (m1 + m2) ** 2) * (m**2 - (m1 - m2) ** 2)) / (2 * m)
        cos, phi = rng.uniform(-1, 1, len(p4)), rng.uniform(0, 2 * np.pi, len(p4))
        sin = np.sqrt(1 - cos**2)
        k = q * np.stack([sin * np.cos(phi), sin * np.sin(phi), cos], 1)   # rest-frame momentum
        e1 = np.sqrt(m1**2 + (k**2).sum(1))
        b = p4[:, :3] / p4[:, 3:4]
        g = p4[:, 3] / m
        bk = (b * k).sum(1)
        k_lab = k + ((g - 1) * bk / (b**2).sum(1) + g * e1)[:, None] * b
        e_lab = g * (e1 + bk)
        d1 = np.column_stack([k_lab, e_lab])
        return d1, p4 - d1
    pi4 = np.column_stack([p_pi, e_pi])
    a4, g4 = decay(pi4, m_pi, m_a, 0.0)
    e4, p4 = decay(a4, m_a, m_e, m_e)
    prod = np.column_stack([rng.normal(0, 0.01, n), rng.normal(0, 0.01, n), rng.uniform(0, 0.7, n)])
    vtx = np.column_stack([rng.normal(0, 1, n), rng.normal(0, 1, n), rng.uniform(108, 113, n)])
    t_vtx = rng.uniform(360, 380, n)
    four = np.stack([pi4, g4, a4, e4, p4], 1)                    # (n, 5, 4)
    pos = np.stack([prod, prod, prod, vtx, vtx], 1)
    tt = np.stack([np.zeros(n)] * 3 + [t_vtx, t_vtx], 1)
    particles = {
        "pdg": np.tile([111, 22, 55, 11, -11], n), "status": np.tile([2, 1, 2, 1, 1], n),
        "mother": np.tile([-1, 0, 0, 2, 2], n),
        "px": four[..., 0].ravel(), "py": four[..., 1].ravel(), "pz": four[..., 2].ravel(),
        "E": four[..., 3].ravel(), "x": pos[..., 0].ravel(), "y": pos[..., 1].ravel(),
        "z": pos[..., 2].ravel(), "t": tt.ravel(),
    }
    w_prod = rng.uniform(1e-18, 1e-16, n)
    p_decay = rng.uniform(0, 1e-3, n)
    scalars = {k: np.zeros(n) for k in SCALAR_FIELDS}
    scalars.update(w_production=w_prod, p_decay=p_decay, p_interact=np.ones(n), br=np.ones(n),
                   efficiency=np.ones(n), importance=np.ones(n), weight=1e20 * w_prod * p_decay,
                   channel=np.zeros(n), parent_pdg=np.full(n, 111), x_pdg=np.full(n, 55),
                   x_mass=np.full(n, m_a), x_energy=a4[:, 3], t=t_vtx, delay=rng.uniform(0, 3, n),
                   prod_x=prod[:, 0], prod_y=prod[:, 1], prod_z=prod[:, 2],
                   vtx_x=vtx[:, 0], vtx_y=vtx[:, 1], vtx_z=vtx[:, 2])
    assert set(particles) == set(PARTICLE_FIELDS)
    return make_events(scalars, particles, 5)


META = {"darkbeam_version": "test", "card": "[run]\nseed = 1\n", "card_path": "card.toml", "pot": 1e20,
        "seed": 1, "facility": "bnb", "detector": "sbnd", "model": {"name": "dark_photon", "mass": 0.05},
        "channels": ["pi0_decay"], "weight_names": ["weight", "w_production", "p_decay", "p_interact",
                                                    "br", "efficiency", "importance"],
        "n_generated_per_channel": 1000}


@pytest.fixture(scope="session")
def synth():
    """The synthetic-event builder: ``synth(n, seed)``."""
    return synthetic


@pytest.fixture(scope="session")
def meta():
    return dict(META)
