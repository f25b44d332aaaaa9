"""The one declaration of every table and field; DDL, validation rules and docs derive from it."""

from __future__ import annotations

from dataclasses import dataclass, field

STATUSES = ("reported", "forecast", "target", "capacity")
SOURCE_KINDS = ("official", "official-cross", "aggregate", "press", "ticker", "seed-page", "user")
BATCH_KINDS = ("seed", "import", "upload", "fetch", "extract", "undo")


@dataclass(frozen=True)
class Plausible:
    """A plausibility rule on a field, applied by validate.py to every file-shaped load
    (CLI import, Upload page, saved extractions).

    kinds: `non_negative` (>= 0 unless the row is a change, see CHANGE_UNITS/CHANGE_ID_WORDS),
    `differs_from` (not equal to the field named in `other`), `not_placeholder` (not a
    placeholder host, title or the template's example value), `outlier` (a WARNING, not a
    rejection, when more than `factor` times away from the median of the others of the same
    indicator, geo and period length; needs at least `min_others` others).
    """

    kind: str
    expected: str
    other: str | None = None
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
    """One column: its SQL type, meaning and the rule a value must meet."""

    name: str
    type: str  # TEXT, DOUBLE, DATE, TIMESTAMP, BIGINT, BOOLEAN
    description: str
    required: bool = False
    enum: tuple[str, ...] | None = None
    check: str | None = None  # SQL CHECK expression; mirrored in validate.py rules
    rule: str | None = None  # name of a value rule in validate.RULES (currency, period, positive)
    unit: str | None = None
    plausible: tuple[Plausible, ...] = ()  # plausibility rules, see Plausible


@dataclass(frozen=True)
class Table:
    name: str
    description: str
    fields: tuple[Field, ...]
    primary_key: tuple[str, ...]
    csv_columns: tuple[str, ...] = ()  # columns of the import/export format, when it has one
    csv_required: tuple[str, ...] = ()
    extra: dict = field(default_factory=dict)

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
    fields=(
        Field("id", "TEXT", "Stable short identifier, e.g. `nbu-monthly` or `src-1a2b3c4d`.",
              required=True),
        Field("title", "TEXT", "Headline or name of the source.", required=True),
        Field("url", "TEXT", "Where the source can be read."),
        Field("publisher", "TEXT", "Who published it, e.g. The Times of Central Asia."),
        Field("published", "DATE", "Date the source was published, when it states one."),
        Field("accessed", "DATE", "Date the source was read or fetched."),
        Field("kind", "TEXT", "Type of source; ticker snapshots are low-precision.",
              required=True, enum=SOURCE_KINDS),
        Field("licence", "TEXT", "Licence or terms of reuse."),
        Field("attribution", "TEXT", "The line to print when reusing its data, where the "
              "publisher asks for one."),
        Field("note", "TEXT", "How the source was used, caveats, how an undated one was dated."),
        Field("batch", "BIGINT", "Batch that last wrote this row."),
    ),
)

RATES = Table(
    name="rates",
    description="Exchange rates: the price of 1 unit of `base` in `quote`, per date and source.",
    primary_key=("date", "base", "quote", "source"),
    csv_columns=("date", "base", "quote", "rate", "source"),
    csv_required=("date", "base", "quote", "rate"),
    fields=(
        Field("date", "DATE", "Date the rate applies to (ISO 8601).", required=True),
        Field("base", "TEXT", "ISO 4217 code of the currency priced.", required=True,
              rule="currency"),
        Field("quote", "TEXT", "ISO 4217 code of the currency it is priced in.", required=True,
              rule="currency", plausible=(Plausible(
                  "differs_from", "a currency other than base: a currency priced in itself is "
                  "always 1 and says nothing", other="base"),)),
        Field("rate", "DOUBLE", "Price of 1 unit of base in quote; finite and > 0.",
              required=True, check="rate > 0 AND rate < 'Infinity'::DOUBLE", rule="positive"),
        Field("source", "TEXT", "Source id (see `sources`).", required=True),
        Field("fetched_at", "TIMESTAMP", "When a fetcher retrieved it; empty for curated rows."),
        Field("request_url", "TEXT", "Exact URL a fetcher requested; empty for curated rows."),
        Field("batch", "BIGINT", "Batch that last wrote this row."),
    ),
)

