"""A plain UTF-8 file on disk is scanned where it is (no staging copy), and refused if it
changes between being read and being staged."""

from __future__ import annotations

from pathlib import Path

import duckdb

from indicators import ingest, store

CSV = ("date,base,quote,rate,source\n2024-01-02,KZT,USD,0.0021,bench\n"
       "2024-01-03,KZT,USD,0.0022,bench\n")


def _parse(path: Path, stat=None) -> ingest.ParsedFile:
    return ingest.parse(path.read_bytes(), origin=path.name, source=path,
                        source_stat=stat or ingest.file_stat(path))


def test_a_plain_utf8_file_is_scanned_in_place(tmp_path):
    path = tmp_path / "rates.csv"
    path.write_text(CSV, encoding="utf-8")
    with _parse(path) as parsed:
        assert parsed.text_path == path
        conn = duckdb.connect()
        assert ingest.stage(conn, parsed) == 2
    assert path.exists()  # closing the parsed file leaves the user's file alone


def test_other_files_are_still_copied(tmp_path):
    crlf = tmp_path / "crlf.csv"
    crlf.write_bytes(CSV.replace("\n", "\r\n").encode())
    glob = tmp_path / "rates[1].csv"
    glob.write_text(CSV, encoding="utf-8")
    cp1251 = tmp_path / "cp.csv"
    cp1251.write_bytes((CSV + "2024-01-04,KZT,USD,0.0023,Нацбанк\n").encode("cp1251"))
    for path in (crlf, glob, cp1251):
        with _parse(path) as parsed:
            assert parsed.text_path != path and parsed.source_stat is None
            assert ingest.stage(duckdb.connect(), parsed) >= 2


def test_a_file_changed_after_it_was_read_is_refused(tmp_path, store_path):
    path = tmp_path / "rates.csv"
    path.write_text(CSV, encoding="utf-8")
    size, mtime = ingest.file_stat(path)
    with _parse(path, stat=(size, mtime - 1)) as parsed:  # as if it changed since
        try:
            ingest.stage(duckdb.connect(), parsed)
        except ingest.Rejected as exc:
            assert "changed after it was read" in exc.problems[0].expected
        else:
            raise AssertionError("a changed file was staged")
    # Through the store: nothing is written, the reason is given.
    before = store.load_path(store_path, path, dry_run=True)
    assert before.ok and before.inserted == 2
    result = store.load_bytes(store_path, path.read_bytes(), origin=path.name, source=path,
                              source_stat=(size + 1, mtime))
    assert not result.ok and result.batch is None
    assert "changed after it was read" in str(result.problems[0])
