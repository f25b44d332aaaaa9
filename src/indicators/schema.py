"""The one declaration of every table and field; DDL, validation rules and docs derive from it.

A field's typed constraints (`Minimum`, `ExclusiveMinimum`, `Finite`, `OneOf`) and a table's
row checks (`RowCheck`) each give one SQL predicate. That predicate is the table's CHECK and,
negated, the rule `validate.py` lists offending rows with; `expected` words it for a message.
Adding a rule is one more constraint in a declaration below.
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace

from indicators import codes

STATUSES = codes.STATUS.codes
SOURCE_KINDS = codes.SOURCE_KIND.codes
BATCH_KINDS = codes.BATCH_KIND.codes


def _q(name: str) -> str:
    return f'"{name}"'


def _num(value: float) -> str:
    return repr(int(value)) if float(value).is_integer() else repr(float(value))


class Constraint(ABC):
    """A rule on one column's value. `sql(col)` is true for an allowed value (and NULL for a
    NULL one, which `required` handles); `expected` words it, as in "a finite number > 0"."""

    @abstractmethod
    def sql(self, col: str) -> str: ...

    @property
    @abstractmethod
    def expected(self) -> str: ...


@dataclass(frozen=True)
class Minimum(Constraint):
    value: float

    def sql(self, col: str) -> str:
        return f"{col} >= {_num(self.value)}"

    @property
    def expected(self) -> str:
        return f">= {_num(self.value)}"


@dataclass(frozen=True)
class ExclusiveMinimum(Constraint):
    value: float

    def sql(self, col: str) -> str:
        return f"{col} > {_num(self.value)}"

    @property
    def expected(self) -> str:
        return f"> {_num(self.value)}"


@dataclass(frozen=True)
class Finite(Constraint):
    """Not infinite and not NaN (DuckDB sorts NaN above Infinity, so the bound rejects it).

    Compared with the infinities rather than calling isfinite(): DuckDB 1.5.5 fails to
    replay a WAL holding a CHECK that calls isfinite next to COMMENT ON COLUMN (duckdb#19712).
    """

    def sql(self, col: str) -> str:
        return f"{col} > '-Infinity'::DOUBLE AND {col} < 'Infinity'::DOUBLE"

    @property
    def expected(self) -> str:
        return "finite"


@dataclass(frozen=True)
class OneOf(Constraint):
    """An enumerated value: one of a code table's codes, or of a tuple of strings."""

    values: tuple[str, ...]

    def sql(self, col: str) -> str:
        allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in self.values)
        return f"{col} IN ({allowed})"

    @property
    def expected(self) -> str:
        return "one of " + ", ".join(self.values)


@dataclass(frozen=True)
class RowCheck:
    """A rule across columns of one row, written with {column} placeholders, e.g.
    RowCheck("{base} <> {quote}", "a quote currency other than base", column="quote").
    `column` is the one a problem message names."""

    template: str
    expected: str
    column: str

    @property
    def columns(self) -> tuple[str, ...]:
        return tuple(dict.fromkeys(re.findall(r"\{(\w+)\}", self.template)))

    def sql(self, col: dict[str, str] | None = None) -> str:
        """The predicate with each column written as `col[name]` (quoted names by default)."""
        return self.template.format(**{c: (col or {}).get(c, _q(c)) for c in self.columns})


@dataclass(frozen=True)
class Plausible:
    """A plausibility rule on a field, applied by validate.py to every file-shaped load
    (CLI import, Upload page, saved extractions).

    kinds: `non_negative` (>= 0 unless the row is a change, see CHANGE_UNITS/CHANGE_ID_WORDS),
    `not_placeholder` (not a
    placeholder host, title or the template's example value), `outlier` (a WARNING, not a
    rejection, when more than `factor` times away from the median of the others of the same
    indicator, geo and period length; needs at least `min_others` others).
    """

    kind: str
    expected: str
    factor: float = 10.0
    min_others: int = 2


