#!/usr/bin/env bash
# Two Taskgate processes share one PostgreSQL and one Temporal server. Replica A runs the worker
# (role worker), replica B only serves the API (role api). A task submitted to B runs on A, and
# B's event stream must show every event in order. Both start at the same moment on an empty
# database, so both run Flyway at once: each migration must be applied exactly once.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/cluster.sh
cluster_init taskgate_replicas 17233
A=18181
B=18182
launch_replica a "$A" worker
launch_replica b "$B" api
await_ready a "$A"
await_ready b "$B"
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
echo "replicas: OK"
