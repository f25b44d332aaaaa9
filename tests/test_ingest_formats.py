"""Every accepted CSV variant is read end to end, stored with the right values, and named."""

import pytest

from indicators import db, store

RATES = ("date,base,quote,rate,source\n2099-01-01,USD,KZT,512.5,{src}\n"
         "2099-01-02,USD,KZT,513,{src}\n")


def stored_rates(path, source_like: str = "%") -> list[tuple]:
    with db.connect(path) as conn:
        return conn.execute(
            "SELECT strftime(r.date, '%Y-%m-%d'), r.base, r.quote, r.rate, s.title "
            "FROM rates r JOIN sources s ON s.id = r.source "
            "WHERE r.date >= '2099-01-01' AND s.title LIKE ? ORDER BY 1",
            [source_like]).fetchall()


def load(path, data: bytes, **kw) -> store.Plan:
    result = store.load_bytes(path, data, origin="f.csv", **kw)
    assert result.ok, result.problems[:5]
    return result


@pytest.mark.parametrize(("encoding", "prefix", "name", "source"), [
    ("utf-8", b"", "UTF-8", "Национальный банк"),
    ("utf-8", b"\xef\xbb\xbf", "UTF-8 with BOM", "Национальный банк"),
    ("utf-16-le", b"\xff\xfe", "UTF-16 LE with BOM", "Národná banka"),
    ("utf-16-be", b"\xfe\xff", "UTF-16 BE with BOM", "Národná banka"),
    ("cp1251", b"", "Windows-1251", "Национальный банк Казахстана"),
    ("latin-1", b"", "Latin-1", "Banque de Genève"),
])
def test_encoding_is_detected_named_and_decoded(store_path, encoding, prefix, name, source):
    data = prefix + RATES.format(src=source).encode(encoding)
    result = load(store_path, data)
    assert f"Read as {name}," in result.notices[0]
    assert stored_rates(store_path) == [("2099-01-01", "USD", "KZT", 512.5, source),
                                        ("2099-01-02", "USD", "KZT", 513.0, source)]


@pytest.mark.parametrize(("delim", "name"), [(",", "comma"), (";", "semicolon"), ("\t", "tab")])
def test_delimiters(store_path, delim, name):
    result = load(store_path, RATES.format(src="test").replace(",", delim).encode())
    assert f"delimiter {name}" in result.notices[0]
    assert [r[3] for r in stored_rates(store_path)] == [512.5, 513.0]


def test_crlf_line_ends_are_read_and_named(store_path):
    result = load(store_path, RATES.format(src="test").replace("\n", "\r\n").encode())
    assert "CRLF" in result.notices[0]
    assert len(stored_rates(store_path)) == 2


def test_decimal_comma_with_semicolons_and_thousands_separators(store_path):
    text = ("date;base;quote;rate;source\n2099-01-01;USD;UZS;12 950,5;t\n"
            "2099-01-02;USD;UZS;12.951,25;t\n2099-01-03;USD;UZS;12951;t\n"
            "2099-01-04;USD;UZS;12\u00a0952,75;t\n")
    result = load(store_path, text.encode())
    assert any("Decimal commas" in n for n in result.notices)
    assert [r[3] for r in stored_rates(store_path)] == [12950.5, 12951.25, 12951.0, 12952.75]


def test_thousands_separators_in_a_comma_file(store_path):
    text = ('date,base,quote,rate,source\n2099-01-01,USD,UZS,"12,950.5",t\n'
            "2099-01-02,USD,UZS,12950,t\n")
    load(store_path, text.encode())
    assert [r[3] for r in stored_rates(store_path)] == [12950.5, 12950.0]


def test_header_case_whitespace_and_order_do_not_matter(store_path):
    text = " Rate ,SOURCE,Quote, date ,BASE\n512.5,test,KZT,2099-01-01,usd\n"
    result = load(store_path, text.encode())
    assert result.kind == "rates"
    assert stored_rates(store_path) == [("2099-01-01", "USD", "KZT", 512.5, "test")]


def test_extra_columns_are_ignored_with_a_notice(store_path):
    text = "date,base,quote,rate,source,comment,\n2099-01-01,USD,KZT,512.5,test,hello,\n"
    result = load(store_path, text.encode())
    assert any("Ignored extra column(s): 'comment', ''" in n for n in result.notices)


def test_quoted_field_with_newlines_keeps_them_and_later_lines_are_numbered_right(store_path):
    head = "indicator,geo,period,value,unit,source_title,quote\n"
    text = (head + 'container_trains,Test geo,2030,5,trains,T,"Five trains\nran, said ""X"".\n"\n'
            "container_trains,Test geo,2031,-,trains,T,q\n")
    bad = store.load_bytes(store_path, text.encode(), origin="f.csv")
    assert [(p.line, p.column) for p in bad.problems] == [(5, "value")]
    ok = load(store_path, text.replace(",-,", ",6,").encode())
    assert ok.inserted == 2
    with db.connect(store_path) as conn:
        quote = conn.execute("SELECT quote FROM figures WHERE geo = 'Test geo' AND period = '2030'"
                             ).fetchone()[0]
    assert quote == 'Five trains\nran, said "X".\n'


def test_blank_lines_are_skipped_and_line_numbers_stay_true(store_path):
    text = "date,base,quote,rate,source\n\n2099-01-01,USD,KZT,1,t\n\n2099-01-02,USD,KZT,-1,t\n"
    bad = store.load_bytes(store_path, text.encode(), origin="f.csv")
    assert [(p.line, p.column) for p in bad.problems] == [(5, "rate")]


def test_missing_source_column_gets_a_source_named_after_the_upload(store_path):
    result = load(store_path, b"date,base,quote,rate\n2099-01-01,USD,KZT,512.5\n")
    assert result.inserted == 1
    assert stored_rates(store_path)[0][4] == "Uploaded file f.csv"


def test_lower_case_currency_codes_are_normalised(store_path):
    load(store_path, b"date,base,quote,rate,source\n2099-01-01,usd,kzt,512.5,test\n")
    assert stored_rates(store_path)[0][1:3] == ("USD", "KZT")


def test_identical_rows_count_as_unchanged(store_path):
    data = RATES.format(src="test").encode()
    load(store_path, data)
    again = load(store_path, data.replace(b"512.5", b"512.50"))
    assert (again.inserted, again.updated, again.unchanged) == (0, 0, 2)


def test_rates_template_imports_and_figures_template_is_refused_as_placeholder(store_path):
    # Issue 16: the figures template's own example row (example.org, "Title of the
    # article") must not import silently; the rates template has real sources.
    from indicators import ingest

    assert load(store_path, ingest.template("rates").encode(), kind="rates").inserted >= 1
    result = store.load_bytes(store_path, ingest.template("figures").encode(), origin="f.csv",
                              kind="figures")
    assert not result.ok and result.batch is None
    assert {p.column for p in result.problems} == {"source_url", "source_title", "quote"}


def test_latin1_with_adjacent_accents_is_not_mistaken_for_windows_1251(store_path):
    result = load(store_path, RATES.format(src="Société créée").encode("latin-1"))
    assert "Read as Latin-1," in result.notices[0]
    assert stored_rates(store_path)[0][4] == "Société créée"


def test_utf16_without_a_byte_order_mark_is_refused_with_a_hint(store_path):
    result = store.load_bytes(store_path, RATES.format(src="x").encode("utf-16-le"),
                              origin="f.csv")
    (p,) = result.problems
    assert "byte-order mark" in p.expected
