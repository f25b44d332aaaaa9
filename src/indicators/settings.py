"""Every setting, declared once: its environment variable, default and meaning (as
Datasette's SETTINGS). Values are read from the environment on every call, never at import,
so a test or a long-running server sees a change. The README's configuration table is
generated from these declarations (`indicators docs`) and a test keeps the two equal.

Adding a setting is one line: `NAME = declare("INDICATORS_<NAME>", default, "meaning")`.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Setting:
    name: str  # the environment variable
    default: Any  # the value when the variable is unset, blank or unreadable
    meaning: str
    parse: Callable[[str], Any] = str
    # The default as the README shows it, when it is not simply `default`.
    shown_default: str | None = None
    # Accepts a parsed value; anything else falls back to the default.
    accept: Callable[[Any], bool] = lambda _value: True

    def raw(self, environ: Mapping[str, str] | None = None) -> str | None:
        """The variable's text, stripped; None when unset or blank."""
        text = (os.environ if environ is None else environ).get(self.name)
        text = text.strip() if text is not None else None
        return text or None

    def get(self, environ: Mapping[str, str] | None = None) -> Any:
        """The value now: parsed from the environment, else the default."""
        text = self.raw(environ)
        if text is None:
            return self.default
        try:
            value = self.parse(text)
        except ValueError:
            return self.default
        return value if self.accept(value) else self.default

    def is_set(self, environ: Mapping[str, str] | None = None) -> bool:
        return self.raw(environ) is not None

    @property
    def default_text(self) -> str:
        if self.shown_default is not None:
            return self.shown_default
        return "" if self.default is None else f"`{self.default}`"


SETTINGS: list[Setting] = []


def declare(name: str, default: Any, meaning: str, **options: Any) -> Setting:
    """Declare a setting; it is listed in SETTINGS in the order declared."""
    if any(s.name == name for s in SETTINGS):
        raise ValueError(f"{name} is declared twice")
    setting = Setting(name, default, meaning, **options)
    SETTINGS.append(setting)
    return setting


def _positive(value: float) -> bool:
    return value > 0


DB = declare("INDICATORS_DB", "data/indicators.duckdb",
             "the DuckDB file, or `ducklake:postgres:<libpq string>` for a shared DuckLake store "
             "([docs/deploy.md](docs/deploy.md)); the CLI's `--db` wins over it")
LAKE_DATA_PATH = declare("INDICATORS_LAKE_DATA_PATH", None,
                         "a DuckLake store's data folder, the same on every replica",
                         shown_default="none")
SEED_DIR = declare("INDICATORS_SEED_DIR", None, "where `indicators init` reads the seed",
                   shown_default="`data/seed` of this clone")
EDITOR_TOKEN = declare(
    "INDICATORS_EDITOR_TOKEN", None,
    "token that unlocks uploads, refreshes, fetching article URLs and saving extracted "
    "figures (see [docs/security.md](docs/security.md))",
    shown_default="random per server, printed once by `./scripts/run` as it starts, before "
                  "the first visit")
EDITOR_TOKEN_PRINTED = declare(
    "INDICATORS_EDITOR_TOKEN_PRINTED", None,
    "`1` when `./scripts/run` made and printed the token (the pages then point to the "
    "console); not for operators", shown_default="set by `./scripts/run`")
ADDRESS = declare(
    "INDICATORS_ADDRESS", "127.0.0.1",
    "the address `./scripts/run` listens on; keep it local and put a reverse proxy in front "
    "for a team (`0.0.0.0` listens on every interface)")
MAX_UPLOAD_MB = declare(
    "INDICATORS_MAX_UPLOAD_MB", 50,
    "largest CSV accepted, in megabytes of 1,000,000 bytes, by the Upload page and the CLI "
    "alike; larger files are refused before they are read. Keep `server.maxUploadSize` in "
    "`.streamlit/config.toml` equal to it",
    parse=float, accept=_positive)
STALE_BUSINESS_DAYS = declare(
    "INDICATORS_STALE_BUSINESS_DAYS", 5, "warn when the latest rate is older than this",
    parse=int, accept=lambda v: v >= 0)
LOCK_TIMEOUT = declare(
    "INDICATORS_LOCK_TIMEOUT", 60.0,
    "seconds to wait for another process's write to finish", parse=float,
    shown_default="`60`")
FETCH_ALLOW_HOSTS = declare(
    "INDICATORS_FETCH_ALLOW_HOSTS", "",
    "comma-separated `host` or `host:port` entries exempt from the private-address check "
    "when an editor fetches an article URL (a local mirror, the tests); see "
    "[docs/security.md](docs/security.md)", shown_default="empty")
CONTACT = declare(
    "INDICATORS_CONTACT", None,
    "a contact (e-mail or URL) added to the User-Agent of every rate and article request, "
    "so a source can reach the operator; non-ASCII characters are dropped",
    parse=lambda text: text.encode("ascii", "ignore").decode())
# Base URLs of the rate sources (mirrors, tests); fetch/sources.py names which is which.
URL_NBK = declare("INDICATORS_URL_NBK", "https://nationalbank.kz",
                  "base URL of the National Bank of Kazakhstan's rates")
URL_CBU = declare("INDICATORS_URL_CBU", "https://cbu.uz",
                  "base URL of the Central Bank of Uzbekistan's rates")
URL_NBT = declare("INDICATORS_URL_NBT", "https://www.nbt.tj",
                  "base URL of the National Bank of Tajikistan's rates")
URL_NBKR = declare("INDICATORS_URL_NBKR", "https://www.nbkr.kg",
                   "base URL of the National Bank of the Kyrgyz Republic's rates")
URL_CBT = declare("INDICATORS_URL_CBT", "https://cbt.tm",
                  "base URL of the Central Bank of Turkmenistan's rates")
URL_FRANKFURTER = declare("INDICATORS_URL_FRANKFURTER", "https://api.frankfurter.dev",
                          "base URL of Frankfurter, the aggregate rate service")
# Read by scripts/ and the tests (declared here so that they are documented with the rest).
VENV = declare("INDICATORS_VENV", None, "the virtual environment `scripts/run` and `scripts/test` "
               "create and use", shown_default="`.venv` of this clone")
CHROMIUM = declare("INDICATORS_CHROMIUM", None,
                   "the Chromium binary the browser tests drive",
                   shown_default="`/usr/bin/chromium` if present, else Playwright's own")
TEST_PG = declare("INDICATORS_TEST_PG", None,
                  "PostgreSQL connection the lake tests use; `scripts/test` starts a throw-away "
                  "cluster and sets it", shown_default="set by `scripts/test`")
TEST_PG_DIR = declare("INDICATORS_TEST_PG_DIR", None,
                      "folder of that throw-away cluster, removed when `scripts/test` ends",
                      shown_default="set by `scripts/test`")


def by_name(name: str) -> Setting:
    for s in SETTINGS:
        if s.name == name:
            return s
    raise KeyError(name)


def markdown_table() -> str:
    """The README's configuration table."""
    rows = ["| variable | default | meaning |", "|---|---|---|"]
    rows += [f"| `{s.name}` | {s.default_text} | {s.meaning} |" for s in SETTINGS]
    return "\n".join(rows)
