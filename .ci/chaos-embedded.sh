#!/usr/bin/env bash
# Embedded mode (bundled PostgreSQL, in-process Temporal server that keeps workflows in memory):
# 10 tasks in flight when the app is stopped — once with SIGTERM, once with kill -9 — all complete
# after it starts again, each with one TASK_RESTARTED event and one recorded model call.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
JAR=target/quarkus-app/quarkus-run.jar
PORT=18295
KEY=sk_test_123456
TASKS=10
source .ci/embedded-app.sh
fail() { tail -60 "$WORK/app.log" >&2; echo "chaos-embedded: FAIL: $*" >&2; exit 1; }

start_app() {
  env -u QUARKUS_DATASOURCE_JDBC_URL -u TASKGATE_TEMPORAL_TARGET -u TASKGATE_API_KEYS \
      QUARKUS_HTTP_PORT=$PORT TASKGATE_DATA_DIR="$WORK/data" java -jar "$JAR" >>"$WORK/app.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 240); do curl -sf -o /dev/null "localhost:$PORT/q/health/ready" && return 0; sleep 0.25; done
  fail "the app was not ready"
}

api() { curl -sf "localhost:$PORT/api/v1/$1" -H "X-API-Key: $KEY" "${@:2}"; }

round() { # signal
  local ids=() id
  for _ in $(seq 1 "$TASKS"); do
    ids+=("$(api tasks -X POST -H 'Content-Type: application/json' \
      -d '{"query": "survive a restart", "timeout_seconds": 120, "context": {"simulate": {"delay_ms": 8000}}}' | jq -r .task_id)")
  done
  for id in "${ids[@]}"; do
    for _ in $(seq 1 40); do [ "$(api "tasks/$id" | jq -r .status)" = TASK_STATUS_RUNNING ] && break; sleep 0.1; done
  done
  local stop_started=$(date +%s%3N)
  kill "-$1" "$APP_PID"
  wait "$APP_PID" 2>/dev/null || true
  APP_PID=""
  local stopped=$(date +%s%3N)
  start_app
  local ready=$(date +%s%3N)
  local deadline=$((SECONDS + 60)) status
  for id in "${ids[@]}"; do
    while :; do
      status=$(api "tasks/$id?wait=10" | jq -r .status)
      case "$status" in TASK_STATUS_QUEUED|TASK_STATUS_RUNNING) ;; *) break ;; esac
      [ "$SECONDS" -lt "$deadline" ] || fail "task $id still $status 60 s after the restart ($1)"
    done
    [ "$status" = TASK_STATUS_COMPLETED ] || fail "task $id ended $status after the restart ($1)"
    types=$(api "tasks/$id/events" | jq -r '[.events[].type] | join(" ")')
    [ "$types" = "TASK_QUEUED TASK_STARTED TASK_RESTARTED LLM_OUTPUT TASK_COMPLETED" ] \
      || fail "task $id events after the restart ($1): $types"
  done
  local done_ms=$(date +%s%3N)
  echo "chaos-embedded: SIG$1 with $TASKS tasks in flight: stopped in $((stopped - stop_started)) ms, ready again in $((ready - stopped)) ms, all $TASKS COMPLETED $((done_ms - ready)) ms after ready"
}

start_app
round TERM
round KILL
echo "chaos-embedded: OK"
