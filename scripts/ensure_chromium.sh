# Find or install a headless Chromium for the browser tests; exports INDICATORS_CHROMIUM
# (empty means Playwright's own download is used).
ensure_chromium() {
  for c in "${INDICATORS_CHROMIUM:-}" /usr/bin/chromium /usr/bin/chromium-browser; do
    if [ -n "$c" ] && [ -x "$c" ]; then export INDICATORS_CHROMIUM="$c"; return; fi
  done
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests …"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null \
      && [ -x /usr/bin/chromium ] && { export INDICATORS_CHROMIUM=/usr/bin/chromium; return; }
  fi
  echo "No system Chromium; trying Playwright's own browser download …"
  if "$VENV/bin/python" -m playwright install chromium; then
    export INDICATORS_CHROMIUM=""; return
  fi
  cat >&2 <<'MSG'
error: no headless Chromium available for the browser tests.
  Install one and re-run:  sudo apt-get install chromium
  or point INDICATORS_CHROMIUM at a Chromium/Chrome binary.
MSG
  exit 1
}
