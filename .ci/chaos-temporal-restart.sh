#!/usr/bin/env bash
# kill -9 of the Temporal server while a task's model call is in flight, and a new server on the
# same port once the requests below are answered and $OUTAGE_SECONDS (default 10) more have passed
# (about 30 s in all). The server is Temporal's test server in its own process, which keeps
# workflows in memory: the new one knows none of them, the harshest case.
# Taskgate must
#   - accept a task submitted during the outage (202: it is stored, its workflow starts later)
#     within 15 s (the call to Temporal gives up after taskgate.temporal.call-timeout, 5 s), and
#     cancel another one within 15 s (202; it stays CANCELLED),
#   - report not ready while Temporal is unreachable, and ready again once it is back,
#   - bring both tasks to COMPLETED: the lost one run again from its stored input, the other
#     started by the reconciler,
#   - log the outage one line per record: no stack trace (config/ExpectedFailureLogs).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/cluster.sh
OUTAGE_SECONDS=${OUTAGE_SECONDS:-10}
cluster_init taskgate_chaos_temporal 17244
A=18394
start_replica a "$A" all

ready_status() { curl -s --max-time 10 -o /dev/null -w '%{http_code}' "localhost:$A/q/health/ready" || true; }
q() { psql -h "$PGHOST" -U postgres -d "$DB" -tAc "$1"; }

lost=$(submit "$A" '{"query": "outlive Temporal", "timeout_seconds": 120, "context": {"simulate": {"delay_ms": 3000}}}')
for _ in $(seq 1 40); do [ "$(status_of "$A" "$lost")" = TASK_STATUS_RUNNING ] && break; sleep 0.25; done
[ "$(status_of "$A" "$lost")" = TASK_STATUS_RUNNING ] || fail "task $lost never started"

kill -9 "${CLUSTER_PIDS[0]}"
wait "${CLUSTER_PIDS[0]}" 2>/dev/null || true
killed_ms=$(date +%s%3N)
submit_started=$(date +%s%3N)
late=$(submit "$A" '{"query": "submitted while Temporal is down", "timeout_seconds": 120}')
submit_ms=$(($(date +%s%3N) - submit_started))
[ "$submit_ms" -lt 15000 ] || fail "a submit during the outage took $submit_ms ms (goal < 15 s)"
cancelled=$(submit "$A" '{"query": "cancelled while Temporal is down", "timeout_seconds": 120}')
cancel_started=$(date +%s%3N)
cancel_status=$(curl -s -o "$WORK/cancel.json" -w '%{http_code}' --max-time 60 -X POST \
  "localhost:$A/api/v1/tasks/$cancelled/cancel" -H "X-API-Key: $KEY")
cancel_ms=$(($(date +%s%3N) - cancel_started))
[ "$cancel_status" = 202 ] || fail "a cancel during the outage answered $cancel_status: $(cat "$WORK/cancel.json")"
[ "$cancel_ms" -lt 15000 ] || fail "a cancel during the outage took $cancel_ms ms (goal < 15 s)"
not_ready=$(ready_status)
[ "$not_ready" = 503 ] || fail "readiness answered $not_ready while Temporal was down, expected 503"
sleep "$OUTAGE_SECONDS"

java -cp "target/quarkus-app/lib/main/*" io.temporal.testserver.TestServer "$TEMPORAL_PORT" >"$WORK/temporal-2.log" 2>&1 &
CLUSTER_PIDS+=($!)
back_ms=$(date +%s%3N)
deadline=$((SECONDS + 120))
until [ "$(ready_status)" = 200 ]; do
  [ "$SECONDS" -lt "$deadline" ] || fail "not ready 120 s after Temporal came back"
  sleep 0.25
done
ready_ms=$(date +%s%3N)
while :; do
  open=$(q "SELECT count(*) FROM tasks WHERE status IN ('QUEUED','RUNNING')")
  [ "$open" = 0 ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "$open tasks still unfinished 120 s after Temporal came back"
  sleep 0.5
done
done_ms=$(date +%s%3N)
for id in "$lost" "$late"; do
  s=$(status_of "$A" "$id")
  [ "$s" = TASK_STATUS_COMPLETED ] || fail "task $id ended $s: $(q "SELECT error FROM tasks WHERE id = '$id'")"
done
s=$(status_of "$A" "$cancelled")
[ "$s" = TASK_STATUS_CANCELLED ] || fail "the task cancelled during the outage ended $s"
[ "$(q "SELECT count(*) FROM task_events WHERE task_id = '$lost' AND type = 'TASK_RESTARTED'")" = 1 ] \
  || fail "task $lost was not run again exactly once from its stored input"

traces=$(grep -cE '^[[:space:]]+at |^Caused by: ' "$WORK/a.log" || true)
warnings=$(grep -cE ' (WARN|ERROR) ' "$WORK/a.log" || true)
echo "chaos-temporal-restart: Temporal killed with a call in flight and back after $(((back_ms - killed_ms) / 1000)) s; a submit during the outage got 202 in $submit_ms ms, a cancel 202 in $cancel_ms ms," \
  "readiness 503 then 200 $((ready_ms - back_ms)) ms after Temporal was back; both tasks COMPLETED $((done_ms - back_ms)) ms after it" \
  "(the lost one run again from its stored input), the cancelled one CANCELLED; $warnings warning/error lines and $traces stack-trace lines in the app log"
no_stack_traces "$WORK/a.log" "an outage's records must be one line each"
echo "chaos-temporal-restart: OK"
