#!/usr/bin/env bash
# Two Taskgate processes share one PostgreSQL (the machine's server on 127.0.0.1:5432) and one
# Temporal server (started here). Replica A runs the worker; replica B only serves the API.
# A task submitted to B runs on A, and B's event stream must show every event in order.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

JAR=target/quarkus-app/quarkus-run.jar
PGHOST=${PGHOST:-127.0.0.1}
DB=taskgate_replicas
TEMPORAL_PORT=17233
A=18181
B=18182
KEY=sk_replicas_test

work=$(mktemp -d)
pids=()
cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT
fail() { echo "replicas: FAIL: $*" >&2; for f in "$work"/*.log; do echo "--- $f" >&2; tail -40 "$f" >&2; done; exit 1; }

psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null \
  || fail "cannot create database $DB on $PGHOST:5432"

java -cp "target/quarkus-app/lib/main/*" io.temporal.testserver.TestServer "$TEMPORAL_PORT" >"$work/temporal.log" 2>&1 &
pids+=($!)

start_replica() { # name port worker-enabled
  env QUARKUS_HTTP_PORT="$2" TASKGATE_WORKER_ENABLED="$3" \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
      TASKGATE_TEMPORAL_TARGET="127.0.0.1:$TEMPORAL_PORT" TASKGATE_API_KEYS="replicas:$KEY" \
      TASKGATE_LLM_LOCAL_SIMULATION=true \
      java -jar "$JAR" >"$work/$1.log" 2>&1 &
  pids+=($!)
}
start_replica a "$A" true
start_replica b "$B" false
for port in $A $B; do
  for _ in $(seq 1 240); do curl -sf -o /dev/null "localhost:$port/q/health/ready" && break; sleep 0.5; done
  curl -sf -o /dev/null "localhost:$port/q/health/ready" || fail "replica on $port not ready"
done

id=$(curl -sf -X POST "localhost:$B/api/v1/tasks" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
  -d '{"query": "cross-replica", "context": {"simulate": {"delay_ms": 2000}}}' | jq -r .task_id) || fail "submit to B failed"
curl -sN --max-time 60 "localhost:$B/api/v1/tasks/$id/stream" -H "X-API-Key: $KEY" >"$work/stream.txt" || true
types=$(sed -n 's/^event: *//p' "$work/stream.txt" | paste -sd' ')
ids=$(sed -n 's/^id: *//p' "$work/stream.txt" | paste -sd' ')
[ "$types" = "TASK_QUEUED TASK_STARTED LLM_OUTPUT TASK_COMPLETED" ] || fail "stream on B showed: '$types'"
[ "$ids" = "1 2 3 4" ] || fail "stream on B had ids '$ids'"
grep -q "task_id=$id finished status=COMPLETED" "$work/a.log" || fail "the task did not run on replica A"
if grep -q "task_id=$id finished" "$work/b.log"; then fail "replica B ran the task although its worker is off"; fi
if grep -q "event stream read failed" "$work/b.log"; then fail "replica B logged a failed event read"; fi
echo "replicas: task $id ran on A; B streamed $types (ids $ids)"
echo "replicas: OK"
