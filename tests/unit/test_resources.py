"""Resources: the chunk plan is lazy (10¹³ samples plan in well under a second and a few kB),
sample counts above 2⁵³ are refused at once, workers are capped at the available cores."""

from __future__ import annotations

import importlib
import math
import time
import tracemalloc

import pytest

from darkbeam.cli import main

run_module = importlib.import_module("darkbeam.run")
BLOCK = run_module.BLOCK_SIZE


def test_plan_of_1e13_samples_is_lazy():
    tracemalloc.start()
    t0 = time.perf_counter()
    tasks = run_module.Tasks([0, 3], 10**13, 1 << 18)
    n = len(tasks)
    last, first = tasks[n - 1], tasks[0]
    middle = [t for _, t in zip(range(1000), iter(tasks))]
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    per_chunk = 4                                    # 2¹⁸ samples = 4 blocks of 2¹⁶
    blocks = math.ceil(10**13 / BLOCK)
    assert n == 2 * math.ceil(blocks / per_chunk)
    assert elapsed < 1.0 and peak < 1 << 20
    assert first == run_module.Task(0, 0, 4, BLOCK) and len(middle) == 1000
    # the last chunk of the last channel: the remaining blocks, the last one partly filled
    assert last.channel == 3 and last.first_block == (math.ceil(blocks / per_chunk) - 1) * per_chunk
    assert (last.first_block + last.n_blocks - 1) * BLOCK + last.n_samples == 10**13
    assert tasks.n_samples == 2 * 10**13


@pytest.mark.parametrize("events, chunk", [(1, 1), (BLOCK, BLOCK), (BLOCK + 1, BLOCK),
                                           (5 * BLOCK + 7, 3 * BLOCK), (10**6, 1 << 18)])
def test_chunks_cover_every_sample_once(events, chunk):
    tasks = run_module.Tasks([0, 1], events, chunk)
    for channel in (0, 1):
        mine = [t for t in tasks if t.channel == channel]
        blocks = [t.first_block + j for t in mine for j in range(t.n_blocks)]
        assert blocks == list(range(math.ceil(events / BLOCK)))
        samples = sum((t.n_blocks - 1) * BLOCK + t.n_samples for t in mine)
        assert samples == events


@pytest.mark.parametrize("value, shown", [("100000000000000000000", "1e+20"), ("1e16", "1e+16")])
def test_more_than_2_53_samples_is_refused(sbnd_card, capsys, value, shown):
    t0 = time.perf_counter()
    assert main(["run", str(sbnd_card), "--set", f"run.events={value}", "--no-progress"]) == 2
    assert time.perf_counter() - t0 < 30
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.strip().splitlines() == [
        f"darkbeam: error: {sbnd_card}: [run] events = {shown} is above the limit 9007199254740992 "
        f"(2^53, the largest count darkbeam keeps exact); run several seeds of fewer events and add "
        f"their results"]


def test_workers_capped_at_the_cores(monkeypatch):
    monkeypatch.setattr(run_module, "available_cores", lambda: 2)
    with pytest.warns(UserWarning, match=r"workers = 1000 is more than the 2 CPU core\(s\) available; using 2"):
        assert run_module.capped_workers(1000) == 2
    assert run_module.capped_workers(2) == 2


def test_available_cores_is_the_affinity_mask():
    import os
    assert run_module.available_cores() == len(os.sched_getaffinity(0))


def test_a_run_with_1000_workers(sbnd_card, monkeypatch):
    """Capped with a warning, and the same result as one worker."""
    import darkbeam
    kw = dict(events=140_000, chunk_size=1 << 16, seed=4, outputs=[], summary=None, progress=False,
              model__epsilon=1e-6, keep_events=False)
    one = darkbeam.run(sbnd_card, workers=1, **kw)
    with pytest.warns(UserWarning, match="workers = 1000 is more than"):
        many = darkbeam.run(sbnd_card, workers=1000, **kw)
    assert many.summary["expected_events"] == one.summary["expected_events"]
