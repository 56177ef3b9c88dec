"""Validation cases against published beam-dump exclusions (shared by the tests and the report).

Each :class:`Case` states the source (paper and figure), the configuration (a shipped card and the
overrides), what the publication says about the point (inside or outside its 90 % CL excluded
region, i.e. the published analysis expects ≥ 2.3 or < 2.3 signal events there), and the
tolerance with its reason.  darkbeam's number is the expected event count of the shipped card at
the point, for the published exposure.

Why a factor-10 margin on 2.3
-----------------------------
These are re-analyses of 1980s data with O(1) uncertain inputs that darkbeam takes from public
code rather than from the papers (meson yields per POT: a factor 1.3–2.5 spread in
``generator/sources/data/facility_sources.toml``; the CHARM off-axis position and the E137
decay-region geometry are UNCONFIRMED in ``detectors/data/``).  In the long-lived regime the count
scales as ε⁴, so a factor 10 in events is a factor 1.8 in ε: a point chosen more than a factor ~2
in ε inside (outside) the published boundary must give N > 23 (N < 0.23).  A point that needs
a tighter statement than this is not a fair test of a re-implementation.

All cases below are figure readings (NuCal, CHARM, E137 dark-photon regions): no digitised curve of these
dark-photon analyses is in the project's reference set (``shared/reference/limits/`` holds MiniBooNE-DM,
a NOvA recast and two inelastic-DM curves; CHARM's there is the iDM recast of arXiv:1908.07525, which
needs iDM production at the target, issue 18). Where a digitised curve exists the comparison is made
against it instead: MiniBooNE-DM, ``miniboone_dm.py``.

Where the published boundary is quoted only through a figure, the point is chosen well inside or
outside the region *as drawn* (the figure and the coarse reading are named in ``published``);
the abstract numbers used are quoted verbatim.  The figure readings are order-of-magnitude
readings of the well-known regions (the figures were not re-digitised for this table); a reader
with the figure at hand can check each statement at a glance, which is why only points a factor
≥ 3 in ε from any edge are used.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
CARDS = ROOT / "cards"

#: 90 % CL Poisson upper limit on the signal for zero observed events and no background
N90 = 2.303
#: margin on N90 (see module docstring)
MARGIN = 10.0


@dataclass(frozen=True)
class Case:
    name: str
    card: str                      # file in cards/
    overrides: dict                # darkbeam.run keyword overrides (section__key=value)
    inside: bool                   # inside the published excluded region?
    source: str                    # paper, figure
    published: str                 # what the paper says about this point
    reason: str                    # tolerance and its reason
    known_failure: str = ""        # non-empty: darkbeam disagrees; the evidence (never tuned away)
    slow_events: int = 200_000     # per channel, @slow run
    fast_events: int = 20_000      # per channel, default run
    fast_overrides: dict = field(default_factory=dict)   # extra overrides of the default run

    @property
    def criterion(self) -> str:
        return f"N > {MARGIN * N90:.0f}" if self.inside else f"N < {N90 / MARGIN:.2f}"

    def passes(self, n: float, err: float) -> bool:
        # statistical error is included on the conservative side
        return (n - 2 * err > MARGIN * N90) if self.inside else (n + 2 * err < N90 / MARGIN)


def run_case(case: Case, events: int, fast: bool = False):
    """darkbeam's expected count at the case's point: (N, stat error, by-channel dict, wall s)."""
    import time
    import darkbeam
    t0 = time.perf_counter()
    res = darkbeam.run(CARDS / case.card, events=events, outputs=[], summary=None,
                       keep_events=False, progress=False,
                       **case.overrides, **(case.fast_overrides if fast else {}))
    return (float(res.expected_events), float(res.stat_uncertainty),
            {k: float(v) for k, v in res.by_channel.items()}, time.perf_counter() - t0)


NUCAL_PI0 = ("Blümlein & Brunner, PLB 701 (2011) 155, arXiv:1104.2747, Fig. 3 (π⁰ → γγ′, NuCal, "
             "1.71×10¹⁸ POT, E_sh > 3 GeV)")
NUCAL_BREM = ("Blümlein & Brunner, PLB 731 (2014) 320, arXiv:1311.3870, abstract and Fig. 6 "
              "(proton bremsstrahlung, NuCal)")
CHARM = ("Gninenko, PLB 713 (2012) 244, arXiv:1204.3583, Fig. 2 (η, η′ → γγ′ at CHARM, 2.4×10¹⁸ POT); "
         "region as redrawn in Ilten et al., JHEP 06 (2018) 004, arXiv:1801.04847, Fig. 1")
E137_FAST = {"production__cascade_parents": 200}   # EM-cascade pool: 2000 → 200 primaries in the default run
E137 = ("Bjorken, Essig, Schuster, Toro, PRD 80 (2009) 075018, arXiv:0906.0580, Fig. 1 (E137, "
        "≈30 C of 20 GeV e⁻, 179 m shield + 204 m decay region)")

LONG = "long-lived regime: N ∝ ε⁴, factor 10 in N = 1.8 in ε (yields uncertain ×1.3–2.5)"
SHORT = "prompt regime: N falls like exp(−ℓ/γβcτ); any O(1) input change keeps N ≪ 2.3"

CASES: list[Case] = [
    # --- NuCal, π⁰/η decays --------------------------------------------------------------------
    Case("NuCal π⁰/η: m=50 MeV, ε=1e-6 (inside)", "nucal_dark_photon.toml",
         {"model__mass": 0.05, "model__epsilon": 1e-6}, True, NUCAL_PI0,
         "inside: the π⁰ region at 50 MeV spans ε ≈ 10⁻⁷…10⁻⁵ (figure reading)", LONG),
    Case("NuCal π⁰/η: m=50 MeV, ε=1e-8 (below)", "nucal_dark_photon.toml",
         {"model__mass": 0.05, "model__epsilon": 1e-8}, False, NUCAL_PI0,
         "outside (below the lower edge, ε ≈ 10⁻⁷ at 50 MeV; figure reading)", LONG),
    Case("NuCal π⁰/η: m=50 MeV, ε=1e-4 (above)", "nucal_dark_photon.toml",
         {"model__mass": 0.05, "model__epsilon": 1e-4}, False, NUCAL_PI0,
         "outside (above the upper edge: the γ′ decays in the iron dump)", SHORT),
    # --- NuCal, proton bremsstrahlung ------------------------------------------------------------
    Case("NuCal p-brem: m=300 MeV, ε=1e-6 (inside)", "nucal_dark_photon.toml",
         {"model__mass": 0.3, "model__epsilon": 1e-6}, True, NUCAL_BREM,
         "inside: 'extended mass and coupling exclusion bounds … ranging to masses m_γ′ of 624 MeV "
         "at ε ≃ 10⁻⁶' (abstract); 300 MeV at 10⁻⁶ is in the body of the region", LONG),
    Case("NuCal p-brem: m=800 MeV, ε=1e-6 (beyond the tip)", "nucal_dark_photon.toml",
         {"model__mass": 0.8, "model__epsilon": 1e-6}, False, NUCAL_BREM,
         "outside: the region ends at 624 MeV (abstract)", SHORT),
    Case("NuCal p-brem: m=500 MeV, ε=1e-6 (near the tip)", "nucal_dark_photon.toml",
         {"model__mass": 0.5, "model__epsilon": 1e-6}, True, NUCAL_BREM,
         "inside: the region reaches 624 MeV at ε ≃ 10⁻⁶ (abstract)",
         "near the tip the count is exponentially sensitive to the hardest γ′ (decay length "
         "γβcτ ≲ 16 m vs 64 m to NuCal); tested with the usual margin",
         known_failure=(
             "darkbeam gives N = 0.12 (e⁺e⁻ only) instead of ≥ 2.3. At m = 500 MeV, ε = 10⁻⁶ the γ′ has "
             "cτ ≈ 0.16 m, so only the hardest γ′ (z = E/E_p ≳ 0.85) survive the 64 m to NuCal, and the "
             "count is set by the z → 1 end of the spectrum. Measured (50 000 samples): the card's "
             "proton_brem integrates z ∈ [0.1, 0.9] (the ALPINIST/FairShip choice, "
             "generator/production/proton_brem.py); z_max = 0.95 gives 0.195, z_max = 0.99 gives 0.273 "
             "e⁺e⁻ events, and γ′ → μ⁺μ⁻ adds 0.269 (arXiv:1311.3870 counts e, μ and hadronic "
             "signatures; BR(ee) = 0.40 here). That is ≈ 0.67 with ππ, still ×3.4 short of 2.3: within the "
             "documented kernel spread at 0.5 GeV (the BB kernel is 1.6× the exact transverse one; the "
             "off-shell proton form factor changes it by 2–70×, formulas-production.md §2.3–2.5), "
             "amplified by the exponential decay-length sensitivity. At 300 MeV (γβcτ ≫ 64 m) the two "
             "agree on 'inside'. Not tuned: the card keeps the generator's defaults.")),
    # --- CHARM -----------------------------------------------------------------------------------
    Case("CHARM: m=100 MeV, ε=1e-6 (inside)", "charm_dark_photon.toml",
         {"model__mass": 0.1, "model__epsilon": 1e-6}, True, CHARM,
         "inside: the CHARM region at 100 MeV spans ε ≈ 2×10⁻⁷…3×10⁻⁶ (figure reading)", LONG),
    Case("CHARM: m=50 MeV, ε=1e-6 (inside)", "charm_dark_photon.toml",
         {"model__mass": 0.05, "model__epsilon": 1e-6}, True, CHARM,
         "inside (figure reading)", LONG),
    Case("CHARM: m=100 MeV, ε=1e-8 (below)", "charm_dark_photon.toml",
         {"model__mass": 0.1, "model__epsilon": 1e-8}, False, CHARM,
         "outside, below the lower edge (figure reading)", LONG),
    Case("CHARM: m=100 MeV, ε=3e-5 (above)", "charm_dark_photon.toml",
         {"model__mass": 0.1, "model__epsilon": 3e-5}, False, CHARM,
         "outside, above the upper edge (γ′ decays before 480 m)", SHORT),
    # --- E137 ------------------------------------------------------------------------------------
    Case("E137: m=50 MeV, ε=1e-6 (inside)", "e137_dark_photon.toml",
         {"model__mass": 0.05, "model__epsilon": 1e-6}, True, E137,
         "inside: the E137 region at 50 MeV spans ε ≈ 10⁻⁷…10⁻⁵·⁵ (figure reading)", LONG),
    Case("E137: m=20 MeV, ε=1e-6 (inside)", "e137_dark_photon.toml",
         {"model__mass": 0.02, "model__epsilon": 1e-6}, True, E137,
         "inside (figure reading)", LONG),
    Case("E137: m=50 MeV, ε=1e-9 (below)", "e137_dark_photon.toml",
         {"model__mass": 0.05, "model__epsilon": 1e-9}, False, E137,
         "outside, below the lower edge (figure reading)", LONG),
    Case("E137: m=50 MeV, ε=1e-4 (above)", "e137_dark_photon.toml",
         {"model__mass": 0.05, "model__epsilon": 1e-4}, False, E137,
         "outside, above the upper edge (γ′ decays inside the 179 m shield)", SHORT),
    Case("E137: m=1 GeV, ε=1e-6 (heavy)", "e137_dark_photon.toml",
         {"model__mass": 1.0, "model__epsilon": 1e-6}, False, E137,
         "outside: the E137 region ends below ≈ 0.5 GeV (figure)", SHORT),
]

# --- MiniBooNE-DM ----------------------------------------------------------------------------------
# The figure-reading case that stood here ("MiniBooNE-DM χN: m_χ=20 MeV, Y=3e-8 (inside)", N > 23 in
# the nucleon channel three times above the PRL abstract's Y ≲ 10⁻⁸) is replaced by the comparison with
# the digitised published curve (arXiv:1807.06137 Fig. 24a) at 17 masses:
# tests/validation/miniboone_dm.py and test_miniboone_dm_curve.py (issue 20 item 7). That test is
# stricter: its m_χ = 20 MeV point requires darkbeam's ε at the curve within 30 % of the published one.

#: the EM-cascade pool is the cost of the e⁻-beam cases; the default run uses a 10× smaller pool
CASES = [replace(c, fast_overrides=E137_FAST) if c.card.startswith("e137") else c for c in CASES]
