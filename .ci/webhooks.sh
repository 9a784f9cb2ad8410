#!/usr/bin/env bash
# Webhooks of a running Taskgate, verified by a receiver built on the npm package standardwebhooks
# (.ci/webhooks-receiver.mjs), not by Taskgate's own code. Registers an endpoint for task.completed
# (and rotates its secret, so deliveries carry two signatures), submits $WEBHOOK_TASKS tasks
# (default 200) with a webhook_url, waits until every delivery arrived verified, checks that a
# forged request is refused and that the API shows the deliveries, and prints the delivery latency
# (the task's terminal status committed -> the receiver has the request) p50/p99.
#
# Expects the app at $TASKGATE_URL (default http://localhost:8080) in embedded mode (http and
# local addresses allowed for webhooks), key $TASKGATE_API_KEY (default sk_test_123456).
# Needs node and npm (the npm registry, for standardwebhooks), curl and jq.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TASKGATE_URL="${TASKGATE_URL:-http://localhost:8080}"
KEY="${TASKGATE_API_KEY:-sk_test_123456}"
N="${WEBHOOK_TASKS:-200}"
WAIT_SECONDS="${WEBHOOK_WAIT_SECONDS:-120}"

log() { echo "==> [webhooks] $*"; }
die() { echo "==> [webhooks] FAIL: $*" >&2; exit 1; }

for tool in node npm curl jq; do
  command -v "$tool" >/dev/null 2>&1 || die "$tool is required"
done

work="$(mktemp -d "${TMPDIR:-/tmp}/taskgate-webhooks.XXXXXX")"
receiver_pid=""
endpoint_id=""
cleanup() {
  local rc=$?
  if [ -n "$receiver_pid" ]; then kill "$receiver_pid" 2>/dev/null || true; wait "$receiver_pid" 2>/dev/null || true; fi
  if [ -n "$endpoint_id" ]; then
    curl -s -o /dev/null -X DELETE -H "X-API-Key: $KEY" "$TASKGATE_URL/api/v1/webhooks/$endpoint_id" || true
  fi
  if [ "$rc" -ne 0 ] && [ -s "$work/receiver.log" ]; then sed 's/^/    | /' "$work/receiver.log" >&2; fi
  rm -rf "$work"
  exit "$rc"
}
trap cleanup EXIT

