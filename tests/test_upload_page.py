"""The Upload page driven through AppTest: gate, problems, preview, confirm, history, undo."""

import json
from pathlib import Path

import pytest
from conftest import export_all
from streamlit.testing.v1 import AppTest

from indicators import auth, db, settings, store
from indicators.ui import router

ROOT = Path(__file__).resolve().parents[1]
DATA = Path(__file__).parent / "data"
TOKEN = "test-editor-token-123"
NEW_RATES = (b"date,base,quote,rate,source\n2099-01-01,USD,KZT,500,test\n"
             b"2099-01-02,USD,KZT,501,test\n")


@pytest.fixture
def page(app_db, monkeypatch):
    monkeypatch.setenv(settings.EDITOR_TOKEN.name, TOKEN)
    monkeypatch.setattr(auth, "GUARD", auth.Guard())
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.run()
    at.switch_page(router.UPLOAD.file)
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def unlock(at: AppTest, token: str = TOKEN) -> AppTest:
    at.text_input(key="upload_gate_token").set_value(token)
    next(b for b in at.button if b.label == "Unlock editing").click()
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def upload(at: AppTest, data: bytes, name: str = "rates.csv") -> AppTest:
    at.file_uploader(key="upload_file").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, [e.message for e in at.exception]
    return at


def texts(at: AppTest, *kinds: str) -> list[str]:
    return [el.value for kind in kinds for el in at.get(kind)]


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def history(at: AppTest):
    return next(d.value for d in at.dataframe if "batch" in d.value.columns)


def test_visitor_without_token_sees_how_to_get_access_and_cannot_upload(page):
    assert not page.file_uploader
    info = " ".join(texts(page, "info"))
    assert "read-only" in info and "editor token above" in info
    # How to get the token is said once, in the token form, not repeated in the notice.
    how = " ".join(texts(page, "caption"))
    assert settings.EDITOR_TOKEN.name in how and settings.EDITOR_TOKEN.name not in info
    assert not history(page).empty  # the history is public, undo is not
    shown = next(d for d in page.dataframe if "batch" in d.value.columns)
    config = json.loads(shown.proto.columns)
    # row counts read 35,802, not 35802
    assert all(config[c]["type_config"]["format"] == "localized"
               for c in ("added", "changed", "removed", "restored", "unchanged"))
    assert not [b for b in page.button if b.label.startswith("Undo")]
    assert dict(page.query_params) == {}


def test_wrong_tokens_are_refused_then_slowed_down(page):
    for _ in range(3):
        unlock(page, "nope")
        assert texts(page, "error")[-1] == "Wrong token."
    unlock(page, "nope")
    assert "next try is possible in 1 s" in texts(page, "error")[-1]
    unlock(page, TOKEN)  # refused unchecked while the delay runs
    assert "was not checked" in texts(page, "error")[-1]
    assert not page.file_uploader


def test_bad_file_shows_every_problem_with_line_and_column_and_writes_nothing(page, app_db):
    before = export_all(app_db)
    upload(unlock(page), (DATA / "bad_many_problems.csv").read_bytes())
    assert "7 problem(s)" in texts(page, "error")[0]
    frame = page.dataframe[0].value
    assert list(frame["line"]) == [3, 4, 5, 6, 7, 8, 9]
    assert list(frame["column"])[:3] == ["date", "base", "rate"]
    assert frame["value"][0] == "03/04/2025"
    assert not [b for b in page.button if b.label.startswith("Confirm")]
    assert export_all(app_db) == before


