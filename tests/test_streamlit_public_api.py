"""Only Streamlit's public API: no module imports an internal Streamlit module."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# Public modules: the package itself, the column configs (st.column_config) and AppTest.
PUBLIC = {"streamlit", "streamlit.column_config", "streamlit.testing.v1"}


def test_no_internal_streamlit_module_is_imported():
    files = [*(ROOT / "src").rglob("*.py"), *(ROOT / "pages").glob("*.py"), ROOT / "app.py",
             *(ROOT / "tests").glob("*.py"), *(ROOT / "benchmarks").glob("*.py")]
    found = []
    for path in files:
        text = path.read_text(encoding="utf-8")
        # `streamlit` or `streamlit.x`; not the project's own tests/streamlit_server.py
        for module in re.findall(r"^\s*(?:from|import)\s+(streamlit(?:\.[\w.]+)?)\b", text, re.M):
            if module not in PUBLIC:
                found.append(f"{path.relative_to(ROOT)}: {module}")
        if re.search(r"\bst\.runtime\b|PagesManager|dataframe_util", text) and \
                path.name != Path(__file__).name:
            found.append(f"{path.relative_to(ROOT)}: internal name")
    assert found == []
