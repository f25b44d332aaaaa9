"""The extractor takes whatever an analyst pastes: it never raises, and every figure it
returns quotes a sentence of the input verbatim, with a finite value."""

import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators.extract import extract_figures

WORDS = ["in", "the", "first", "half", "of", "2024", "2025", "million", "tons", "TEU", "up",
         "by", "%", "from", "to", "compared", "with", "last", "year", "trains", "$", "1,2",
         "4.5", "56 500", "thous.", "per", "day", "Q1", "9M2024", "since", "when", ",", ".",
         "-", "–", "(", ")", ":", "a", "quarter", "twice", "fivefold", "capacity", "will",
         "expected", "Aktau", "Baku", "now", "on", "Monday", "1", "=", "tenge", "bln", "x"]

sentences = st.lists(st.sampled_from(WORDS), min_size=1, max_size=40).map(" ".join)
texts = st.lists(sentences, min_size=1, max_size=6).map("\n".join)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(texts, st.sampled_from([None, "2025-03-04", "2024"]))
def test_any_wording_gives_verbatim_quotes_and_finite_values(text, published):
    result = extract_figures(text, catalogue=[], is_html=False, published=published)
    for f in result.figures:
        assert f.quote in text
        assert math.isfinite(f.value)
        assert 0 <= f.confidence <= 1


@settings(max_examples=200, deadline=None)
@given(st.text(max_size=400))
def test_arbitrary_unicode_never_raises(text):
    extract_figures(text, catalogue=[], is_html=False)
