"""The Helm form factor written out for the validation tests, independently of darkbeam's code.

F(q) = 3 j₁(qR)/(qR) e^{−q²s²/2}, R² = c² + 7/3 π² a² − 5 s², c = 1.23 A^{1/3} − 0.60 fm,
a = 0.52 fm, s = 0.9 fm (Lewin & Smith, Astropart. Phys. 6 (1996) 87, §4); q in GeV, A the
nuclear mass in u.
"""

from __future__ import annotations

import math

HBARC_FM = 0.1973269804      # ħc in GeV fm (CODATA 2018)


def helm(q: float, a_mass: float) -> float:
    c = 1.23 * a_mass ** (1 / 3) - 0.60
    a, s = 0.52, 0.9
    r = math.sqrt(c * c + 7 / 3 * math.pi**2 * a * a - 5 * s * s)
    x = q / HBARC_FM * r
    damp = math.exp(-0.5 * (q / HBARC_FM * s) ** 2)
    if x < 1e-4:
        return damp
    return 3 * (math.sin(x) / x**2 - math.cos(x) / x) / x * damp
