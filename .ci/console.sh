#!/usr/bin/env bash
# Browser test of the web console (/console/) against a Taskgate that is already running.
#
#   TASKGATE_URL            the app, default http://localhost:8080 (it must serve /console/)
#   TASKGATE_API_KEY        a key of one tenant, default sk_test_123456
#   TASKGATE_OTHER_API_KEY  a key of a second tenant, default sk_test_other_tenant
#
# Installs headless Chromium, chromedriver and Selenium from Debian's packages when missing
# (apt-get, as root or through sudo), runs .ci/console-test.py with Debian's /usr/bin/python3
# and exits non-zero when a check fails. Screenshots go to target/console-screenshots/.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

export TASKGATE_URL="${TASKGATE_URL:-http://localhost:8080}"
export TASKGATE_API_KEY="${TASKGATE_API_KEY:-sk_test_123456}"
export TASKGATE_OTHER_API_KEY="${TASKGATE_OTHER_API_KEY:-sk_test_other_tenant}"

log() { echo "==> [console] $*"; }
die() { echo "==> [console] FAIL: $*" >&2; exit 1; }

apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "'$*' is missing and installing it needs root or sudo"
    sudo=(sudo)
  fi
  log "installing $* with apt-get"
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || die "apt-get install $* failed"
}

# Debian's own python3 (a python3 earlier on PATH, e.g. from pyenv, lacks Debian's packages).
PYTHON=/usr/bin/python3
missing=()
command -v curl >/dev/null 2>&1 || missing+=(curl)
[ -x /usr/bin/chromium ] || missing+=(chromium)
[ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
{ [ -x "$PYTHON" ] && "$PYTHON" -c 'import selenium' 2>/dev/null; } || missing+=(python3-selenium)
[ "${#missing[@]}" -eq 0 ] || apt_install "${missing[@]}"

log "$(/usr/bin/chromium --version 2>/dev/null || echo 'chromium: version unknown'); selenium $("$PYTHON" -c 'import selenium; print(selenium.__version__)')"

curl -sf -o /dev/null --max-time 10 "$TASKGATE_URL/q/health/ready" \
  || die "Taskgate is not running or not ready at $TASKGATE_URL (GET /q/health/ready failed)"
code="$(curl -s -o /dev/null -w '%{http_code}' --max-time 10 "$TASKGATE_URL/console/")"
[ "$code" = 200 ] || die "$TASKGATE_URL/console/ answered HTTP $code, expected 200 (is the console in the jar?)"

log "running .ci/console-test.py against $TASKGATE_URL/console/"
"$PYTHON" .ci/console-test.py
