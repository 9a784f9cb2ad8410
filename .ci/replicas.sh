#!/usr/bin/env bash
# Three Taskgate processes share one PostgreSQL and one Temporal server. Replica A runs the worker
# (role worker), replicas B and C only serve the API (role api). A task submitted to B runs on A,
# and B's event stream must show every event in order. All start at the same moment on an empty
# database, so all run Flyway at once: each migration must be applied exactly once. The key has
# a burst of 10 and 60 per minute, and that limit must hold for B and C together.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/cluster.sh
cluster_init taskgate_replicas 17233
A=18181
B=18182
C=18183
export TASKGATE_RATE_LIMIT_KEYS="$(printf %s "$KEY" | sha256sum | cut -d' ' -f1):60:10"
launch_replica a "$A" worker
launch_replica b "$B" api
launch_replica c "$C" api
await_ready a "$A"
await_ready b "$B"
await_ready c "$C"
migrations=$(psql -h "$PGHOST" -U postgres -d "$DB" -tAc "SELECT count(*) FROM flyway_schema_history WHERE success")
files=$(ls src/main/resources/db/migration/V*__*.sql | wc -l)
[ "$migrations" = "$files" ] || fail "flyway_schema_history has $migrations successful migrations, expected $files"

id=$(submit "$B" '{"query": "cross-replica", "context": {"simulate": {"delay_ms": 2000}}}') || fail "submit to B failed"
curl -sN --max-time 60 "localhost:$B/api/v1/tasks/$id/stream" -H "X-API-Key: $KEY" >"$WORK/stream.txt" || true
types=$(sed -n 's/^event: *//p' "$WORK/stream.txt" | paste -sd' ')
ids=$(sed -n 's/^id: *//p' "$WORK/stream.txt" | paste -sd' ')
[ "$types" = "TASK_QUEUED TASK_STARTED LLM_OUTPUT TASK_COMPLETED" ] || fail "stream on B showed: '$types'"
[ "$ids" = "1 2 3 4" ] || fail "stream on B had ids '$ids'"
grep -q "task_id=$id finished status=COMPLETED" "$WORK/a.log" || fail "the task did not run on replica A"
if grep -q "task_id=$id finished" "$WORK/b.log"; then fail "replica B ran the task although it has no worker"; fi
if grep -q "event stream read failed" "$WORK/b.log"; then fail "replica B logged a failed event read"; fi
code=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$A/api/v1/tasks/$id" -H "X-API-Key: $KEY")
[ "$code" = 503 ] || fail "the worker-role replica answered an API call with $code, expected 503"
echo "replicas: task $id ran on A; B streamed $types (ids $ids)"

# 30 requests alternating between B and C, after the bucket has refilled: one shared bucket lets
# through its burst (10), one per second of refill and at most a sync interval's overshoot (3);
# two separate buckets would let through twice the burst and refill.
sleep 10
allowed=0
started=$(date +%s%N)
for i in $(seq 1 30); do
  port=$([ $((i % 2)) = 0 ] && echo "$B" || echo "$C")
  code=$(curl -s -o /dev/null -w '%{http_code}' "localhost:$port/api/v1/tasks?limit=1" -H "X-API-Key: $KEY")
  [ "$code" = 200 ] && allowed=$((allowed + 1))
  [ "$code" = 200 ] || [ "$code" = 429 ] || fail "request $i to $port answered $code"
  sleep 0.1
done
elapsed=$(( ($(date +%s%N) - started + 999999999) / 1000000000 ))
most=$((10 + elapsed + 3))
[ "$allowed" -ge 10 ] && [ "$allowed" -le "$most" ] \
  || fail "B and C together allowed $allowed of 30 requests in ${elapsed}s, expected 10-$most"
echo "replicas: B and C together allowed $allowed of 30 requests in ${elapsed}s (burst 10, 60 per minute; at most $most)"
echo "replicas: OK"
