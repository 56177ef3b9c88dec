"""Coupling reweighting of an HNL sample is exact in each |U_α4|² (production ∝ |U_α|² per channel,
widths linear in every |U|²): the reweighted expectation equals a regeneration with the same
streams, for one mixing moved, both moved, long- and short-lived. K⁺ decay points from a synthetic
parents file (BNB frame, SBND), channel group kaon_decay_hnl, signal N → e⁺e⁻ν (e and μ mixing) and μπ."""

from __future__ import annotations

import math

import darkbeam
import numpy as np
import pytest
from darkbeam.models import HeavyNeutralLepton
from darkbeam.scan import reference_coupling, reweight

N_EVENTS = 5_000
CARD = """
[run]
events = {events}
seed = 7
outputs = []

[facility]
name = "BNB"
pot = 1e20

[model]
type = "hnl"
mass = "{mass} GeV"
U2_e = {u2e}
U2_mu = {u2mu}

[production]
channels = ["kaon_decay_hnl"]
parents_file = "{parents}"
tuning = "long_lived"

[detector]
name = "SBND"

[signal]
kind = "decay"
final_state = "{final}"
"""


@pytest.fixture(scope="module")
def parents(tmp_path_factory):
    rng = np.random.default_rng(3)
    n, mk = 3000, 0.493677
    p = rng.uniform(0.4, 4.0, n)
    th, ph = np.abs(rng.normal(0, 0.02, n)), rng.uniform(0, 2 * math.pi, n)
    path = tmp_path_factory.mktemp("hnl") / "kaons.csv"
    rows = np.column_stack([np.full(n, 321), p * np.sin(th) * np.cos(ph), p * np.sin(th) * np.sin(ph),
                            p * np.cos(th), np.sqrt(p * p + mk * mk), np.zeros(n), np.zeros(n),
                            rng.uniform(0, 50, n), np.zeros(n), np.ones(n)])
    with open(path, "w") as fh:
        fh.write("# pot = 1e5\npdg,px,py,pz,E,x,y,z,t,weight\n")
        np.savetxt(fh, rows, delimiter=",", fmt=["%d"] + ["%.10g"] * 9)
    return path


def _run(tmp_path, parents, mass, u2e, u2mu, final):
    card = tmp_path / f"hnl_{u2e:g}_{u2mu:g}.toml"
    card.write_text(CARD.format(events=N_EVENTS, mass=mass, u2e=u2e, u2mu=u2mu, parents=parents, final=final))
    return darkbeam.run(card, outputs=[], summary=None, progress=False)


@pytest.mark.parametrize("mass, final, targets", [
    (0.25, "e+e-", [(3e-6, 1e-7), (1e-9, 3e-3)]),
    (0.3, "mu pi", [(0.0, 1e-7), (1e-5, 2e-3)]),
])
def test_reweighted_equals_regenerated(tmp_path, parents, mass, final, targets):
    base = HeavyNeutralLepton(mass, U2_e=1e-6, U2_mu=1e-6)
    scale = reference_coupling(base, "scale")
    ref = _run(tmp_path, parents, mass, 1e-6 * scale, 1e-6 * scale, final)
    assert ref.plan.model.ctau() >= 1e8 and ref.expected_events > 0
    for u2e, u2mu in targets:
        new = _run(tmp_path, parents, mass, u2e, u2mu, final)
        got = reweight(ref, HeavyNeutralLepton(mass, U2_e=u2e, U2_mu=u2mu))
        assert new.expected_events > 0
        assert got == pytest.approx(new.expected_events, rel=1e-9)