api() { # method path [json body]
  local args=(-sS -f -X "$1" -H "X-API-Key: $KEY" "$TASKGATE_URL$2")
  [ $# -lt 3 ] || args+=(-H "Content-Type: application/json" -d "$3")
  curl "${args[@]}"
}

log "installing standardwebhooks into $work"
(cd "$work" && npm init -y >/dev/null && npm install --no-audit --no-fund --silent standardwebhooks >/dev/null) \
  || die "npm install standardwebhooks failed"
cp .ci/webhooks-receiver.mjs "$work/receiver.mjs"

port="$(node -e 'const s=require("net").createServer().listen(0,"127.0.0.1",()=>{console.log(s.address().port);s.close()})')"
task_secret="$(api POST /api/v1/webhooks/task-secret | jq -r .secret)"
[[ "$task_secret" == whsec_* ]] || die "no task secret: $task_secret"
endpoint="$(api POST /api/v1/webhooks "{\"url\": \"http://127.0.0.1:$port/endpoint\", \"event_types\": [\"task.completed\"]}")"
endpoint_id="$(jq -r .id <<<"$endpoint")"
first_secret="$(jq -r .secret <<<"$endpoint")"
endpoint_secret="$(api POST "/api/v1/webhooks/$endpoint_id/rotate" | jq -r .secret)"
[ "$first_secret" != "$endpoint_secret" ] || die "rotation returned the same secret"
[ "$(api GET /api/v1/webhooks | jq --arg id "$endpoint_id" '[.webhooks[] | select(.id == $id) | has("secret")] | .[0]')" = "false" ] \
  || die "the endpoint list shows a secret"

received="$work/received.jsonl"
: >"$received"
PORT="$port" RECEIVED="$received" TASK_SECRET="$task_secret" ENDPOINT_SECRET="$endpoint_secret" \
  node "$work/receiver.mjs" >"$work/receiver.log" 2>&1 &
receiver_pid=$!
for _ in $(seq 1 50); do
  curl -s -o /dev/null "http://127.0.0.1:$port/" && break
  sleep 0.1
done
: >"$received" # the readiness probe above was unsigned

forged="$(curl -s -o /dev/null -w '%{http_code}' -X POST -H 'Content-Type: application/json' \
  -H "webhook-id: msg_forged" -H "webhook-timestamp: $(date +%s)" -H "webhook-signature: v1,AAAA" \
  -d '{"type":"task.completed"}' "http://127.0.0.1:$port/task")"
[ "$forged" = "400" ] || die "the receiver accepted a forged request ($forged)"
: >"$received"

log "submitting $N tasks with webhook_url=http://127.0.0.1:$port/task"
# 429 answers (the key's bucket may be low after earlier checks) are retried after Retry-After;
# the Idempotency-Key makes a retried submit the same task
run_id="$(date +%s%N)"
seq 1 "$N" | xargs -P 8 -I{} curl -sS -f -o /dev/null --retry 8 --retry-max-time 120 -X POST -H "X-API-Key: $KEY" \
  -H "Idempotency-Key: webhook-check-$run_id-{}" -H "Content-Type: application/json" \
  -d "{\"query\": \"Webhook check {}\", \"webhook_url\": \"http://127.0.0.1:$port/task\"}" "$TASKGATE_URL/api/v1/tasks" \
  || die "a submit failed"

expected=$((2 * N))
deadline=$((SECONDS + WAIT_SECONDS))
# distinct (URL, task) pairs: a delivery repeated after a failure (at least once) counts once here
announced() { jq -r 'select(.ok) | .path + " " + .task_id' "$received" | sort -u | wc -l; }
while [ "$(announced)" -lt "$expected" ]; do
  [ "$SECONDS" -lt "$deadline" ] || die "only $(announced) of $expected deliveries arrived within ${WAIT_SECONDS}s"
  sleep 0.5
done
sleep 1 # anything beyond the expected deliveries (a duplicate) shows up in the counts below

bad="$(jq -s '[.[] | select(.ok | not)] | length' "$received")"
[ "$bad" = "0" ] || die "$bad deliveries did not verify: $(jq -c -s '[.[] | select(.ok | not)][:3]' "$received")"
task_ids="$(jq -r 'select(.path == "/task") | .task_id' "$received" | sort -u | wc -l)"
endpoint_ids="$(jq -r 'select(.path == "/endpoint") | .task_id' "$received" | sort -u | wc -l)"
[ "$task_ids" = "$N" ] || die "$task_ids distinct tasks announced to the task URL, expected $N"
[ "$endpoint_ids" = "$N" ] || die "$endpoint_ids distinct tasks announced to the endpoint, expected $N"
total="$(wc -l <"$received")"
[ "$(jq -s '[.[] | select(.type != "task.completed" or .status != "TASK_STATUS_COMPLETED")] | length' "$received")" = "0" ] \
  || die "an event other than task.completed of a COMPLETED task arrived"

sample="$(jq -r -n 'first(inputs | select(.path == "/task") | .task_id)' "$received")"
api GET "/api/v1/tasks/$sample/webhooks" \
  | jq -e '(.deliveries | length) == 2 and all(.deliveries[]; .status == "delivered" and (.attempts | length) >= 1)' >/dev/null \
  || die "GET /api/v1/tasks/$sample/webhooks does not show two delivered deliveries"

read -r p50 p99 max < <(jq -s -r '[.[] | select(.path == "/task") | .latency_ms] | sort
  | [.[((length * 50 / 100) | ceil) - 1], .[((length * 99 / 100) | ceil) - 1], .[-1]] | @tsv' "$received")
log "$total deliveries verified by standardwebhooks ($N tasks x task URL + endpoint; endpoint secret rotated: two signatures each)"
log "delivery latency (terminal status committed -> receiver), task URL, $N tasks: p50 ${p50} ms, p99 ${p99} ms, max ${max} ms"
log "OK"
