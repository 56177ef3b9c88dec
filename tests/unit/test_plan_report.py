"""``darkbeam check`` / ``run --dry-run`` print the plan; numbers against independent values."""

from __future__ import annotations

import math
import re
import tomllib
from pathlib import Path

from darkbeam.cli import main

ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "cards"
HBAR_C = 1.973269804e-16        # GeV m (CODATA 2018)
ALPHA = 1 / 137.035999084       # CODATA 2018
M_E = 0.51099895e-3             # GeV (PDG)


def _number(pattern: str, text: str) -> float:
    match = re.search(pattern, text)
    assert match, (pattern, text)
    return float(match.group(1))


def _rectangle_solid_angle(x0: float, x1: float, y0: float, y1: float, d: float) -> float:
    """Solid angle of the rectangle [x0, x1] × [y0, y1] at distance d on the axis z, seen from the
    origin: Σ over corners ± atan(xy / (d √(x² + y² + d²))) (the corner formula, e.g. Gotoh &
    Yagi, NIM 96 (1971) 485)."""
    def corner(x, y):
        return math.atan(x * y / (d * math.sqrt(x * x + y * y + d * d)))
    return corner(x1, y1) - corner(x0, y1) - corner(x1, y0) + corner(x0, y0)


def test_sbnd_plan_numbers(capsys):
    """SBND card: the origin sees only the box's front face (its x and y ranges contain the beam
    axis), so Ω is that rectangle's solid angle; cτ from Γ(A′ → e⁺e⁻) =
    αε²m/3 (1 + 2r)√(1 − 4r), r = m_e²/m² (arXiv:1801.04847 Eq. 2.13), the only channel open at
    50 MeV."""
    assert main(["check", str(CARDS / "sbnd_dark_photon.toml")]) == 0
    out = capsys.readouterr().out
    det = tomllib.loads((ROOT / "detectors" / "data" / "detectors" / "SBND.toml").read_text())
    (cx, cy, cz), (sx, sy, sz) = det["placement"]["centre"], det["shape"]["size"]
    omega = _rectangle_solid_angle(cx - sx / 2, cx + sx / 2, cy - sy / 2, cy + sy / 2, cz - sz / 2)
    assert abs(_number(r"solid angle ([0-9.e+-]+) sr", out) / omega - 1) < 0.015
    assert abs(_number(r"centre ([0-9.e+-]+) m from", out) - math.hypot(cx, cy, cz)) < 0.01
    assert _number(r"mass ([0-9.e+-]+) t \(quoted\)", out) == det["mass_t"]
    m, eps = 0.05, 3e-7
    r = (M_E / m) ** 2
    gamma = ALPHA * eps**2 * m / 3 * (1 + 2 * r) * math.sqrt(1 - 4 * r)
    assert abs(_number(r"total width ([0-9.e+-]+) GeV", out) / gamma - 1) < 2e-3
    assert abs(_number(r"cτ = ([0-9.e+-]+) m", out) / (HBAR_C / gamma) - 1) < 2e-3
    assert "BR e+e- 1" in out and "pi0_decay              open" in out
    assert "POT = 6.6e+20 (card)" in out and "8 GeV kinetic" in out
    assert "sbnd_dark_photon.parquet, sbnd_dark_photon.root, sbnd_dark_photon.summary.json" in out
    assert "energy_min = 0.1 GeV" in out


def test_closed_channel_and_its_reason(capsys):
    """A 200 MeV A′ cannot come from π⁰ → γA′ (m_π⁰ = 135 MeV): closed, with the pipeline's reason."""
    assert main(["check", str(CARDS / "sbnd_dark_photon.toml"), "--set", "model.mass=0.2"]) == 0
    out = capsys.readouterr().out
    line = next(row for row in out.splitlines() if row.strip().startswith("pi0_decay"))
    assert "closed:" in line and len(line.split("closed:")[1].strip()) > 10


def test_alp_plan_width(capsys):
    """CCM ALP card: Γ(a → γγ) = g²m³/(64π) (Döbrich et al., arXiv:1512.03069, Eq. (2.2))."""
    assert main(["check", str(CARDS / "ccm_alp.toml")]) == 0
    out = capsys.readouterr().out
    g, m = 1e-5, 1e-3
    gamma = g**2 * m**3 / (64 * math.pi)
    assert abs(_number(r"total width ([0-9.e+-]+) GeV", out) / gamma - 1) < 2e-3
    assert abs(_number(r"cτ = ([0-9.e+-]+) m", out) / (HBAR_C / gamma) - 1) < 2e-3
    assert "primakoff" in out and "decay to gammagamma" in out and "LANSCE_Lujan" in out
    assert abs(_number(r"centre ([0-9.e+-]+) m from", out) - 23) < 1.0
    assert "outputs:   none" in out


def test_scatter_card_plan_and_dry_run_writes_nothing(tmp_path, monkeypatch, capsys):
    monkeypatch.chdir(tmp_path)
    assert main(["run", "--dry-run", str(CARDS / "coherent_csi_cevns.toml")]) == 0
    out = capsys.readouterr().out
    assert "scatter: cevns" in out and "recoil_min" in out and "dry run: nothing generated" in out
    assert "coherent_csi_cevns.parquet" in out
    assert list(tmp_path.iterdir()) == []


def test_run_says_the_scan_section_is_ignored(capsys):
    assert main(["run", "--dry-run", str(CARDS / "nucal_dark_photon.toml")]) == 0
    err = capsys.readouterr().err
    assert "[scan] section is ignored" in err and "darkbeam scan" in err
