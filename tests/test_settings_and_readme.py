"""Settings are declared once and read at call time; the README's tables are the code's."""

import re
from pathlib import Path

from click.testing import CliRunner

from indicators import readme_tables, settings
from indicators.cli import main

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _section(key: str) -> str:
    start, end = readme_tables.MARKERS[key]
    return README[README.index(start) + len(start):README.index(end)].strip()


def test_readme_tables_are_the_generated_ones():
    assert readme_tables.render(README) == README, "run: indicators docs"


def test_readme_configuration_table_lists_every_declared_setting():
    table = _section("configuration")
    named = re.findall(r"^\| `(INDICATORS_\w+)` \|", table, re.M)
    assert named == [s.name for s in settings.SETTINGS]
    assert "INDICATORS_CONTACT" in named


def test_every_setting_the_code_names_is_declared_and_read_only_through_settings():
    declared = {s.name for s in settings.SETTINGS}
    named: set[str] = set()
    for path in (ROOT / "src" / "indicators").rglob("*.py"):
        text = path.read_text(encoding="utf-8")
        named |= set(re.findall(r"\bINDICATORS_[A-Z_]+[A-Z]\b", text))
        if path.name != "settings.py":
            # Only settings.py reads our variables (store.py reads USER for the actor name).
            reads = re.findall(r"os\.environ(?:\.get)?\(?\[?\s*[\"']?([A-Z_]*)", text) + \
                re.findall(r"os\.getenv\(\s*[\"']?([A-Z_]*)", text)
            assert all(r == "USER" for r in reads), (path.name, reads)
    assert named <= declared, named - declared
    for path in (ROOT / "scripts").iterdir():
        if path.is_file():
            used = set(re.findall(r"\bINDICATORS_[A-Z_]+[A-Z]\b", path.read_text("utf-8")))
            assert used <= declared, (path.name, used - declared)


def test_settings_are_read_at_call_time(monkeypatch):
    from indicators import db, ingest, transforms
    from indicators.fetch.http import user_agent

    monkeypatch.setenv(settings.DB.name, "/tmp/elsewhere.duckdb")
    assert str(db.resolve_path()) == "/tmp/elsewhere.duckdb"
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.name, "2")
    assert ingest.max_bytes() == 2_000_000  # megabytes of 1,000,000 bytes
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.name, "-3")  # not accepted: the default
    assert ingest.max_bytes() == settings.MAX_UPLOAD_MB.default * ingest.MEGABYTE
    monkeypatch.setenv(settings.STALE_BUSINESS_DAYS.name, "soon")
    assert transforms.stale_limit() == settings.STALE_BUSINESS_DAYS.default
    monkeypatch.setenv(settings.CONTACT.name, "ops@example.org ✉")
    assert user_agent().endswith("; contact ops@example.org )")
    monkeypatch.delenv(settings.CONTACT.name)
    assert "contact" not in user_agent()


def test_declaring_a_setting_twice_is_refused():
    try:
        settings.declare(settings.DB.name, "x", "again")
    except ValueError:
        return
    raise AssertionError("a second declaration was accepted")


def _help(*args: str) -> str:
    result = CliRunner().invoke(main, [*args, "--help"], terminal_width=200)
    assert result.exit_code == 0, result.output
    return result.output


def test_readme_command_table_matches_indicators_help():
    rows = dict(re.findall(r"^\| `indicators ([\w-]+)([^`]*)` \|", _section("commands"),
                           re.M))
    listed = re.findall(r"^  ([\w-]+)\s", _help().split("Commands:")[1], re.M)
    assert sorted(rows) == sorted(listed)
    for name, usage in rows.items():
        text = _help(name)
        in_help = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", text)) - {"--db", "--help"}
        in_row = set(re.findall(r"(?<![\w-])(--[a-z][\w-]*)", usage))
        assert in_row == in_help, name
        for argument in re.findall(r"(?<![-\[\w])([A-Z][A-Z_|]+)(?![\w.])", usage.split("[")[0]):
            assert argument in text, (name, argument)
