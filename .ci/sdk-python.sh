#!/usr/bin/env bash
# Tests of the Python client (clients/python) against a running Taskgate.
#
# Expects the app already running at $TASKGATE_URL (default http://localhost:8080), with simulation
# on (embedded mode) and two keys of two tenants: $TASKGATE_API_KEY (default sk_test_123456) and
# $TASKGATE_OTHER_API_KEY (default sk_test_other_tenant), e.g. started with
#   TASKGATE_API_KEYS=default:sk_test_123456,other:sk_test_other_tenant java -jar quarkus-run.jar
#
# Uses Debian's /usr/bin/python3 with python3-httpx and python3-pytest (installed with apt-get when
# missing; no PyPI access needed). The package runs from the source tree (PYTHONPATH), uninstalled.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PYTHON=/usr/bin/python3
export TASKGATE_URL="${TASKGATE_URL:-http://localhost:8080}"
export TASKGATE_API_KEY="${TASKGATE_API_KEY:-sk_test_123456}"
export TASKGATE_OTHER_API_KEY="${TASKGATE_OTHER_API_KEY:-sk_test_other_tenant}"

log() { echo "==> [sdk-python] $*"; }
die() { echo "==> [sdk-python] FAIL: $*" >&2; exit 1; }

apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "'$*' is missing and installing it needs root or sudo"
    sudo=(sudo)
  fi
  log "installing $* with apt-get"
  "${sudo[@]}" apt-get update -qq \
    && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq -o DPkg::Lock::Timeout=300 "$@" >/dev/null \
    || die "apt-get install $* failed"
}

[ -x "$PYTHON" ] || apt_install python3
missing=()
"$PYTHON" -c 'import httpx' 2>/dev/null || missing+=(python3-httpx)
"$PYTHON" -c 'import pytest' 2>/dev/null || missing+=(python3-pytest)
[ "${#missing[@]}" -eq 0 ] || apt_install "${missing[@]}"
command -v curl >/dev/null 2>&1 || apt_install curl

log "$("$PYTHON" --version), httpx $("$PYTHON" -c 'import httpx; print(httpx.__version__)'), pytest $("$PYTHON" -c 'import pytest; print(pytest.__version__)')"
curl -sf -o /dev/null --max-time 10 "$TASKGATE_URL/q/health/ready" \
  || die "Taskgate is not ready at $TASKGATE_URL (start it first)"

log "pytest clients/python/tests against $TASKGATE_URL"
rc=0
PYTHONPATH="clients/python/src${PYTHONPATH:+:$PYTHONPATH}" \
  "$PYTHON" -m pytest -q -p no:cacheprovider clients/python/tests "$@" || rc=$?
case "$rc" in
  0) log "OK" ;;
  5) die "pytest collected no tests" ;;
  *) die "pytest exited with $rc" ;;
esac
