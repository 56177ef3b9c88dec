from __future__ import annotations

import pytest

from darkbeam.units import UnitError, parse_quantity


@pytest.mark.parametrize("value, dim, expected", [
    ("50 MeV", "energy", 0.05), ("8 GeV", "energy", 8.0), (3, "energy", 3.0),
    ("110 m", "length", 110.0), ("71.12 cm", "length", 0.7112), ("5 um", "length", 5e-6),
    ("280 ns", "time", 280.0), ("2.2 us", "time", 2200.0), ("1.2 mb", "area", 1.2e-27),
    ("1e-3 GeV", "energy", 1e-3),
])
def test_parse(value, dim, expected):
    assert parse_quantity(value, dim) == pytest.approx(expected, rel=1e-14, abs=0)


@pytest.mark.parametrize("value, dim, match", [
    ("50 m", "energy", "not a unit of energy"), ("fifty MeV", "energy", "cannot read"),
    (True, "energy", "boolean"), (float("nan"), "length", "finite"), ([1], "time", "list"),
])
def test_errors(value, dim, match):
    with pytest.raises(UnitError, match=match):
        parse_quantity(value, dim)
