"""Each bad file in tests/data is rejected with the exact problem, and the store is untouched."""

from pathlib import Path

import pytest
from conftest import export_all

from indicators import ingest, settings, store

DATA = Path(__file__).parent / "data"

# file -> [(line, column, words the expectation must contain), ...], in report order
EXPECTED = {
    "bad_binary.csv": [(None, None, "binary file")],
    "bad_columns_missing.csv": [(1, "quote", "a 'quote' column (required for rates)")],
    "bad_currency_unknown.csv": [(3, "quote", "ISO 4217")],
    "bad_date_ambiguous.csv": [(2, "date", "could be 3 April or 4 March")],
    "bad_date_not_in_calendar.csv": [(2, "date", "exists in the calendar")],
    "bad_date_not_iso.csv": [(2, "date", "ISO 8601 date YYYY-MM-DD")],
    "bad_decimal_mixed.csv": [(3, "rate", "decimal comma")],
    "bad_duplicate_key.csv": [(4, None, "repeats line 2")],
    "bad_empty.csv": [(None, None, "the file is empty")],
    "bad_field_count.csv": [(2, None, "5 fields like the header, found 6"),
                            (3, None, "5 fields like the header, found 3")],
    "bad_figure_duplicate_key.csv": [(3, None, "repeats line 2")],
    "bad_figure_no_source.csv": [(2, "source_url", "fill source_url or source_title")],
    "bad_figure_no_source_columns.csv": [(1, "source_url", "every figure names its source")],
    "bad_header_only.csv": [(2, None, "at least one data row")],
    "bad_indicator_id.csv": [(2, "indicator", "snake_case")],
    "bad_kind_unrecognisable.csv": [(1, None, "cannot be recognised")],
    "bad_many_problems.csv": [(3, "date", "never guessed"), (4, "base", "ISO 4217"),
                              (5, "rate", "> 0"), (6, "rate", "a number like"),
                              (7, "quote", "required"), (8, None, "repeats line 2"),
                              (9, None, "found 6")],
    "bad_period_backwards.csv": [(2, "period", "runs backwards")],
    "bad_period_form.csv": [(2, "period", "YYYY-Qn"), (3, "period", "YYYY-Qn")],
    "bad_rate_missing.csv": [(2, "rate", "required")],
    "bad_rate_negative.csv": [(3, "rate", "a finite number > 0")],
    "bad_rate_not_a_number.csv": [(2, "rate", "a number like"), (3, "rate", "a number like")],
    "bad_rate_not_finite.csv": [(2, "rate", "finite"), (3, "rate", "finite"),
                                (4, "rate", "finite")],
    "bad_rate_zero.csv": [(2, "rate", "> 0")],
    "bad_status_unknown.csv": [(2, "status", "one of reported, forecast")],
    "bad_unclosed_quote.csv": [(3, None, "closing quote")],
    "bad_unit_conflict.csv": [(2, "unit", "'trains', the catalogue's unit")],
    "bad_value_not_finite.csv": [(2, "value", "a finite number")],
}


