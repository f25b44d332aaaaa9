"""Upload: an editor drops a rates or figures CSV, sees every problem or the preview, confirms."""

import streamlit as st

from indicators import ingest
from indicators.ui import editor, router, upload

router.through_router()
st.title("Upload rates or figures")
st.caption(
    "A CSV of exchange rates (date, base, quote, rate, source) or of Middle Corridor figures "
    "(indicator, geo, period, value, unit and their source). UTF-8, UTF-16 with BOM, "
    "Windows-1251, Windows-1252 or Latin-1; comma, semicolon or tab separated; dates as "
    "YYYY-MM-DD. "
    "You see every problem at once, or exactly what will change, before anything is written; "
    "every upload can be undone below.")
upload.templates()

if editor.editor_gate(key="upload_gate"):
    limit = upload.effective_limit_mb()
    file = st.file_uploader(f"CSV file (up to {limit} MB)", key="upload_file",
                            max_upload_size=limit)
    kind = st.radio("Kind", ["detect", "rates", "figures"], horizontal=True, key="upload_kind",
                    format_func=lambda k: "Detect from the header" if k == "detect" else k)
    if file is not None:
        upload.preview_and_commit(file.getvalue(), origin=file.name,
                                  kind=None if kind == "detect" else kind,
                                  batch_kind="upload", key="upload")
    if st.button("Lock editing", key="upload_lock"):
        editor.lock()
        st.rerun()
else:
    st.info("This page is read-only for you: enter the editor token above to upload a file "
            "or undo a load.")

st.subheader("History")
st.caption("Every load, newest first. Undo restores exactly the state before a batch, "
           f"including values it overwrote. Files over {ingest.max_megabytes()} MB are refused.")
upload.history_view(key="history")