def test_preview_confirm_history_and_undo_restore_the_store(page, app_db):
    before = export_all(app_db)
    upload(unlock(page), NEW_RATES)
    assert metrics(page) == {"New rows": "2", "Changed rows": "0", "Unchanged rows": "0"}
    new_rows = page.dataframe[1].value  # after the "charts that will change" table
    assert list(new_rows["rate"]) == [500.0, 501.0]
    assert export_all(app_db) == before, "a preview must not write"
    page.button(key="upload__confirm").click()
    page.run()
    (ok,) = texts(page, "success")
    assert "Saved as batch" in ok and "2 new" in ok
    top = history(page).iloc[0]
    assert (top["kind"], top["file or origin"], top["who"], top["added"]) == (
        "upload", "rates.csv", "editor", 2)
    assert len(top["sha256"]) == 12
    assert export_all(app_db) != before
    page.selectbox(key="history__choice").set_value(int(top["batch"]))
    page.run()
    page.button(key="history__undo").click()
    page.run()
    warning = " ".join(texts(page, "warning"))
    assert "removes 2 row" in warning and "restores 0 row" in warning
    preview = next(d.value for d in page.dataframe if "action" in d.value.columns)
    assert list(preview["action"]) == ["removed", "removed"]
    assert export_all(app_db) != before, "the preview must not write"
    page.button(key="history__confirm_undo").click()
    page.run()
    assert any(f"Batch {top['batch']} undone" in s for s in texts(page, "success"))
    assert export_all(app_db) == before
    assert page.selectbox(key="history__choice").value == int(top["batch"])


def test_changed_rows_show_old_and_new_values_and_undo_restores_the_old(page, app_db):
    store.load_bytes(app_db, NEW_RATES, origin="first.csv")
    before = export_all(app_db)
    upload(unlock(page), NEW_RATES.replace(b"501", b"555"))
    assert metrics(page) == {"New rows": "0", "Changed rows": "1", "Unchanged rows": "1"}
    page.tabs[1]  # the "changed" tab exists
    changed = next(d.value for d in page.dataframe if "rate (old)" in d.value.columns)
    assert (changed["rate (old)"][0], changed["rate (new)"][0]) == (501.0, 555.0)
    page.button(key="upload__confirm").click()
    page.run()
    page.button(key="upload__undo_now").click()
    page.run()
    assert page.selectbox(key="history__choice").value is not None
    page.button(key="history__confirm_undo").click()
    page.run()
    assert export_all(app_db) == before


def test_undo_refuses_when_a_later_batch_changed_the_rows_and_offers_both(page, app_db):
    before = export_all(app_db)
    first = store.load_bytes(app_db, NEW_RATES, origin="first.csv")
    second = store.load_bytes(app_db, NEW_RATES.replace(b"501", b"600"), origin="second.csv")
    unlock(page)
    page.selectbox(key="history__choice").set_value(first.batch)
    page.run()
    page.button(key="history__undo").click()
    page.run()
    warning = " ".join(texts(page, "warning"))
    assert "Undo refused" in warning and str(second.batch) in warning
    assert export_all(app_db) != before
    cascade = page.button(key="history__cascade")
    assert cascade.label == (f"Show what undoing batches {second.batch}, {first.batch} in this "
                             "order would do")
    cascade.click()
    page.run()
    assert f"batches {second.batch}, {first.batch} (in this order)" in " ".join(
        texts(page, "warning"))
    page.button(key="history__confirm_undo").click()
    page.run()
    assert export_all(app_db) == before


def test_add_only_mode_refuses_a_file_that_changes_a_row(page, app_db):
    store.load_bytes(app_db, NEW_RATES, origin="first.csv")
    before = export_all(app_db)
    upload(unlock(page), NEW_RATES.replace(b"501", b"555"))
    page.radio(key="upload__mode").set_value("add-only")
    page.run()
    assert "not accepted" in texts(page, "error")[0]
    assert list(page.dataframe[0].value["line"]) == [3]
    assert export_all(app_db) == before


def test_confirm_after_the_store_changed_writes_nothing_and_shows_the_new_preview(page, app_db):
    upload(unlock(page), NEW_RATES)
    # Someone else (here: the CLI's code path) imports an overlapping file meanwhile.
    store.load_bytes(app_db, NEW_RATES.replace(b"501", b"777"), origin="cli.csv")
    before = export_all(app_db)
    page.button(key="upload__confirm").click()
    page.run()
    assert "changed after the preview you confirmed" in " ".join(texts(page, "warning"))
    assert metrics(page)["Changed rows"] == "1"
    assert export_all(app_db) == before