# A figure may be negative only when it is a change: its unit is one of these, or its
# indicator id names a change with one of these words.
CHANGE_UNITS = ("%", "x", "pp")
CHANGE_ID_WORDS = ("growth", "change", "yoy", "delta")
# Reserved documentation domains (RFC 2606) and any subdomain of them: never a real source.
PLACEHOLDER_HOSTS = ("example.org", "example.com", "example.net")
PLACEHOLDER_TITLES = ("Title of the article",)

NON_NEGATIVE = Plausible(
    "non_negative",
    "a value >= 0: a count or amount cannot be negative; only a change or growth (unit "
    + ", ".join(CHANGE_UNITS) + ", or an indicator id naming "
    + "/".join(CHANGE_ID_WORDS) + ") may be")
OUTLIER = Plausible(
    "outlier",
    "a value within 10x of the median of the other figures of the same indicator, geo and "
    "period length", factor=10.0, min_others=2)
PLACEHOLDER_SOURCE = Plausible(
    "not_placeholder",
    "a real source: this is a placeholder, not a source a reader could check")


@dataclass(frozen=True)
class Field:
    """One column: its SQL type, meaning and the rules a value must meet."""

    name: str
    type: str  # TEXT, DOUBLE, DATE, TIMESTAMP, BIGINT, BOOLEAN
    description: str
    required: bool = False
    constraints: tuple[Constraint, ...] = ()
    default: str | None = None  # the value a blank or missing cell of an import takes
    rule: str | None = None  # a value rule validate.py checks in Python: currency, period
    unit: str | None = None
    plausible: tuple[Plausible, ...] = ()  # plausibility rules, see Plausible

    @property
    def enum(self) -> tuple[str, ...] | None:
        for c in self.constraints:
            if isinstance(c, OneOf):
                return c.values
        return None

    def check_sql(self, col: str | None = None) -> str | None:
        """The conjunction of the field's constraints on `col` (its quoted name by default)."""
        col = col or _q(self.name)
        parts = [c.sql(col) for c in self.constraints]
        return " AND ".join(parts) if parts else None

    @property
    def expected(self) -> str:
        """What a value must be, in words: "a finite number > 0", "one of a, b"."""
        if self.enum:
            return "one of " + ", ".join(self.enum)
        numeric = [c for c in self.constraints if not isinstance(c, OneOf)]
        finite = any(isinstance(c, Finite) for c in numeric)
        bounds = " and ".join(c.expected for c in numeric if not isinstance(c, Finite))
        noun = "a finite number" if finite else "a number"
        return noun + (f" {bounds}" if bounds else "")


# Fields that several tables share, declared once and referred to by name.
FIELDS: dict[str, Field] = {f.name: f for f in (
    Field("date", "DATE", "Date the rate applies to (ISO 8601).", required=True),
    Field("base", "TEXT", "ISO 4217 code of the currency priced.", required=True,
          rule="currency"),
    Field("quote", "TEXT", "ISO 4217 code of the currency it is priced in.", required=True,
          rule="currency"),
    Field("rate", "DOUBLE", "Price of 1 unit of base in quote; finite and > 0.",
          required=True, constraints=(ExclusiveMinimum(0), Finite())),
    Field("source", "TEXT", "Source id (see `sources`).", required=True),
    Field("fetched_at", "TIMESTAMP", "When a fetcher retrieved it; empty for curated rows."),
    Field("request_url", "TEXT", "Exact URL a fetcher requested; empty for curated rows."),
    Field("batch", "BIGINT", "Batch that last wrote this row."),
)}


def fields(*items: str | Field, **changes: dict) -> tuple[Field, ...]:
    """A table's fields: names from FIELDS, or Fields; `changes[name]` adjusts a shared one
    (a description, whether it is required) for this table."""
    out = []
    for item in items:
        f = FIELDS[item] if isinstance(item, str) else item
        out.append(replace(f, **changes[f.name]) if f.name in changes else f)
    return tuple(out)


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    csv_columns: tuple[str, ...] = ()  # columns of the import/export format, when it has one
    csv_required: tuple[str, ...] = ()
    checks: tuple[RowCheck, ...] = ()
    extra: dict = field(default_factory=dict)
    # False for the tables every load writes through `store.commit`: their key is kept
    # unique by the write path (one writer at a time, `db.check_keys` after every write),
    # not by an index, on every back end. Maintaining the primary-key index of `rates`
    # was most of a 1M-row import (issue 15). The catalogue, batches and journal keep it.
    key_index: bool = True

    def field(self, name: str) -> Field:
        for f in self.fields:
            if f.name == name:
                return f
        raise KeyError(f"{self.name}.{name}")

    @property
    def names(self) -> tuple[str, ...]:
        return tuple(f.name for f in self.fields)


