"""Small helpers shared by the extraction tests."""

import pytest

from indicators.extract import extract_figures
from indicators.extract.quantities import find_quantities


def figures(text, published=None, catalogue=(), **kwargs):
    """The figures extracted from plain text, with an optional catalogue."""
    return extract_figures(text, catalogue=list(catalogue), published=published,
                           is_html=False, **kwargs).figures


def units(text):
    """(value, unit) of every quantity in one sentence."""
    return [(q.value, q.unit) for q in find_quantities(text, [])]


def find(found, value, unit):
    """The first figure with this value and unit; fails listing what was found instead."""
    matches = [f for f in found if f.unit == unit and f.value == pytest.approx(value)]
    assert matches, f"no {value} {unit} in {[(f.value, f.unit, f.period) for f in found]}"
    return matches[0]
