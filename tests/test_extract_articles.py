"""Whole articles: the synthetic development sets stay extracted, a guessed reference date is
reported, and no text crashes or hangs the extractor.

Every sentence here is synthetic (written for the test), except where a comment names
the development half of the shared corridor data."""

import json
import subprocess
import sys
from pathlib import Path

import pytest
from extract_helpers import figures

from indicators import codes
from indicators.extract import extract_figures

ROOT = Path(__file__).resolve().parents[1]


def test_the_synthetic_development_articles_stay_extracted(tmp_path):
    """A guard against regressions: the scores this round reached on the synthetic articles
    (recall 0.93-1.0, precision 0.95-1.0, period 0.87-0.96) must not fall far."""
    out = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extract_synthetic.py")],
                         capture_output=True, text=True, check=True, cwd=ROOT).stdout
    scores = [line for line in out.splitlines() if "recall=" in line]
    files = list((ROOT / "tests" / "data" / "extract_synthetic").glob("*.jsonl"))
    assert len(scores) == len(files) >= 3, out
    for line in scores:
        values = dict(part.split("=") for part in line.split() if "=" in part)
        assert float(values["recall"]) >= 0.93, line
        assert float(values["precision"]) >= 0.93, line
        assert float(values["period"]) >= 0.85, line


def test_the_synthetic_articles_are_well_formed():
    for path in (ROOT / "tests" / "data" / "extract_synthetic").glob("*.jsonl"):
        for line in path.read_text(encoding="utf-8").splitlines():
            article = json.loads(line)
            assert article["url"].split("/")[2].endswith(".test"), "made-up addresses only"
            for sentence in article["sentences"]:
                for label in sentence["figures"]:
                    assert label["status"] in codes.STATUS


def test_the_guessed_reference_date_is_reported_for_review():
    result = extract_figures("ADY carried 2.06 million tons in 2024.\nLast year's growth was 9%.",
                             catalogue=[], is_html=False)
    assert result.assumed_reference == "2025-01"
    assert "2025-01" in result.assumption_note and result.published is None
    dated = extract_figures("ADY carried 2.06 million tons in 2024.", catalogue=[],
                            is_html=False, published="2025-02-01")
    assert dated.assumed_reference is None and dated.assumption_note == ""


@pytest.mark.parametrize("text", ["1" * 5000, "1 " * 3000, "1," * 3000 + "5 tons",
                                  "(vs " * 1000 + "5", "by " * 2000 + "a quarter"])
def test_pathological_text_neither_crashes_nor_hangs(text):
    figures(text, "2025-01-01")  # a 5,000-digit number once overflowed a float
