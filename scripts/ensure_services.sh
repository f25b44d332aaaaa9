# Debian packages the lake tests need: PostgreSQL (a throw-away cluster holds the lake's
# catalog) and nginx (the proxy in front of three dashboard replicas). Installed with
# apt-get when missing and run as root; otherwise the tests that need them say so.
apt_install() {
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's $* for the lake tests …"
    if [ -z "${_APT_UPDATED:-}" ]; then apt-get update -qq || true; _APT_UPDATED=1; fi
    # policy-rc.d 101: the packages' own services stay stopped; the tests start their own.
    local policy=/usr/sbin/policy-rc.d created=""
    if [ ! -e "$policy" ]; then printf '#!/bin/sh\nexit 101\n' > "$policy"; chmod +x "$policy"; created=1; fi
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null || true
    if [ -n "$created" ]; then rm -f "$policy"; fi
  fi
}

ensure_postgres() {
  if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 && ! command -v initdb >/dev/null; then
    apt_install postgresql
  fi
}

ensure_nginx() {
  if ! command -v nginx >/dev/null && [ ! -x /usr/sbin/nginx ]; then
    apt_install nginx
  fi
}

# Start a throw-away PostgreSQL cluster (tests/pg_cluster.py) and stop it when this shell
# exits, whatever happened.
start_test_postgres() {
  [ -n "${INDICATORS_TEST_PG:-}" ] && return
  local out
  if out="$("$VENV/bin/python" tests/pg_cluster.py start)"; then
    eval "$out"
    trap 'stop_test_postgres' EXIT
    trap 'exit 130' INT TERM
  else
    echo "warning: could not start a PostgreSQL cluster; lake tests will say why" >&2
  fi
}

stop_test_postgres() {
  if [ -n "${INDICATORS_TEST_PG_DIR:-}" ]; then
    "$VENV/bin/python" tests/pg_cluster.py stop "$INDICATORS_TEST_PG_DIR" || true
  fi
}
