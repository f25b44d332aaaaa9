"""scripts/_env.sh compiles the project's bytecode on every set-up, even when the shell says
PYTHONDONTWRITEBYTECODE: the editable install gets none from pip, and without it every
`indicators` command compiles its modules from source (issue 15's CLI rows)."""

from __future__ import annotations

import importlib.util
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _project(tmp_path: Path) -> tuple[Path, Path]:
    """A project folder with the real scripts/_env.sh and a venv whose install stamp is
    newer than its pyproject.toml, so that set-up takes its everyday path (no pip)."""
    root = tmp_path / "project"
    (root / "scripts").mkdir(parents=True)
    (root / "scripts" / "_env.sh").write_bytes((ROOT / "scripts" / "_env.sh").read_bytes())
    (root / "src" / "pkg").mkdir(parents=True)
    (root / "src" / "pkg" / "__init__.py").write_text("")
    (root / "src" / "pkg" / "mod.py").write_text("VALUE = 1\n")
    (root / "pages").mkdir()
    (root / "pages" / "page.py").write_text("print('page')\n")
    (root / "app.py").write_text("print('app')\n")
    for name in ("pyproject.toml", "constraints.txt"):
        (root / name).write_text("")
        os.utime(root / name, (0, 0))
    venv = tmp_path / "venv"
    (venv / "bin").mkdir(parents=True)
    (venv / "bin" / "python").symlink_to(sys.executable)
    (venv / ".installed").write_text("")
    return root, venv


def _set_up(root: Path, venv: Path) -> None:
    env = {**os.environ, "INDICATORS_VENV": str(venv), "PYTHONDONTWRITEBYTECODE": "1"}
    subprocess.run(["bash", "-c", "source scripts/_env.sh && setup_venv"], cwd=root, env=env,
                   check=True, capture_output=True, timeout=120)


def test_set_up_compiles_sources_app_and_pages_despite_dontwritebytecode(tmp_path):
    root, venv = _project(tmp_path)
    sources = [root / "src" / "pkg" / "mod.py", root / "app.py", root / "pages" / "page.py"]
    assert not any(Path(importlib.util.cache_from_source(str(s))).exists() for s in sources)
    _set_up(root, venv)
    for s in sources:
        assert Path(importlib.util.cache_from_source(str(s))).exists(), s


def test_an_edited_module_is_compiled_again_on_the_next_set_up(tmp_path):
    root, venv = _project(tmp_path)
    mod = root / "src" / "pkg" / "mod.py"
    _set_up(root, venv)
    cached = Path(importlib.util.cache_from_source(str(mod)))
    first = cached.read_bytes()
    mod.write_text("VALUE = 2  # edited\n")
    os.utime(mod, (os.stat(mod).st_atime, os.stat(mod).st_mtime + 5))
    _set_up(root, venv)
    assert cached.read_bytes() != first
