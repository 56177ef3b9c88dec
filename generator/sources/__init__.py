"""darkbeam.sources — what the target makes: mesons, photons, e± and stopped-pion neutrinos.

Public API
----------
Parents batches (:class:`Parents`) with weights per POT come from

* :func:`facility_meson_source` / :func:`meson_source` → :class:`MesonSource` (``.sample(rng, n)``): π⁰, π±,
  η, η′, ρ⁰, ω, φ, K from Sanford–Wang (BNB), BMPT (30–450 GeV), Burman–Smith (0.585–0.8 GeV) and the
  documented 1–3 GeV choice, normalised by the documented yields per POT (:func:`source_parameters`,
  YIELDS.md);
* :func:`photons_from_decays` (π⁰/η/η′ → γγ) and :func:`em_cascade` / :func:`facility_em_cascade` (all
  photons above a cut and e±/γ track-length spectra in the target);
* :func:`stopped_pion_source` → :class:`StoppedPionSource` (π-DAR ν_μ line, Michel ν_e and ν̄_μ, timing);
* :func:`at_rest_source` / :func:`in_flight_source` (:mod:`.meson_decays`): π±, K±, K⁰_L at their decay points —
  at rest in targets and absorbers, in flight in the decay pipe (no horn focusing) — with t = decay time;
* :func:`read_parents` / :func:`load_parents` (the user's CSV, Parquet, ROOT or HepMC3 files; a dk2nu-like
  decay-point schema for beam-simulation output).

:func:`describe` and :func:`plot_source` serve ``darkbeam info source FACILITY --plot``.
"""

from .describe import describe, plot_source
from .em_cascade import CascadeResult, em_cascade
from .facility_parameters import facilities, source_parameters, yields_markdown
from .meson_decays import AtRestMesons, InFlightMesons, at_rest_source, in_flight_source
from .mesons import PARAMETRIZATIONS, MesonSource, facility_meson_source, meson_source
from .parents import Parents
from .photons import photons_from_decays
from .stopped_pion import StoppedPionSource, stopped_parents, stopped_pion_source
from .target_em import facility_em_cascade
from .user_files import load_parents, read_parents

__all__ = [
    "PARAMETRIZATIONS",
    "AtRestMesons",
    "CascadeResult",
    "InFlightMesons",
    "MesonSource",
    "Parents",
    "StoppedPionSource",
    "at_rest_source",
    "describe",
    "em_cascade",
    "facilities",
    "facility_em_cascade",
    "facility_meson_source",
    "in_flight_source",
    "load_parents",
    "meson_source",
    "photons_from_decays",
    "plot_source",
    "read_parents",
    "source_parameters",
    "stopped_parents",
    "stopped_pion_source",
    "yields_markdown",
]