FIGURES = Table(
    name="figures",
    description="Quantitative claims about the Middle Corridor, each with its verbatim sentence.",
    primary_key=("indicator", "geo", "period", "source"),
    csv_columns=("indicator", "geo", "period", "value", "unit", "source_url", "source_title",
                 "published", "quote", "status", "note", "derivation"),
    csv_required=("indicator", "geo", "period", "value", "unit"),
    fields=(
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
              required=True, rule="finite",
              check="value > '-Infinity'::DOUBLE AND value < 'Infinity'::DOUBLE",
              plausible=(NON_NEGATIVE, OUTLIER)),
        Field("unit", "TEXT", "Base unit: t, TEU, trains, %, x, days, USD, EUR, ...",
              required=True),
        Field("status", "TEXT", "Whether the figure is reported, forecast, target or capacity.",
              required=True, enum=STATUSES),
        Field("quote", "TEXT", "The verbatim sentence from the source that states the figure.",
              plausible=(PLACEHOLDER_SOURCE,)),
        Field("source", "TEXT", "Source id (see `sources`).", required=True),
        Field("derived", "BOOLEAN", "True when computed from other figures, not stated.",
              required=True),
        Field("derivation", "TEXT", "How a derived value was computed, with its inputs."),
        Field("note", "TEXT", "Curator's note: scope caveats, rounding, disagreements."),
        Field("batch", "BIGINT", "Batch that last wrote this row."),
    ),
)

INDICATORS = Table(
    name="indicators",
    description="The controlled catalogue of indicators that figures refer to.",
    primary_key=("id",),
    csv_columns=("id", "name", "unit", "category", "description"),
    csv_required=("id", "name", "unit", "category"),
    fields=(
        Field("id", "TEXT", "Identifier, snake_case, e.g. `container_trains`.", required=True),
        Field("name", "TEXT", "Human-readable name.", required=True),
        Field("unit", "TEXT", "The one base unit every figure of this indicator uses.",
              required=True),
        Field("category", "TEXT", "Group: volume, growth, port, time, investment, ...",
              required=True),
        Field("description", "TEXT", "What is measured, and what is not."),
        Field("batch", "BIGINT", "Batch that added this indicator."),
    ),
)

BATCHES = Table(
    name="batches",
    description="One row for every load: seed, import, upload, fetch, extract or undo.",
    primary_key=("id",),
    fields=(
        Field("id", "BIGINT", "Batch id, increasing.", required=True),
        Field("kind", "TEXT", "What kind of load it was.", required=True, enum=BATCH_KINDS),
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
    primary_key=("date", "base", "quote", "source"),
    fields=(
        Field("date", "DATE", "Date the rate applies to.", required=True),
        Field("base", "TEXT", "ISO 4217 code of the currency priced.", required=True),
        Field("quote", "TEXT", "ISO 4217 code of the currency it is priced in.", required=True),
        Field("rate", "DOUBLE", "The value as received."),
        Field("source", "TEXT", "Source id of the fetcher.", required=True),
        Field("reason", "TEXT", "Why it was held, e.g. `jump of +63% from 87.45 on 2026-05-22`.",
              required=True),
        Field("fetched_at", "TIMESTAMP", "When it was fetched.", required=True),
        Field("request_url", "TEXT", "Exact URL requested."),
    ),
)

RATE_FLAGS = Table(
    name="rate_flags",
    description="Stored rates that sit far from their neighbours: kept as published, flagged "
                "so that tables and hovers say so and charts can hide them.",
    primary_key=("date", "base", "quote", "source"),
    fields=(
        Field("date", "DATE", "Date of the flagged rate.", required=True),
        Field("base", "TEXT", "ISO 4217 code of the currency priced.", required=True),
        Field("quote", "TEXT", "ISO 4217 code of the currency it is priced in.", required=True),
        Field("source", "TEXT", "Source id of the flagged rate.", required=True),
        Field("reason", "TEXT", "Why it is flagged, with the distance from its neighbours.",
              required=True),
        Field("batch", "BIGINT", "Batch that added the flag."),
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
    """
    cols = []
    for f in table.fields:
        parts = [f'"{f.name}" {f.type}']
        if f.required:
            parts.append("NOT NULL")
        if f.enum and constraints:
            allowed = ", ".join("'" + v.replace("'", "''") + "'" for v in f.enum)
            parts.append(f'CHECK ("{f.name}" IN ({allowed}))')
        if f.check and constraints:
            parts.append(f"CHECK ({f.check})")
        cols.append(" ".join(parts))
    pk = ", ".join(f'"{c}"' for c in table.primary_key)
    stmts = [
        f'CREATE TABLE IF NOT EXISTS "{table.name}" (\n  '
        + ",\n  ".join(cols)
        + (f",\n  PRIMARY KEY ({pk})" if constraints else "") + "\n)",
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
        out.append("Primary key: " + ", ".join(f"`{c}`" for c in t.primary_key) + ".")
        if t.csv_columns:
            out.append("CSV columns: " + ",".join(t.csv_columns) + " (required: "
                       + ", ".join(t.csv_required) + ").")
        out += ["", "| field | type | required | allowed | description |", "|---|---|---|---|---|"]
        for f in t.fields:
            allowed = ", ".join(f.enum) if f.enum else (f.check or "")
            out.append(
                f"| `{f.name}` | {f.type} | {'yes' if f.required else ''} | {allowed} "
                f"| {f.description} |"
            )
        out.append("")
    return "\n".join(out)
