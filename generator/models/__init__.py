"""Dark-sector models: mediators, their couplings and widths.

Every model exposes ``mass`` (GeV), ``pdgid``, ``width(channel)`` (GeV), ``total_width()``,
``branching_ratios()`` (dict), ``ctau()`` (m), ``decay_length(momentum)`` (m),
``coupling_names`` and ``with_couplings(**kw)`` (a new model, for coupling reweighting).

* :class:`VectorMediator` (kinetic mixing + arbitrary vector/axial couplings, dark matter) and
  the presets of :mod:`darkbeam.models.presets` (``dark_photon``, ``b_minus_l``, ``baryonic``,
  ``lmu_minus_ltau``, ``chargephobic``, ``t3r``, ``ud_arbitrary``, ``universal``);
* :class:`DarkMatter` (Dirac, complex scalar, inelastic with χ₂ → χ₁e⁺e⁻);
* :class:`ALP` (g_aγγ, g_aee, g_aμμ); :class:`DarkScalar` (Higgs mixing sin θ);
* :class:`HeavyNeutralLepton` (|U_e4|², |U_μ4|², |U_τ4|², Dirac or Majorana; :mod:`.hnl`);
* :func:`from_card` (card ``[model]`` block → model), :func:`list_presets`, :func:`plot_model`.
"""

from ._common import ModelValidityWarning
from .alp import ALP
from .card import from_card
from .dark_matter import DarkMatter
from .hnl import HeavyNeutralLepton
from .plotting import model_scan, plot_model
from .presets import PRESETS, SPECIAL_ANGLES
from .scalar import DarkScalar
from .vector import VectorMediator


def list_presets() -> dict[str, str]:
    """Preset name → one-line description."""
    return {name: desc for name, (_, _, desc) in PRESETS.items()}


def preset(name: str, mass: float, **params: float) -> VectorMediator:
    """Build a vector-mediator preset by name, e.g. ``preset('b_minus_l', 0.1, g=1e-5)``."""
    if name not in PRESETS:
        raise ValueError(f"unknown preset {name!r}; known: {sorted(PRESETS)}")
    return PRESETS[name][0](mass, **params)


__all__ = [
    "ALP",
    "PRESETS",
    "SPECIAL_ANGLES",
    "DarkMatter",
    "DarkScalar",
    "HeavyNeutralLepton",
    "ModelValidityWarning",
    "VectorMediator",
    "from_card",
    "list_presets",
    "model_scan",
    "plot_model",
    "preset",
]
