#!/usr/bin/env bash
# Runs the API doc's own client code (get-task-status: "Bash - Monitor Task Progress" and
# "JavaScript - Poll with Async/Await", copied verbatim into this folder) against a Taskgate that
# is already running on localhost:8080 with the key sk_test_123456 (the embedded mode's defaults).
#
# Needs curl, jq (installed with apt-get when missing), node and npm. axios is installed into a
# temporary directory outside the repository. Exits non-zero with a message on the first failure.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
BASE_URL="http://localhost:8080"
API_KEY="sk_test_123456"
CLIENT_TIMEOUT=120   # seconds each doc client may take for one task

fail() { echo "doc-clients: FAIL: $*" >&2; exit 1; }
info() { echo "doc-clients: $*"; }

apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || fail "'$*' is missing and installing it needs root or sudo"
    sudo=(sudo)
  fi
  info "installing $* with apt-get"
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || fail "apt-get install $* failed"
}

command -v curl >/dev/null 2>&1 || apt_install curl
command -v jq >/dev/null 2>&1 || apt_install jq
command -v node >/dev/null 2>&1 || fail "node is required (Node.js 18+)"
command -v npm >/dev/null 2>&1 || fail "npm is required"
command -v timeout >/dev/null 2>&1 || fail "timeout (coreutils) is required"

curl -sf -o /dev/null --max-time 10 "$BASE_URL/q/health/ready" \
  || fail "Taskgate is not running or not ready on $BASE_URL (GET /q/health/ready failed)"

tmp="$(mktemp -d "${TMPDIR:-/tmp}/taskgate-doc-clients.XXXXXX")"
trap 'rm -rf "$tmp"' EXIT

# Submits a task with a short query; prints its id. The query has no glob characters, because
# the doc's monitor script expands the response unquoted.
submit() {
  local query="$1" code id
  code="$(curl -sS -o "$tmp/submit.json" -w '%{http_code}' --max-time 30 \
    -X POST "$BASE_URL/api/v1/tasks" \
    -H "X-API-Key: $API_KEY" -H 'Content-Type: application/json' \
    -d "{\"query\": \"$query\"}")" || fail "POST /api/v1/tasks: curl failed"
  [ "$code" = 202 ] || fail "POST /api/v1/tasks answered HTTP $code, expected 202: $(cat "$tmp/submit.json")"
  id="$(jq -r '.task_id // empty' "$tmp/submit.json")" || fail "POST /api/v1/tasks returned non-JSON: $(cat "$tmp/submit.json")"
  [[ "$id" == task_* ]] || fail "POST /api/v1/tasks returned no task_id: $(cat "$tmp/submit.json")"
  printf '%s\n' "$id"
}

show() { sed 's/^/    | /' "$1"; }

# ---- 1. Bash - Monitor Task Progress ----
id="$(submit "Name three benefits of durable workflows")"
info "monitor.sh $id"
rc=0
timeout "$CLIENT_TIMEOUT" bash "$here/monitor.sh" "$id" >"$tmp/monitor.out" 2>&1 || rc=$?
show "$tmp/monitor.out"
[ "$rc" -ne 124 ] || fail "monitor.sh did not finish within ${CLIENT_TIMEOUT}s (task $id never reached a terminal status)"
[ "$rc" -eq 0 ] || fail "monitor.sh exited with $rc, expected 0 (task $id)"
grep -qF "Task completed!" "$tmp/monitor.out" || fail "monitor.sh printed no 'Task completed!' line (task $id)"
# The script's last line is `jq -r '.response.result'`: the doc promises response.result on COMPLETED.
last="$(grep -v '^[[:space:]]*$' "$tmp/monitor.out" | tail -n 1)"
[ "$last" != "null" ] || fail "monitor.sh printed null for .response.result (task $id): 'response' lacks 'result'"
info "monitor.sh: OK"

# ---- 2. JavaScript - Poll with Async/Await ----
info "installing axios@1 into $tmp"
npm install --prefix "$tmp" --no-audit --no-fund --no-save --loglevel=error axios@1 >"$tmp/npm.log" 2>&1 \
  || { show "$tmp/npm.log"; fail "npm install axios@1 failed"; }
[ -d "$tmp/node_modules/axios" ] || { show "$tmp/npm.log"; fail "npm did not install axios into $tmp/node_modules"; }

id="$(submit "Explain task queues in one sentence")"
info "wait-for-completion.js $id"
rc=0
NODE_PATH="$tmp/node_modules" timeout "$CLIENT_TIMEOUT" node "$here/wait-for-completion.js" "$id" >"$tmp/node.out" 2>&1 || rc=$?
show "$tmp/node.out"
[ "$rc" -ne 124 ] || fail "wait-for-completion.js did not finish within ${CLIENT_TIMEOUT}s (task $id)"
[ "$rc" -eq 0 ] || fail "wait-for-completion.js exited with $rc (task $id)"
if grep -qF "Error:" "$tmp/node.out"; then fail "wait-for-completion.js printed an error (task $id)"; fi
grep -q "^Result:" "$tmp/node.out" || fail "wait-for-completion.js printed no 'Result:' line (task $id)"
if grep -qE "^Result: (undefined|null)?$" "$tmp/node.out"; then fail "wait-for-completion.js got no result text (task $id)"; fi
info "wait-for-completion.js: OK"

info "all doc clients passed"
