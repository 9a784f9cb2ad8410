#!/usr/bin/env bash
# A rolling restart of a two-replica setup (both role all, one PostgreSQL, one separately started
# Temporal server): a task that is running while each replica in turn is stopped with SIGTERM and
# started again still completes, and its event history has no gap and one terminal event.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/cluster.sh
cluster_init taskgate_rolling 17234
A=18281
B=18282
start_replica a "$A" all
start_replica b "$B" all

id=$(submit "$A" '{"query": "survive a rolling restart", "timeout_seconds": 120, "context": {"simulate": {"delay_ms": 6000}}}') \
  || fail "submit failed"
for _ in $(seq 1 40); do [ "$(status_of "$A" "$id")" = TASK_STATUS_RUNNING ] && break; sleep 0.25; done
[ "$(status_of "$A" "$id")" = TASK_STATUS_RUNNING ] || fail "task $id never started"

echo "rolling-restart: task $id running; restarting a"
stop_replica a
start_replica a "$A" all
echo "rolling-restart: restarting b"
stop_replica b
start_replica b "$B" all

for _ in $(seq 1 120); do
  s=$(status_of "$B" "$id")
  case "$s" in TASK_STATUS_RUNNING|TASK_STATUS_QUEUED) sleep 0.5 ;; *) break ;; esac
done
[ "$s" = TASK_STATUS_COMPLETED ] || fail "task $id ended $s after the rolling restart"
types=$(curl -sf "localhost:$A/api/v1/tasks/$id/events" -H "X-API-Key: $KEY" | jq -r '[.events[].type] | join(" ")')
seqs=$(curl -sf "localhost:$A/api/v1/tasks/$id/events" -H "X-API-Key: $KEY" | jq -r '[.events[].seq] | join(" ")')
[ "$types" = "TASK_QUEUED TASK_STARTED LLM_OUTPUT TASK_COMPLETED" ] || fail "events after the restart: '$types'"
[ "$seqs" = "1 2 3 4" ] || fail "event seqs after the restart: '$seqs'"
echo "rolling-restart: task $id completed across the restart of both replicas ($types)"
echo "rolling-restart: OK"
