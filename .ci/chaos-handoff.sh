#!/usr/bin/env bash
# A graceful stop (SIGTERM) of a worker in the middle of a 60 s model call: its heartbeat tells
# the call that the worker is stopping, the attempt is handed back at once, and the task
# completes on the other worker process. The stopping worker exits long before the call would end,
# and the task completes about one call after the stop: neither a heartbeat timeout nor the
# reconciler has to step in. Sticky execution is off, as the docs advise for Temporal's test
# server as its own process (it never gives a stopped worker's sticky workflow task to another).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/cluster.sh
started_at=$SECONDS
cluster_init taskgate_chaos_handoff 17242
A=18391
B=18392
CALL_S=60
SLACK_S=15   # the hand-back, b's next poll and the workflow's last steps; a heartbeat timeout is 20 s
export TASKGATE_TEMPORAL_STICKY_SCHEDULE_TO_START_TIMEOUT=0s
start_replica a "$A" all

id=$(submit "$A" '{"query": "hand me over", "timeout_seconds": 300, "context": {"simulate": {"delay_ms": '$((CALL_S * 1000))'}}}') \
  || fail "submit failed"
for _ in $(seq 1 40); do [ "$(status_of "$A" "$id")" = TASK_STATUS_RUNNING ] && break; sleep 0.25; done
[ "$(status_of "$A" "$id")" = TASK_STATUS_RUNNING ] || fail "task $id never started on a"
start_replica b "$B" all     # the call is already running on a: b can only get it by a hand-over
sleep 2

stop_started=$(date +%s%3N)
stop_replica a
stopped=$(date +%s%3N)
deadline=$((SECONDS + CALL_S * 3))
while :; do
  s=$(status_of "$B" "$id")
  case "$s" in TASK_STATUS_RUNNING|TASK_STATUS_QUEUED) ;; *) break ;; esac
  [ "$SECONDS" -lt "$deadline" ] || fail "task $id still $s $((CALL_S * 3)) s after a stopped"
  sleep 0.5
done
done_ms=$(date +%s%3N)
[ "$s" = TASK_STATUS_COMPLETED ] || fail "task $id ended $s"
grep -q "task_id=$id finished status=COMPLETED" "$WORK/b.log" || fail "the task did not complete on b"
calls=$(psql -h "$PGHOST" -U postgres -d "$DB" -tAc "SELECT count(*) FROM model_calls WHERE task_id = '$id'")
[ "$calls" = 1 ] || fail "$calls model calls recorded, expected the one that completed"
restarted=$(psql -h "$PGHOST" -U postgres -d "$DB" -tAc "SELECT count(*) FROM task_events WHERE task_id = '$id' AND type = 'TASK_RESTARTED'")
[ "$restarted" = 0 ] || fail "the reconciler ran the task again: the hand-over did not carry it"
[ $((done_ms - stopped)) -lt $(((CALL_S + SLACK_S) * 1000)) ] \
  || fail "the task completed $((done_ms - stopped)) ms after a stopped: the call was not handed back at once (goal < $((CALL_S + SLACK_S)) s)"
echo "chaos-handoff: a stopped in $((stopped - stop_started)) ms with a ${CALL_S} s call in flight; task $id completed on b $((done_ms - stopped)) ms after a stopped (goal < $((CALL_S + SLACK_S)) s: the call started over there at once), one recorded call, no restart"
echo "chaos-handoff: OK"
