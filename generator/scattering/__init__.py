"""darkbeam.scattering — scattering of dark particles, ALPs and neutrinos in the detector.

* :mod:`.cross_sections` — pure dσ/dT, dσ/dcosθ functions on arrays (cm²), formulas-detection.md §3;
* :func:`total_cross_section` — σ(E) of a process on a target (cm²);
* :mod:`.sampling` — unbiased weighted recoil sampling on per-event log grids;
* :mod:`.kinematics` — exact 2 → 2 final states; :mod:`.targets` — nuclei and electrons of a medium;
* :mod:`.stopped_pion` — closed-form π-DAR neutrino spectra and timing (formulas-detection.md §4);
* :class:`ScatterSignal` — the signal stage (analogue of :class:`darkbeam.decays.DecaySignal`).
"""

from .cross_sections import (dsigma_dt_cevns, dsigma_dt_dm_electron, dsigma_dt_dm_nucleus,
                             dsigma_dt_nu_electron, dsigma_dv_inverse_compton, dsigma_dv_primakoff)
from .form_factors import helm_form_factor, nuclear_mass
from .processes import PROCESSES
from .signal import ScatterSignal
from .targets import Nucleus, Targets, targets_from_material
from .total import total_cross_section

__all__ = ["PROCESSES", "Nucleus", "ScatterSignal", "Targets", "dsigma_dt_cevns", "dsigma_dt_dm_electron",
           "dsigma_dt_dm_nucleus", "dsigma_dt_nu_electron", "dsigma_dv_inverse_compton", "dsigma_dv_primakoff",
           "helm_form_factor", "nuclear_mass", "targets_from_material", "total_cross_section"]