SOURCES = Table(
    name="sources",
    description="One row per source document or feed that a rate or figure comes from.",
    primary_key=("id",),
    fields=fields(
        Field("id", "TEXT", "Stable short identifier, e.g. `nbu-monthly` or `src-1a2b3c4d`.",
              required=True),
        Field("title", "TEXT", "Headline or name of the source.", required=True),
        Field("url", "TEXT", "Where the source can be read."),
        Field("publisher", "TEXT", "Who published it, e.g. The Times of Central Asia."),
        Field("published", "DATE", "Date the source was published, when it states one."),
        Field("accessed", "DATE", "Date the source was read or fetched."),
        Field("kind", "TEXT", "Type of source; ticker snapshots are low-precision.",
              required=True, constraints=(OneOf(SOURCE_KINDS),)),
        Field("licence", "TEXT", "Licence or terms of reuse."),
        Field("attribution", "TEXT", "The line to print when reusing its data, where the "
              "publisher asks for one."),
        Field("note", "TEXT", "How the source was used, caveats, how an undated one was dated."),
        "batch",
    ),
)

RATES = Table(
    name="rates",
    description="Exchange rates: the price of 1 unit of `base` in `quote`, per date and source.",
    primary_key=("date", "base", "quote", "source"),
    key_index=False,
    csv_columns=("date", "base", "quote", "rate", "source"),
    csv_required=("date", "base", "quote", "rate"),
    fields=fields("date", "base", "quote", "rate", "source", "fetched_at", "request_url",
                  "batch"),
    checks=(RowCheck("{base} <> {quote}", "a currency other than base: a currency priced in "
                     "itself is always 1 and says nothing", column="quote"),),
)

FIGURES = Table(
    name="figures",
    description="Quantitative claims about the Middle Corridor, each with its verbatim sentence.",
    primary_key=("indicator", "geo", "period", "source"),
    key_index=False,
    csv_columns=("indicator", "geo", "period", "value", "unit", "source_url", "source_title",
                 "published", "quote", "status", "note", "derivation"),
    csv_required=("indicator", "geo", "period", "value", "unit"),
    fields=fields(
        Field("indicator", "TEXT", "Indicator id from the catalogue (see `indicators`).",
              required=True),
        Field("geo", "TEXT", "Place, route or scope, e.g. `TITR via Kazakhstan (rail)`.",
              required=True),
        Field("period", "TEXT", "YYYY, YYYY-Qn, YYYY-Hn, YYYY-MM, YYYY-MM-DD or an interval A/B.",
              required=True, rule="period"),
        Field("period_start", "DATE", "First day of the period (derived from `period`).",
              required=True),
        Field("period_end", "DATE", "Last day of the period (derived from `period`).",
              required=True),
        Field("value", "DOUBLE", "Value in base units: 1.1 million tons is 1100000 t.",
              required=True, constraints=(Finite(),), plausible=(NON_NEGATIVE, OUTLIER)),
        Field("unit", "TEXT", "Base unit: t, TEU, trains, %, x, days, USD, EUR, ...",
              required=True),
        Field("status", "TEXT", "Whether the figure is reported, forecast, target or capacity.",
              required=True, constraints=(OneOf(STATUSES),), default=codes.STATUS.default),
        Field("quote", "TEXT", "The verbatim sentence from the source that states the figure.",
              plausible=(PLACEHOLDER_SOURCE,)),
        "source",
        Field("derived", "BOOLEAN", "True when computed from other figures, not stated.",
              required=True),
        Field("derivation", "TEXT", "How a derived value was computed, with its inputs."),
        Field("note", "TEXT", "Curator's note: scope caveats, rounding, disagreements."),
        "batch",
    ),
)