def test_file_text_is_never_rendered_as_markdown_or_html(page, app_db):
    evil = (b'indicator,geo,period,value,unit,source_url,source_title,quote,note\n'
            b'container_trains,Evil geo,2031,5,trains,https://e.x/a,'
            b'"![x](https://evil.example/x.png)","<img src=x onerror=alert(1)> :red[boo]",'
            b"\"'; DROP TABLE figures; --\"\n")
    upload(unlock(page), evil, name="<script>alert(1)</script>.csv")
    rendered = texts(page, "markdown", "caption", "success", "info", "warning", "error")
    for el in rendered:
        assert "![x](" not in el and "<img" not in el and "<script>" not in el
    page.button(key="upload__confirm").click()
    page.run()
    assert "Saved as batch" in texts(page, "success")[0]
    for el in texts(page, "markdown", "caption", "success", "info", "warning", "error"):
        assert "<script>" not in el and "![x](" not in el
    with db.connect(app_db) as conn:
        quote, note, title = conn.execute(
            "SELECT f.quote, f.note, s.title FROM figures f JOIN sources s ON s.id = f.source "
            "WHERE f.geo = 'Evil geo'").fetchone()
        assert conn.execute("SELECT count(*) FROM figures").fetchone()[0] > 1
    assert quote == "<img src=x onerror=alert(1)> :red[boo]"
    assert note == "'; DROP TABLE figures; --"
    assert title == "![x](https://evil.example/x.png)"


def test_templates_are_offered_to_everyone(page):
    labels = [b.label for b in page.get("download_button")]
    assert labels[:2] == ["Template: rates", "Template: figures"]


def test_a_store_locked_for_too_long_gives_a_message_not_a_traceback(page, monkeypatch):
    def locked(*a, **kw):
        raise db.LockTimeout("the store stayed locked by another process for 60 s")

    unlock(page)
    monkeypatch.setattr(store, "load_bytes", locked)
    upload(page, NEW_RATES)
    assert "Nothing was written" in " ".join(texts(page, "warning"))
    assert not page.exception


def test_undo_selector_stays_put_and_an_undone_undo_restores_the_rows(page, app_db):
    store.load_bytes(app_db, NEW_RATES, origin="first.csv")
    loaded = export_all(app_db)
    batch = int(history(unlock(page)).iloc[0]["batch"])
    page.selectbox(key="history__choice").set_value(batch)
    page.run()
    page.button(key="history__undo").click()
    page.run()
    page.button(key="history__confirm_undo").click()
    page.run()
    assert not page.exception
    assert page.selectbox(key="history__choice").value == batch  # not the next batch
    top = history(page).iloc[0]
    assert (top["kind"], top["removed"], top["restored"]) == ("undo", 2, 0)
    undo_batch = int(top["batch"])
    page.selectbox(key="history__choice").set_value(undo_batch)
    page.run()
    page.button(key="history__undo").click()
    page.run()
    assert "re-applies batch" in " ".join(texts(page, "warning"))
    page.button(key="history__confirm_undo").click()
    page.run()
    assert export_all(app_db) == loaded
    assert page.selectbox(key="history__choice").value == undo_batch
    top = history(page).iloc[0]
    assert (top["added"], top["removed"]) == (2, 0)


def test_undoing_a_seed_batch_needs_its_id_typed(page, app_db):
    before = export_all(app_db)
    with db.connect(app_db) as conn:
        seed_batch = conn.execute("SELECT max(id) FROM batches WHERE kind = 'seed'").fetchone()[0]
    unlock(page)
    page.selectbox(key="history__choice").set_value(seed_batch)
    page.run()
    page.button(key="history__undo").click()
    page.run()
    confirm = page.button(key="history__confirm_undo")
    assert confirm.disabled
    page.text_input(key=f"history__typed_{seed_batch}").set_value(str(seed_batch + 1))
    page.run()
    assert page.button(key="history__confirm_undo").disabled
    assert export_all(app_db) == before
    page.text_input(key=f"history__typed_{seed_batch}").set_value(str(seed_batch))
    page.run()
    assert not page.button(key="history__confirm_undo").disabled
    page.button(key="history__cancel").click()
    page.run()
    assert export_all(app_db) == before
