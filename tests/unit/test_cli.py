"""The darkbeam command: run, check, info; files read back by uproot and awkward."""

from __future__ import annotations

import json

import awkward as ak
import numpy as np
import uproot

from darkbeam.cli import main


def test_run_writes_readable_files(sbnd_card, tmp_path, capsys):
    pq, root, summ = tmp_path / "ev.parquet", tmp_path / "ev.root", tmp_path / "s.json"
    code = main(["run", str(sbnd_card), "-n", "100000", "-o", str(pq), "-o", str(root),
                 "--summary", str(summ), "--set", "model.epsilon=1e-6", "--no-progress"])
    out = capsys.readouterr().out
    assert code == 0
    assert "expected events:" in out and "±" in out
    summary = json.loads(summ.read_text())
    for key in ("expected_events", "expected_events_by_channel", "stat_uncertainty", "pot",
                "n_generated", "n_events", "model", "facility", "detector", "seed",
                "darkbeam_version", "wall_time_s"):
        assert key in summary
    events = ak.from_parquet(pq)
    assert len(events) == summary["n_events"] > 0
    assert np.sum(events.weight) == np.float64(summary["expected_events"]) or np.isclose(
        np.sum(events.weight), summary["expected_events"], rtol=1e-12)
    with uproot.open(root) as f:
        tree = f["events"]
        assert tree.num_entries == summary["n_events"]
        w = tree["weight"].array(library="np")
        pdg = tree["particles_pdg"].array()
        meta = json.loads(str(f["metadata"]))
    assert np.isclose(w.sum(), summary["expected_events"], rtol=1e-12, atol=0)
    assert ak.all(ak.num(pdg) == 5) and set(ak.flatten(pdg).tolist()) == {111, 22, 55, 11, -11}
    assert meta["pot"] == summary["pot"] and "[model]" in meta["card"]


def test_bad_card_exits_2_without_output(write_card, tmp_path, capsys):
    card = write_card('[facility]\nname = "BNB"\n[model]\nmass = -1\nepsilon = 1e-6\n'
                      '[production]\nchannels = ["pi0_decay"]\n[detector]\nname = "SBND"\n')
    out = tmp_path / "x.parquet"
    code = main(["run", str(card), "-o", str(out), "--summary", str(tmp_path / "s.json")])
    err = capsys.readouterr().err
    assert code == 2 and "Traceback" not in err
    assert "darkbeam: error:" in err and "[model] mass = -1" in err
    assert not out.exists() and not (tmp_path / "s.json").exists()


def test_unknown_output_format(sbnd_card, tmp_path, capsys):
    code = main(["run", str(sbnd_card), "-n", "1000", "-o", str(tmp_path / "x.csvv"),
                 "--summary", str(tmp_path / "s.json")])
    assert code == 2 and "unknown output format" in capsys.readouterr().err


def test_check_and_info(sbnd_card, capsys):
    assert main(["check", str(sbnd_card)]) == 0
    assert "OK" in capsys.readouterr().out
    assert main(["info"]) == 0
    out = capsys.readouterr().out
    assert "SBND" in out and "BNB" in out and "pi0_decay" in out