INDICATORS = Table(
    name="indicators",
    description="The controlled catalogue of indicators that figures refer to.",
    primary_key=("id",),
    csv_columns=("id", "name", "unit", "category", "description"),
    csv_required=("id", "name", "unit", "category"),
    fields=fields(
        Field("id", "TEXT", "Identifier, snake_case, e.g. `container_trains`.", required=True),
        Field("name", "TEXT", "Human-readable name.", required=True),
        Field("unit", "TEXT", "The one base unit every figure of this indicator uses.",
              required=True),
        Field("category", "TEXT", "Group: volume, growth, port, time, investment, ...",
              required=True),
        Field("description", "TEXT", "What is measured, and what is not."),
        "batch",
        batch={"description": "Batch that added this indicator."},
    ),
)

BATCHES = Table(
    name="batches",
    description="One row for every load: seed, import, upload, fetch, extract or undo.",
    primary_key=("id",),
    fields=(
        Field("id", "BIGINT", "Batch id, increasing.", required=True),
        Field("kind", "TEXT", "What kind of load it was.", required=True,
              constraints=(OneOf(BATCH_KINDS),)),
        Field("origin", "TEXT", "File name or URL the rows came from (never used as a path)."),
        Field("sha256", "TEXT", "SHA-256 of the loaded bytes."),
        Field("target", "TEXT", "Table written: rates, figures, or sources for catalogue loads.",
              required=True),
        Field("rows_inserted", "BIGINT", "Rows that were new.", required=True),
        Field("rows_updated", "BIGINT", "Rows whose values changed.", required=True),
        Field("rows_unchanged", "BIGINT", "Rows identical to stored data.", required=True),
        Field("created_at", "TIMESTAMP", "When the batch was committed (UTC).", required=True),
        Field("actor", "TEXT", "Who did it: user name, `editor`, or `cli:<user>`."),
        Field("undone_by", "BIGINT", "Id of the undo batch that reverted this one, if any."),
        Field("note", "TEXT", "Notices raised while loading (new indicators, ignored columns)."),
    ),
)

CHANGES = Table(
    name="changes",
    description="Old values of every row a batch overwrote, so any batch can be undone exactly.",
    primary_key=("batch", "tbl", "key"),
    fields=(
        Field("batch", "BIGINT", "Batch that overwrote the row.", required=True),
        Field("tbl", "TEXT", "Table changed.", required=True),
        Field("key", "TEXT", "JSON array of the row's primary-key values.", required=True),
        Field("old", "TEXT", "JSON object of the whole row before the batch changed it.",
              required=True),
    ),
)

HELD_RATES = Table(
    name="held_rates",
    description="Fetched rates held for review (absurd, or a jump > 50%), never stored silently.",
    primary_key=RATES.primary_key,
    key_index=False,
    fields=fields(
        "date", "base", "quote", "rate", "source",
        Field("reason", "TEXT", "Why it was held, e.g. `jump of +63% from 87.45 on 2026-05-22`.",
              required=True),
        "fetched_at", "request_url", "batch",
        # A held value is kept as received, whatever it is: that is why it is held.
        rate={"description": "The value as received.", "required": False, "constraints": ()},
        source={"description": "Source id of the fetcher."},
        fetched_at={"description": "When it was fetched.", "required": True},
        request_url={"description": "Exact URL requested."},
        batch={"description": "Batch (a refresh) that held it."},
    ),
)

RATE_FLAGS = Table(
    name="rate_flags",
    description="Stored rates that sit far from their neighbours: kept as published, flagged "
                "so that tables and hovers say so and charts can hide them.",
    primary_key=RATES.primary_key,
    key_index=False,
    fields=fields(
        "date", "base", "quote", "source",
        Field("reason", "TEXT", "Why it is flagged, with the distance from its neighbours.",
              required=True),
        "batch",
        date={"description": "Date of the flagged rate."},
        source={"description": "Source id of the flagged rate."},
        batch={"description": "Batch that added the flag."},
    ),
)

TABLES: tuple[Table, ...] = (SOURCES, INDICATORS, BATCHES, RATES, FIGURES, CHANGES, HELD_RATES,
                             RATE_FLAGS)
