"""Files in: control characters anywhere, too many columns, and non-http(s) source URLs are
refused with their line, and nothing stored changes."""

from __future__ import annotations

import time

from conftest import export_all

from indicators import ingest, store

FIG = ("indicator,geo,period,value,unit,source_url,source_title,published,quote\n"
       "container_trains,TITR via Kazakhstan (rail),2031,5,trains,{url},T,2031-01-02,q\n")


def load(path, data: bytes):
    return store.load_bytes(path, data, origin="f.csv", actor="test")


def test_nul_after_the_first_8_kb_is_refused_with_line_and_column(store_path):
    before = export_all(store_path)
    rows = "".join(f"2099-01-{d:02},USD,KZT,500,test\n" for d in range(1, 29)) * 20
    data = ("date,base,quote,rate,source\n" + rows).encode() + b"2099-02-01,USD,KZT,5\x00,x\n"
    assert len(data) > 8192
    plan = load(store_path, data)
    assert not plan.ok
    (p,) = plan.problems
    assert p.line == 562 and p.value == "U+0000 at character 21" and "NUL" in p.expected
    assert export_all(store_path) == before


def test_other_control_characters_are_refused(store_path):
    before = export_all(store_path)
    rows = b"".join(b"2099-01-%02d,USD,KZT,500,test\n" % d for d in range(1, 20))
    plan = load(store_path, b"date,base,quote,rate,source\n" + rows
                + b"2099-02-01,USD,KZT,500,a\x1bb\n")
    assert [(p.line, p.value) for p in plan.problems] == [(21, "U+001B at character 25")]
    assert export_all(store_path) == before


def test_a_header_of_100000_columns_is_refused_quickly(store_path):
    before = export_all(store_path)
    header = "date,base,quote,rate," + ",".join(f"c{i}" for i in range(100_000))
    started = time.perf_counter()
    plan = load(store_path, (header + "\n2099-01-01,USD,KZT,500\n").encode())
    assert time.perf_counter() - started < 10
    (p,) = plan.problems
    assert p.line == 1 and p.value == "100,004 columns"
    assert f"at most {ingest.MAX_COLUMNS} columns" in p.expected
    assert export_all(store_path) == before


def test_source_url_must_be_http_or_https(store_path):
    before = export_all(store_path)
    for url in ("javascript:alert(1)", "file:///etc/passwd", "ftp://x.org/a"):
        plan = load(store_path, FIG.format(url=url).encode())
        assert [(p.line, p.column, p.value) for p in plan.problems] == [(2, "source_url", url)]
        assert "http:// or https://" in plan.problems[0].expected
    assert export_all(store_path) == before
    assert load(store_path, FIG.format(url="HTTPS://x.org/a").encode()).ok


def test_every_control_character_is_found_in_ascii_and_in_other_text_alike():
    """ASCII text is checked in one pass over its bytes, other text character by character:
    both find exactly the characters the pattern names, with the same line and column."""
    for code in range(0x200):
        c = chr(code)
        for text in (f"a,b\nx{c}y\n", f"é,b\nx{c}y\n"):
            found = ingest.control_problems(text)
            assert bool(found) == bool(ingest._CONTROL.search(c)), (hex(code), text)
            if found:
                assert (found[0].line, found[0].value) == (2, f"U+{code:04X} at character 2")