def test_every_bad_file_has_an_expectation():
    assert sorted(p.name for p in DATA.glob("bad_*.csv")) == sorted(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_bad_file_is_rejected_with_line_column_and_store_unchanged(store_path, name):
    before = export_all(store_path)
    result = store.load_path(store_path, DATA / name)
    assert not result.ok and result.batch is None
    got = [(p.line, p.column) for p in result.problems]
    assert got == [(line, col) for line, col, _ in EXPECTED[name]], result.problems
    for problem, (_, _, words) in zip(result.problems, EXPECTED[name], strict=True):
        assert words in problem.expected, problem
    assert export_all(store_path) == before


def test_problems_name_the_value_found(store_path):
    result = store.load_path(store_path, DATA / "bad_rate_negative.csv")
    assert str(result.problems[0]) == (
        "line 3, column 'rate': value '-3.5': expected a finite number > 0")


def test_ambiguous_date_explains_and_is_never_guessed(store_path):
    result = store.load_path(store_path, DATA / "bad_date_ambiguous.csv")
    (p,) = result.problems
    assert p.value == "03/04/2025"
    assert "never guessed" in p.expected and "YYYY-MM-DD" in p.expected


def test_add_only_rejects_a_file_that_would_change_a_row_and_names_it(store_path):
    first = store.load_bytes(store_path, b"date,base,quote,rate,source\n2099-01-01,USD,KZT,500,t\n",
                             origin="a.csv")
    assert first.ok
    before = export_all(store_path)
    result = store.load_bytes(
        store_path,
        b"date,base,quote,rate,source\n2099-01-02,USD,KZT,1,t\n2099-01-01,USD,KZT,501,t\n",
        origin="b.csv", mode="add-only")
    assert [(p.line, p.column) for p in result.problems] == [(3, None)]
    assert "add-only" in result.problems[0].expected
    assert list(result.changed_rows["rate (old)"]) == [500.0]
    assert export_all(store_path) == before


def test_problems_past_the_cap_are_counted_not_dropped(store_path):
    lines = ["date,base,quote,rate,source"]
    for year in (2097, 2098, 2099):  # 3 x 336 = 1,008 rows, each with a negative rate
        lines += [f"{year}-{1 + i // 28:02d}-{1 + i % 28:02d},USD,KZT,-1,t" for i in range(336)]
    before = export_all(store_path)
    result = store.load_bytes(store_path, ("\n".join(lines) + "\n").encode(), origin="x.csv")
    listed = [p for p in result.problems if p.line is not None]
    assert len(listed) == 1000 and listed[0].line == 2 and listed[-1].line == 1001
    (rest,) = [p for p in result.problems if p.line is None]
    assert "8 more rows with this problem" in rest.expected
    assert export_all(store_path) == before


def test_file_over_the_size_limit_is_refused_before_it_is_read(store_path, tmp_path, monkeypatch):
    big = tmp_path / "big.csv"
    big.write_bytes(b"date,base,quote,rate\n" + b"2099-01-01,USD,KZT,500\n" * 60_000)
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.name, "1")
    monkeypatch.setattr(Path, "read_bytes", lambda self: pytest.fail("the file was read"))
    result = store.load_path(store_path, big)
    (p,) = result.problems
    assert p.value == "1.4 MB (1,380,021 bytes)"
    assert "at most 1 MB (1,000,000 bytes" in p.expected


def test_browser_and_cli_share_one_limit_in_bytes(store_path, tmp_path, monkeypatch):
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.name, "1")
    assert ingest.max_bytes() == 1_000_000 and ingest.max_megabytes() == 1
    head = b"date,base,quote,rate\n"
    over = head + b"x" * (1_000_001 - len(head))
    f = tmp_path / "over.csv"
    f.write_bytes(over)
    page = store.load_bytes(store_path, over, origin="over.csv")  # the Upload page's path
    cli = store.load_path(store_path, f)  # the CLI's path
    assert page.problems[0].expected == cli.problems[0].expected
    assert "at most 1 MB (1,000,000 bytes" in cli.problems[0].expected


def test_size_limit_defaults_to_50_mb_and_matches_streamlit_config(monkeypatch):
    import tomllib

    monkeypatch.delenv(settings.MAX_UPLOAD_MB.name, raising=False)
    assert ingest.max_bytes() == 50_000_000
    config = tomllib.loads((Path(__file__).parents[1] / ".streamlit" / "config.toml").read_text())
    assert config["server"]["maxUploadSize"] == ingest.max_megabytes() == 50


def test_bytes_over_the_limit_are_refused_by_parse(monkeypatch):
    monkeypatch.setenv(settings.MAX_UPLOAD_MB.name, "0.001")
    with pytest.raises(ingest.Rejected) as exc:
        ingest.parse(b"date,base,quote,rate\n" + b"2099-01-01,USD,KZT,500\n" * 100, origin="x")
    assert "at most" in exc.value.problems[0].expected


def test_excel_workbook_is_named_as_such():
    with pytest.raises(ingest.Rejected) as exc:
        ingest.parse(b"PK\x03\x04\x14\x00\x06\x00" + bytes(200), origin="book.xlsx")
    assert "Excel" in exc.value.problems[0].expected
