# Shared by scripts/run and scripts/test: a virtual environment with pinned packages.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$ROOT"
VENV="${INDICATORS_VENV:-$ROOT/.venv}"
PYTHON="${PYTHON:-python3}"

need_python() {
  if ! command -v "$PYTHON" >/dev/null 2>&1; then
    echo "error: $PYTHON not found; install Python 3.11 or newer" >&2; exit 1
  fi
  if ! "$PYTHON" -c 'import sys; sys.exit(sys.version_info < (3, 11))'; then
    echo "error: Python 3.11 or newer is required ($("$PYTHON" --version) found)" >&2; exit 1
  fi
}

make_venv() {
  if "$PYTHON" -m venv "$VENV" 2>/dev/null; then return; fi
  # Debian and Ubuntu ship venv separately.
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    ver="$("$PYTHON" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "python${ver}-venv" \
      || DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-venv
    "$PYTHON" -m venv "$VENV" && return
  fi
  echo "error: cannot create a virtual environment; install python3-venv (sudo apt-get install python3-venv)" >&2
  exit 1
}

# setup_venv installs the app alone (what scripts/run serves); `setup_venv test` adds the
# test tools (pytest, Playwright, ruff), which the serving environment never needs.
setup_venv() {
  need_python
  local extras="${1:-}"
  local stamp="$VENV/.installed${extras:+-$extras}"
  if [ -f "$stamp" ] && [ "$stamp" -nt pyproject.toml ] && [ "$stamp" -nt constraints.txt ]; then
    compile_sources
    return
  fi
  [ -x "$VENV/bin/python" ] || make_venv
  echo "Installing pinned dependencies into $VENV …"
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip
  "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check \
    -c constraints.txt -e ".${extras:+[$extras]}"
  touch "$stamp"
  [ -z "$extras" ] || touch "$VENV/.installed"
  compile_sources
}

# The project is installed editable, and pip compiles no bytecode for that: without this,
# a shell with PYTHONDONTWRITEBYTECODE set (as CI images and containers often have)
# compiles every module from source on every `indicators` command, about 40 ms of a
# 230 ms `indicators history`. compileall writes only what is missing or stale.
compile_sources() {
  "$VENV/bin/python" -m compileall -q src app.py pages >/dev/null
}

ensure_db() {
  "$VENV/bin/indicators" init
}
