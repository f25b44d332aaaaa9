"""The least a rates import that keeps its checks could do, as one whole process.

    .venv/bin/python benchmarks/import_least.py STORE CSV

Not the product's import: a measuring stick for issue 15's import row (run_all.py runs it
interleaved with the floor and `indicators import`). It assumes everything that makes the
real import cheap, and skips everything that could be skipped for this benchmark's file:

- `rates` loses its primary-key index (the table is rebuilt without it, untimed, before
  the clock starts: a store made that way), uniqueness left to the writer's own check;
- the file is read ONCE, typed by DuckDB's reader (strict: a file that does not type would
  need the real, line-numbered path, which is not measured here);
- Python reads the bytes once for the SHA-256 of the batch record and the control
  character check, as the import must;
- the checks every row must pass, in one aggregate scan: values present, rate finite and
  above zero, base ≠ quote, codes from ISO 4217, duplicate keys (distinct key hashes);
- the diff against the stored rows, the insert of the new rows with their batch, the
  batch record, one transaction.

It does not resolve sources, write previews, fingerprint the plan or report a problem's
line. If this is already more than 2× the floor, so is any import that keeps the checks.

With `--bind` the batch record's values are bound as parameters, as the project's rule
("pass every SQL value as a parameter") has every statement do: DuckDB 1.5.5's Python
client imports pandas and numpy the first time any value is bound (0.4–0.6 s here; only
None is not), which the literal SQL above avoids. That is the least a *conforming* import
could do.
"""

from __future__ import annotations

import sys
import time

T0 = time.perf_counter()
import hashlib  # noqa: E402

import duckdb  # noqa: E402

from indicators import iso4217  # noqa: E402 - a frozenset of codes, nothing else

# Control characters other than tab, LF and CR: what the import refuses in a text file.
CONTROLS = bytes(c for c in range(32) if c not in (9, 10, 13)) + b"\x7f"


def prepare(store: str) -> None:
    """Rebuild `rates` without its primary key (not timed: a store made that way)."""
    conn = duckdb.connect(store)
    ddl = conn.execute("SELECT sql FROM duckdb_tables() WHERE table_name = 'rates'").fetchone()[0]
    start = ddl.find(", PRIMARY KEY(")
    if start < 0:  # a store made since issue 15's fourth round has none
        conn.close()
        return
    ddl = ddl[:start] + ddl[ddl.index(")", start) + 1:]
    conn.execute("BEGIN")
    conn.execute("CREATE TABLE rates_keep AS SELECT * FROM rates")
    conn.execute("DROP TABLE rates")
    conn.execute(ddl)
    conn.execute("INSERT INTO rates SELECT * FROM rates_keep")
    conn.execute("DROP TABLE rates_keep")
    conn.execute("COMMIT")
    conn.close()


def run(store: str, csv_path: str, bind: bool = False) -> dict[str, float]:
    steps: dict[str, float] = {}
    t = time.perf_counter()
    data = open(csv_path, "rb").read()  # noqa: SIM115 - read once, closed by the GC
    sha = hashlib.sha256(data).hexdigest()
    if data.translate(None, CONTROLS) != data:
        raise SystemExit("control characters: the real path would report them")
    if not data.isascii():
        data.decode("utf-8")  # a file that is not UTF-8 takes the real path
    del data
    steps["python: read, hash, control characters"] = time.perf_counter() - t
    conn = duckdb.connect(store, config={"memory_limit": "512MB"})
    lit = "'" + csv_path.replace("'", "''") + "'"

    def step(name: str, sql: str):
        t = time.perf_counter()
        out = conn.execute(sql).fetchall()
        steps[name] = steps.get(name, 0.0) + time.perf_counter() - t
        return out

    step("read typed", f"""CREATE TEMP TABLE _typed AS SELECT * FROM read_csv({lit},
        header = true, auto_detect = false, strict_mode = true, dateformat = '%Y-%m-%d',
        columns = {{'date': 'DATE', 'base': 'VARCHAR', 'quote': 'VARCHAR',
                    'rate': 'DOUBLE', 'source': 'VARCHAR'}})""")
    codes = step("codes", 'SELECT DISTINCT base FROM _typed UNION SELECT DISTINCT "quote" '
                 "FROM _typed")
    if not {c for (c,) in codes if c} <= iso4217.ALL:
        raise SystemExit("a code outside ISO 4217: the real path would report it")
    rows, missing, bad_rate, same, keys = step("checks", """SELECT count(*),
        count(*) FILTER (WHERE date IS NULL OR base IS NULL OR "quote" IS NULL
                         OR rate IS NULL),
        count(*) FILTER (WHERE rate <= 0 OR NOT isfinite(rate)),
        count(*) FILTER (WHERE base = "quote"),
        count(DISTINCT hash(date, base, "quote", source)) FROM _typed""")[0]
    if missing or bad_rate or same or keys != rows:
        raise SystemExit("the file breaks a rule: the real path would report it")
    matched = step("diff", """SELECT count(*) FROM _typed n JOIN rates o
        ON o.date = n.date AND o.base = n.base AND o."quote" = n."quote"
        AND o.source = n.source""")[0][0]
    step("write", "BEGIN")
    batch = step("write", "SELECT coalesce(max(id), 0) + 1 FROM batches")[0][0]
    new = "" if not matched else (
        ' WHERE NOT EXISTS (SELECT 1 FROM rates o WHERE o.date = n.date AND o.base = n.base '
        'AND o."quote" = n."quote" AND o.source = n.source)')
    step("write", f'INSERT INTO rates (date, base, "quote", rate, source, batch) SELECT date, '
         f'base, "quote", rate, source, {int(batch)} FROM _typed n{new}')
    if bind:  # as the project's rule has it: every value of the record a parameter
        t = time.perf_counter()
        conn.execute("INSERT INTO batches (id, kind, origin, sha256, target, rows_inserted, "
                     "rows_updated, rows_unchanged, created_at, actor) VALUES "
                     "(?, ?, ?, ?, ?, ?, ?, ?, now()::TIMESTAMP, ?)",
                     [batch, "import", "bench", sha, "rates", rows - matched, 0, matched,
                      "bench"])
        steps["write"] += time.perf_counter() - t
    else:
        step("write", "INSERT INTO batches (id, kind, origin, sha256, target, rows_inserted, "
             "rows_updated, rows_unchanged, created_at, actor) VALUES "
             f"({int(batch)}, 'import', 'bench', '{sha}', 'rates', {rows - matched}, 0, "
             f"{matched}, now()::TIMESTAMP, 'bench')")
    step("write", "COMMIT")
    conn.close()
    steps["whole process"] = time.perf_counter() - T0
    return steps


if __name__ == "__main__":
    if sys.argv[1] == "--prepare":
        prepare(sys.argv[2])
    else:
        for name, secs in run(sys.argv[1], sys.argv[2], bind="--bind" in sys.argv[3:]).items():
            print(f"{name}: {secs:.3f} s")
