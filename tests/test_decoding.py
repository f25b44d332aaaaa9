"""Text survives its bytes: pages by declared, sniffed or detected charset (never HTTP's
ISO-8859-1 default), CSVs in UTF-8, UTF-16, Windows-1251, Windows-1252 and Latin-1, and
broken UTF-8 refused with its offset. Every sample is a real byte sequence."""

from __future__ import annotations

import pytest
from conftest_fetch import local_http_server

from indicators import articles, db, decoding, ingest, settings, store

QUOTE = "Kazakhstan’s “record” – €5 bn"
CYRILLIC = "Грузооборот вырос на 12% — до 4,5 млн тонн «по коридору»"
# The bytes as Excel on Windows writes them: “ = 0x93, ” = 0x94, – = 0x96, € = 0x80.
assert QUOTE.encode("cp1252") == b"Kazakhstan\x92s \x93record\x94 \x96 \x805 bn"


def html(text: str, head: str = "") -> str:
    return f"<html><head>{head}<title>t</title></head><body><p>{text}</p></body></html>"


def test_utf8_page_served_as_text_html_without_charset_keeps_its_quotes():
    body = html(QUOTE).encode("utf-8")
    assert QUOTE in decoding.decode_page(body, "text/html")
    assert "â€" not in decoding.decode_page(body, "text/html")


def test_declared_charset_wins_and_latin1_label_is_read_as_windows_1252():
    body = html(QUOTE).encode("cp1252")
    assert QUOTE in decoding.decode_page(body, "text/html; charset=ISO-8859-1")
    assert QUOTE in decoding.decode_page(body, 'text/html; charset="windows-1252"')
    cyr = html(CYRILLIC).encode("cp1251")
    assert CYRILLIC in decoding.decode_page(cyr, "text/html; charset=windows-1251")


def test_meta_charset_is_sniffed_when_http_declares_none():
    body = html(QUOTE, '<meta charset="windows-1252">').encode("cp1252")
    assert QUOTE in decoding.decode_page(body, "text/html")
    body = html(CYRILLIC, '<meta http-equiv="Content-Type" content="text/html; '
                          'charset=windows-1251">').encode("cp1251")
    assert CYRILLIC in decoding.decode_page(body, "text/html")


def test_undeclared_legacy_pages_are_detected():
    body = html(CYRILLIC * 3).encode("cp1251")
    assert CYRILLIC in decoding.decode_page(body, "text/html")


def test_byte_order_marks_decide_and_are_dropped():
    for codec in ("utf-8-sig", "utf-16"):
        text = decoding.decode_page(html(QUOTE).encode(codec), "text/html; charset=iso-8859-1")
        assert QUOTE in text and not text.startswith("\ufeff")


def test_a_fetched_page_without_charset_keeps_curly_quotes_through_extraction(monkeypatch):
    sentence = ("Kazakhstan’s “record” 125 container trains transited the Middle Corridor "
                "in the first quarter of 2026 – up 34.4%.")
    with local_http_server() as server:
        monkeypatch.setenv(settings.FETCH_ALLOW_HOSTS.name, f"127.0.0.1:{server.port}")
        server.expect_request("/a").respond_with_data(
            html(sentence).encode("utf-8"), content_type="text/html")
        article = articles.fetch_article(server.url_for("/a"))
    assert sentence in article.text and article.is_html
    catalogue = [{"id": "container_trains", "name": "Container trains", "unit": "trains",
                  "category": "volume", "description": "container trains"}]
    result = articles.extract(article, catalogue=catalogue, published="2026-06-03")
    quotes = {f.quote for f in result.figures}
    assert any("Kazakhstan’s “record”" in q for q in quotes), quotes
    assert not any("â€" in q for q in quotes)


# ---------------------------------------------------------------- CSV files


@pytest.mark.parametrize(("text", "codec", "name"), [
    (QUOTE, "cp1252", "Windows-1252"),
    ("Ports: Aktau – Baku, “Alat” €12 m, Poti‘s berth", "cp1252", "Windows-1252"),
    (CYRILLIC, "cp1251", "Windows-1251"),
    ("Морской порт Актау: «перевалка» выросла — 4,5 млн т", "cp1251", "Windows-1251"),
    ("São Paulo, Zürich, Ålesund, Česká", "latin-1", "Latin-1"),
    ("Zürich Straße naïve café", "latin-1", "Latin-1"),
])
def test_legacy_csv_encodings_are_told_apart(text, codec, name):
    data = ("indicator,geo,quote\n" + f"trains,KZ,\"{text}\"\n" * 3).encode(codec, "replace")
    decoded, found = decoding.decode_csv_legacy(data)
    assert found == name
    assert text.split()[0] in decoded and decoded == data.decode(codec)


def test_utf8_and_utf16_csvs_keep_their_text():
    data = f"a,b\n1,\"{QUOTE} {CYRILLIC}\"\n"
    assert decoding.decode_csv_legacy(data.encode("utf-8")) == (data, "UTF-8")
    text, name = ingest._decode(data.encode("utf-16"))
    assert text == data and name.startswith("UTF-16")


def test_broken_utf8_is_refused_with_its_byte_offset():
    good = f"indicator,quote\ntrains,\"{QUOTE}\"\n".encode()
    data = good + b"ports,\"Aktau \x93new\x94 berth\"\n"
    offset = len(good) + len(b"ports,\"Aktau ")
    with pytest.raises(decoding.BrokenUtf8) as info:
        decoding.decode_csv_legacy(data)
    assert (info.value.offset, info.value.line, info.value.byte) == (offset, 3, b"\x93")
    with pytest.raises(ingest.Rejected) as rejected:
        ingest._decode(data)
    problem = rejected.value.problems[0]
    assert problem.line == 3 and f"byte {offset}" in problem.expected


FIGURE_HEADER = ("indicator,geo,period,value,unit,source_url,source_title,published,quote,"
                 "status\n")


def cp1252_figures() -> bytes:
    row = ("container_trains,Decoding test scope,2026-Q1,125,trains,"
           "https://corridor-news.test/cp1252,“Record” year – €5 bn,2026-06-03,"
           "\"Kazakhstan’s “record” 125 trains – worth €5 bn.\",reported\n")
    return (FIGURE_HEADER + row).encode("cp1252")


def test_a_windows_1252_figures_file_is_stored_with_quotes_dash_and_euro(store_path):
    plan = store.load_bytes(store_path, cp1252_figures(), origin="cp1252.csv", kind="figures")
    assert plan.ok, plan.problems
    with db.connect(store_path) as conn:
        quote, title = conn.execute(
            "SELECT f.quote, s.title FROM figures f JOIN sources s ON s.id = f.source "
            "WHERE f.geo = 'Decoding test scope'").fetchone()
    assert quote == "Kazakhstan’s “record” 125 trains – worth €5 bn."
    assert title == "“Record” year – €5 bn"
