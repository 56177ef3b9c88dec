"""plot_model writes an image; model_scan BRs sum to one at each mass."""

import numpy as np
import pytest

from darkbeam.models import model_scan, plot_model


def test_plot_model_writes_png(tmp_path):
    path = plot_model("b_minus_l", tmp_path / "bl.png", masses=np.geomspace(0.01, 1.5, 25), g=1e-5)
    data = (tmp_path / "bl.png").read_bytes()
    assert path.endswith("bl.png") and data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000


def test_model_scan_sums():
    brs, ctau = model_scan("dark_photon", np.array([0.01, 0.3, 1.0]), epsilon=1e-5)
    total = sum(brs.values())
    assert np.allclose(total, 1.0)
    assert np.all(np.isfinite(ctau)) and np.all(ctau > 0)


def test_plot_unknown_preset(tmp_path):
    with pytest.raises(ValueError, match="unknown preset"):
        plot_model("nope", tmp_path / "x.png")
