"""Arbitrary bytes and mutated valid files are accepted or rejected with a message, never raise.

When a file is rejected the store is exactly as before (a hash of every stored row of every
table). Examples are few and small so the whole module runs in well under a minute.
"""

import shutil

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from indicators import db, ingest, schema, store

TABLES = ("rates", "figures", "sources", "indicators", "batches", "changes")
FUZZ = settings(max_examples=120, deadline=None, derandomize=True,
                suppress_health_check=[HealthCheck.function_scoped_fixture,
                                       HealthCheck.too_slow])

VALID_RATES = (b"date,base,quote,rate,source\n2099-01-01,USD,KZT,512.5,fuzz\n"
               b"2099-01-02,USD,KZT,\"1,513.25\",fuzz\n2099-01-03,EUR,UZS,14000,fuzz\n")
VALID_FIGURES = (b"indicator,geo,period,value,unit,source_url,source_title,published,quote,"
                 b"status,note\ncontainer_trains,Fuzz geo,2030-Q1,125,trains,https://e.x/a,"
                 b"A title,2030-04-01,\"125 trains, \"\"quoted\"\"\nran.\",reported,n\n"
                 b"container_trains,Fuzz geo,2030-01/2030-03,5,trains,,Only a title,,q,"
                 b"forecast,\n")


def state(path) -> tuple:
    with db.connect(path) as conn:
        return tuple(conn.execute(f"SELECT count(*), bit_xor(hash(t)) FROM {t} t").fetchone()
                     for t in TABLES)


def check(path, data: bytes, before: tuple) -> tuple:
    result = store.load_bytes(path, data, origin="fuzz.csv")
    if result.ok:
        assert result.batch is not None or result.inserted + result.updated == 0
        return state(path)
    assert result.problems and all(str(p) for p in result.problems)
    assert result.batch is None
    assert state(path) == before, "a rejected file changed the store"
    return before


@st.composite
def mutated(draw):
    data = bytearray(draw(st.sampled_from([VALID_RATES, VALID_FIGURES])))
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["flip", "insert", "delete", "dup_line", "delim", "encode",
                                   "truncate", "quote"]))
        pos = draw(st.integers(0, max(0, len(data) - 1)))
        if op == "flip" and data:
            data[pos] = draw(st.integers(0, 255))
        elif op == "insert":
            data[pos:pos] = draw(st.sampled_from(
                [b",", b";", b"\t", b'"', b"\n", b"\r\n", b"\x00", b"-", b"e", b"\xd0\xb9",
                 b"\xff", b"03/04/2025", b"nan", b"'; DROP TABLE rates; --", b"\xef\xbb\xbf"]))
        elif op == "delete" and data:
            del data[pos:pos + draw(st.integers(1, 8))]
        elif op == "dup_line":
            lines = bytes(data).split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            lines.insert(i, lines[i])
            data = bytearray(b"\n".join(lines))
        elif op == "delim":
            data = bytearray(bytes(data).replace(b",", draw(st.sampled_from([b";", b"\t"]))))
        elif op == "encode":
            try:
                text = bytes(data).decode("utf-8")
                data = bytearray(draw(st.sampled_from([b"\xff\xfe", b"\xfe\xff", b""]))
                                 + text.encode(draw(st.sampled_from(
                                     ["utf-16-le", "utf-16-be", "latin-1", "cp1251"])),
                                               errors="replace"))
            except UnicodeDecodeError:
                pass
        elif op == "truncate":
            data = data[:pos]
        elif op == "quote":
            data[pos:pos] = b'"'
    return bytes(data)


FIELD = st.one_of(
    st.text(alphabet="0123456789-./,;: \t\"'eE+QHUSDKZTabc\n\r\u0439\u00e9", max_size=14),
    st.sampled_from(["2099-01-01", "2030-Q1", "2030-01/2030-03", "USD", "KZT", "512.5",
                     "1,513.25", "12 950,5", "container_trains", "trains", "t", "reported",
                     "https://e.x/a", "", "03/04/2025", "-1", "inf", "XXX1"]))


@st.composite
def csv_like(draw):
    """A recognisable header and rows of random fields, randomly quoted and delimited."""
    header = draw(st.sampled_from([
        list(schema.RATES.csv_columns), list(schema.RATES.csv_required),
        list(schema.FIGURES.csv_columns), [*schema.FIGURES.csv_required, "source_title"]]))
    delim = draw(st.sampled_from([",", ";", "\t"]))
    rows = draw(st.lists(st.lists(FIELD, min_size=len(header) - 1, max_size=len(header) + 1),
                         max_size=6))

    def cell(v):
        return '"' + v.replace('"', '""') + '"' if draw(st.booleans()) else v

    lines = [delim.join(header)] + [delim.join(cell(v) for v in row) for row in rows]
    text = draw(st.sampled_from(["\n", "\r\n"])).join(lines) + "\n"
    return text.encode(draw(st.sampled_from(["utf-8", "utf-16"])), errors="replace")


@FUZZ
@given(data=csv_like())
def test_csv_like_files_never_raise_and_rejections_change_nothing(tmp_path_factory, seeded_db,
                                                                   data):
    path = _store(tmp_path_factory, seeded_db, "csv")
    check(path, data, state(path))


@FUZZ
@given(data=st.binary(max_size=600))
def test_arbitrary_bytes_never_raise_and_rejections_change_nothing(tmp_path_factory, seeded_db,
                                                                    data):
    path = _store(tmp_path_factory, seeded_db, "bytes")
    check(path, data, state(path))


@FUZZ
@given(data=mutated())
def test_mutated_valid_files_never_raise_and_rejections_change_nothing(tmp_path_factory,
                                                                       seeded_db, data):
    path = _store(tmp_path_factory, seeded_db, "mutated")
    check(path, data, state(path))


@settings(max_examples=400, deadline=None, derandomize=True)
@given(data=st.binary(max_size=2000), kind=st.sampled_from([None, "rates", "figures"]))
def test_parse_accepts_or_rejects_any_bytes(data, kind):
    try:
        with ingest.parse(data, origin="x", kind=kind) as parsed:
            assert parsed.kind in ("rates", "figures")
    except ingest.Rejected as exc:
        assert exc.problems and all(str(p) for p in exc.problems)


_STORES: dict[str, object] = {}


def _store(factory, seeded_db, name):
    # One store per test function, shared by its examples: accepted files accumulate,
    # and each example compares against the state it started from.
    if name not in _STORES:
        path = factory.mktemp(f"fuzz-{name}") / "indicators.duckdb"
        shutil.copy(seeded_db, path)
        _STORES[name] = path
    return _STORES[name]


def test_valid_seeds_of_the_mutations_are_accepted(store_path):
    for data in (VALID_RATES, VALID_FIGURES):
        result = store.load_bytes(store_path, data, origin="seed.csv")
        assert result.ok, result.problems
