"""The CLI loads what a command needs when it runs it (issue 15).

Each case runs the command in a fresh interpreter and lists the heavy modules it loaded;
a behaviour check, not a timing (the timings are in benchmarks/run_all.py).
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("pandas", "numpy", "pyarrow", "trafilatura", "requests", "lxml", "plotly",
         "streamlit", "indicators.extract", "indicators.articles")

PROBE = """
import json, sys
from indicators import cli
sys.argv = ["indicators", *json.loads(sys.argv[1])]
try:
    cli.main()
except SystemExit as exc:
    code = exc.code
else:
    code = 0
print("\\n@@" + json.dumps({"code": code, "modules": sorted(sys.modules)}))
"""


def _run(args: list[str]) -> tuple[int, set[str], str]:
    proc = subprocess.run([sys.executable, "-c", PROBE, json.dumps(args)],
                          capture_output=True, text=True, timeout=120)
    out, _, tail = proc.stdout.rpartition("\n@@")
    assert tail, proc.stderr
    report = json.loads(tail)
    return report["code"], set(report["modules"]), out


def _loaded(modules: set[str], names: tuple[str, ...]) -> list[str]:
    return sorted(n for n in names if n in modules)


@pytest.mark.parametrize("args", [["--help"], ["import", "--help"], ["history", "--help"]])
def test_help_loads_no_data_library(args):
    code, modules, out = _run(args)
    assert code == 0 and "Usage:" in out
    assert _loaded(modules, HEAVY + ("duckdb",)) == []


def test_history_loads_neither_pandas_nor_the_extractor(store_path: Path):
    code, modules, out = _run(["history", "-n", "1", "--db", str(store_path)])
    assert code == 0
    assert len(out.strip().splitlines()) == 1 and "\tseed\t" in out
    assert "duckdb" in modules  # it did read the store
    assert _loaded(modules, HEAVY) == []
    # nor the write path: parsing, validation, charset detection (batch_log reads the log)
    assert _loaded(modules, ("indicators.store", "indicators.ingest", "indicators.validate",
                             "charset_normalizer")) == []


def test_refresh_help_still_lists_the_sources():
    from indicators import fetch

    code, _modules, out = _run(["refresh-rates", "--help"])
    assert code == 0
    for source_id in fetch.SOURCE_IDS:
        assert source_id in out