BY_NAME = {t.name: t for t in TABLES}
# Columns of the figures CSV that describe its source rather than the figure.
FIGURE_SOURCE_FIELDS = (
    Field("source_url", "TEXT", "URL of the source.", plausible=(PLACEHOLDER_SOURCE,)),
    Field("source_title", "TEXT", "Title of the source.", plausible=(PLACEHOLDER_SOURCE,)),
    Field("published", "DATE", "Publication date of the source."),
)
# Tables a user can import and export as CSV.
CSV_KINDS = {"rates": RATES, "figures": FIGURES}
# How an import treats rows already stored: upsert changes them, add-only refuses the file.
LOAD_MODES = ("upsert", "add-only")


def ddl(table: Table, *, constraints: bool = True) -> list[str]:
    """CREATE TABLE plus COMMENT statements for one table.

    Without `constraints` (a DuckLake store, which refuses them) only NOT NULL is
    declared; the key, enum and CHECK rules are then kept by validation and a writer lock.
    A table without `key_index` gets no PRIMARY KEY on either back end (see Table).
    """
    cols = []
    for f in table.fields:
        parts = [f'"{f.name}" {f.type}']
        if f.required:
            parts.append("NOT NULL")
        if constraints:
            parts += [f"CHECK ({c.sql(_q(f.name))})" for c in f.constraints]
        cols.append(" ".join(parts))
    if constraints:
        cols += [f"CHECK ({c.sql()})" for c in table.checks]
    pk = ", ".join(f'"{c}"' for c in table.primary_key)
    stmts = [
        f'CREATE TABLE IF NOT EXISTS "{table.name}" (\n  '
        + ",\n  ".join(cols)
        + (f",\n  PRIMARY KEY ({pk})" if constraints and table.key_index else "") + "\n)",
        f"COMMENT ON TABLE \"{table.name}\" IS '{_sql_str(table.description)}'",
    ]
    for f in table.fields:
        stmts.append(
            f'COMMENT ON COLUMN "{table.name}"."{f.name}" IS \'{_sql_str(f.description)}\''
        )
    return stmts


def all_ddl() -> list[str]:
    return [s for t in TABLES for s in ddl(t)]


def _sql_str(text: str) -> str:
    # Comments are DDL, which takes no parameters; the text is ours, quoted for safety.
    return text.replace("'", "''")


def data_dictionary() -> str:
    """Markdown data dictionary, written to docs/data-dictionary.md and checked by a test."""
    out = [
        "# Data dictionary",
        "",
        "Generated from `src/indicators/schema.py` by `indicators docs`. Do not edit by hand.",
        "",
    ]
    for t in TABLES:
        out += [f"## `{t.name}`", "", t.description, ""]
        out.append("Primary key: " + ", ".join(f"`{c}`" for c in t.primary_key) + (
            "." if t.key_index else " (unique, kept by the write path rather than an index)."))
        if t.csv_columns:
            out.append("CSV columns: " + ",".join(t.csv_columns) + " (required: "
                       + ", ".join(t.csv_required) + ").")
        out += ["", "| field | type | required | allowed | description |", "|---|---|---|---|---|"]
        for f in t.fields:
            allowed = ", ".join(f.enum) if f.enum else (f.expected if f.constraints else "")
            if f.default is not None:
                allowed += f" (blank: {f.default})"
            out.append(
                f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | {allowed} "
                f"| {f.description} |"
            )
        out.append("")
        if t.checks:
            out += [f"Each row: `{c.sql()}` ({c.expected})." for c in t.checks] + [""]
    out += ["## Codes", "",
            "The codes that `status`, `kind` and the batches' `kind` take, from "
            "`src/indicators/codes.py`. Rank orders them: the firmest status and the "
            "preferred source kind come first.", ""]
    for table in (codes.STATUS, codes.SOURCE_KIND, codes.BATCH_KIND):
        out += [f"### {table.name}", "", "| code | label | rank | description |",
                "|---|---|---|---|"]
        out += [f"| `{c.code}` | {c.label} | {c.rank} | {c.description} |" for c in table]
        out.append("")
    return "\n".join(out)
