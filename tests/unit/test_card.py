"""Run-card validation: one clear message per mistake, --set overrides, units."""

from __future__ import annotations

import pytest

import darkbeam
from darkbeam.card import apply_overrides, load_card
from darkbeam.errors import CardError
from darkbeam.pipeline import build

GOOD = """
[run]
events = 1000
[facility]
name = "BNB"
[model]
preset = "dark_photon"
mass = "50 MeV"
epsilon = 1e-6
[production]
channels = ["pi0_decay"]
[detector]
name = "SBND"
"""


def problems(text, write_card, overrides=None):
    with pytest.raises(CardError) as info:
        build(load_card(write_card(text), overrides))
    return info.value.problems


def test_good_card_and_units(write_card):
    card = load_card(write_card(GOOD))
    assert card.model.mass == pytest.approx(0.05)
    assert card.model.parameters() == {"epsilon": 1e-6}
    assert card.model.spec() == {"mass": 0.05, "epsilon": 1e-6, "preset": "dark_photon"}
    assert build(card).model.epsilon == 1e-6


def test_unknown_detector_lists_known(write_card):
    (msg,) = problems(GOOD.replace('"SBND"', '"SBNDD"'), write_card)
    assert "card.toml" in msg and "[detector] name = 'SBNDD'" in msg and "SBND" in msg.split("known:")[1]


def test_negative_mass(write_card):
    (msg,) = problems(GOOD.replace('"50 MeV"', "-0.05"), write_card)
    assert "[model] mass = -0.05" in msg and "positive mass" in msg


def test_bad_unit_string(write_card):
    (msg,) = problems(GOOD.replace('"50 MeV"', '"50 parsec"'), write_card)
    assert "[model] mass = '50 parsec'" in msg and "not a unit of energy" in msg


def test_every_mistake_reported_at_once(write_card):
    text = GOOD.replace("events = 1000", "events = -5").replace('"BNB"', '"LEP"')
    msgs = problems(text, write_card)
    assert len(msgs) == 2
    assert any("[run] events = -5" in m and "greater than 0" in m for m in msgs)
    assert any("[facility] name = 'LEP'" in m and "BNB" in m for m in msgs)


def test_missing_section_and_unknown_key(write_card):
    msgs = problems(GOOD.replace('[production]\nchannels = ["pi0_decay"]', "")
                    .replace("events = 1000", "events = 1000\nevnts = 3"), write_card)
    assert any("[production] missing section" in m for m in msgs)
    assert any("[run] unknown key 'evnts'" in m for m in msgs)


def test_unknown_channel_and_preset(write_card):
    (msg,) = problems(GOOD.replace('"pi0_decay"', '"pi1_decay"'), write_card)
    assert "pi1_decay" in msg and "pi0_decay" in msg
    (msg,) = problems(GOOD.replace('"dark_photon"', '"dark_fotón"'), write_card)
    assert "preset" in msg and "dark_photon" in msg


def test_missing_file_and_bad_toml(tmp_path, write_card):
    with pytest.raises(CardError, match="no such card file"):
        load_card(tmp_path / "nope.toml")
    with pytest.raises(CardError, match="not valid TOML"):
        load_card(write_card("[run\nevents = 3"))


def test_non_vector_model_for_meson_decay(write_card):
    text = GOOD.replace('preset = "dark_photon"', 'type = "alp"').replace("epsilon = 1e-6", "g_agg = 1e-5")
    (msg,) = problems(text, write_card)
    assert "pi0_decay does not apply to a ALP model" in msg


def test_closed_channel_is_a_notice_and_zero(write_card):
    card = load_card(write_card(GOOD), ["model.mass=0.2", "run.summary=false", "run.outputs=[]"])
    plan = build(card)
    assert any("pi0_decay" in n and "closed" in n for n in plan.notices)
    res = darkbeam.run(card, summary=None)
    assert res.expected_events == 0.0 and res.by_channel == {"pi0_decay": 0.0}
    assert len(res.events) == 0


def test_set_overrides(write_card):
    card = load_card(write_card(GOOD), ["model.epsilon=3e-7", "model.mass='20 MeV'",
                                        "facility.yields.pi0=2.4", "detector.name=SBND",
                                        "run.outputs=['a.parquet', 'b.root']"])
    assert card.model.parameters()["epsilon"] == 3e-7
    assert card.model.mass == pytest.approx(0.02)
    assert card.facility.yields == {"pi0": 2.4}
    assert card.run.outputs == ["a.parquet", "b.root"]
    with pytest.raises(CardError, match="expected section.key=value"):
        load_card(write_card(GOOD), ["epsilon=3"])
    # an override is validated like the card itself
    (msg,) = problems(GOOD, write_card, ["model.mass=-1"])
    assert "[model] mass = -1" in msg


def test_apply_overrides_does_not_mutate():
    raw = {"model": {"mass": 1}}
    out = apply_overrides(raw, ["model.mass=2"])
    assert raw == {"model": {"mass": 1}} and out == {"model": {"mass": 2}}


def test_bad_epsilon(write_card):
    for value in ("nan", "'big'", "inf"):
        (msg,) = problems(GOOD.replace("epsilon = 1e-6", f"epsilon = {value}"), write_card)
        assert "card.toml: [model] epsilon = " in msg
        assert "expected" in msg


def test_includes(write_card, tmp_path):
    common = GOOD.replace("epsilon = 1e-6", "epsilon = 2e-6")
    write_card(common, "common.toml")
    card = load_card(write_card('include = "common.toml"\n[model]\nmass = "20 MeV"\n'))
    assert card.model.mass == pytest.approx(0.02)                 # the card wins
    assert card.model.parameters()["epsilon"] == 2e-6             # the include fills the rest
    assert card.detector.name == "SBND" and "included from common.toml" in card.text


@pytest.mark.parametrize("text, match", [
    ('include = "missing.toml"\n', "include .*missing.toml: no such card file"),
    ("include = 3\n", r"include = 3: expected a file name"),
    ('include = "bad.toml"\n', r"bad.toml: not valid TOML"),
    ('include = "card.toml"\n', "include cycle"),
])
def test_bad_includes(write_card, text, match):
    write_card("[run\n", "bad.toml")
    with pytest.raises(CardError, match=match):
        load_card(write_card(text))
