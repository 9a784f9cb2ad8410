#!/usr/bin/env bash
# kill -9 of the only Taskgate process while 30 model calls (4 s each) are in flight, with the
# machine's PostgreSQL and Temporal's test server in its own JVM. After a restart every task
# completes, each model call is recorded exactly once (a killed attempt is never paid for twice),
# and the time from the restart to the last completion is printed next to its goal (heartbeat
# timeout + call time + 10 s).
#
#   .ci/chaos-kill.sh sticky      sticky execution on (the default). This test server never moves
#                                 a dead worker's sticky workflow tasks to another worker, so most
#                                 workflows stall after their retried call; the reconciler finds
#                                 them and runs them again. Their number is printed.
#   .ci/chaos-kill.sh no-sticky   taskgate.temporal.sticky-schedule-to-start-timeout=0s, as the
#                                 docs advise for this server: no workflow stalls; the goal holds.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/cluster.sh
VARIANT=${1:-sticky}
case "$VARIANT" in
  sticky) cluster_init taskgate_chaos_kill 17241 ;;
  no-sticky) cluster_init taskgate_chaos_kill_nosticky 17243
             export TASKGATE_TEMPORAL_STICKY_SCHEDULE_TO_START_TIMEOUT=0s ;;
  *) echo "usage: $0 sticky|no-sticky" >&2; exit 2 ;;
esac
A=18291
TASKS=30
CALL_MS=4000
HEARTBEAT_S=20
export TASKGATE_TEMPORAL_HEARTBEAT_TIMEOUT=${HEARTBEAT_S}s TASKGATE_TASKS_RECONCILE_EVERY=2s \
       TASKGATE_TASKS_LOST_WORKFLOW_TASK_AFTER=10s TASKGATE_RATE_LIMIT_ENABLED=false
start_replica a "$A" all

body='{"query": "survive kill -9", "timeout_seconds": 120, "context": {"simulate": {"delay_ms": '$CALL_MS'}}}'
ids=()
for _ in $(seq 1 "$TASKS"); do ids+=("$(submit "$A" "$body")"); done
sleep 1
kill -9 "${REPLICA_PIDS[a]}"
wait "${REPLICA_PIDS[a]}" 2>/dev/null || true
killed=$(psql -h "$PGHOST" -U postgres -d "$DB" -tAc \
  "SELECT count(*) FROM tasks WHERE status IN ('QUEUED','RUNNING')")
echo "chaos-kill ($VARIANT): killed the process with $killed of $TASKS tasks unfinished"

restart_ms=$(date +%s%3N)
start_replica a "$A" all
deadline=$((SECONDS + 120))
while :; do
  open=$(psql -h "$PGHOST" -U postgres -d "$DB" -tAc "SELECT count(*) FROM tasks WHERE status IN ('QUEUED','RUNNING')")
  [ "$open" = 0 ] && break
  [ "$SECONDS" -lt "$deadline" ] || fail "$open tasks still unfinished 120 s after the restart"
  sleep 0.5
done

q() { psql -h "$PGHOST" -U postgres -d "$DB" -tAc "$1"; }
completed=$(q "SELECT count(*) FROM tasks WHERE status = 'COMPLETED'")
[ "$completed" = "$TASKS" ] || fail "$completed of $TASKS tasks COMPLETED: $(q "SELECT status, error FROM tasks WHERE status <> 'COMPLETED'")"
# usage is exact: one recorded call per task, the task's usage is that call's, and every task used the same
calls=$(q "SELECT count(*) FROM model_calls")
[ "$calls" = "$TASKS" ] || fail "$calls model calls recorded for $TASKS SIMPLE tasks"
mismatched=$(q "SELECT count(*) FROM tasks t JOIN model_calls m ON m.task_id = t.id
                WHERE t.input_tokens <> m.input_tokens OR t.output_tokens <> m.output_tokens")
[ "$mismatched" = 0 ] || fail "$mismatched tasks whose usage is not their call's"
distinct=$(q "SELECT count(DISTINCT input_tokens + output_tokens) FROM tasks")
[ "$distinct" = 1 ] || fail "the $TASKS identical tasks report $distinct different token totals"
duplicates=$(q "SELECT count(*) FROM (SELECT task_id, type FROM task_events WHERE type IN ('TASK_STARTED','LLM_OUTPUT','TASK_COMPLETED')
                GROUP BY task_id, type HAVING count(*) > 1) d")
[ "$duplicates" = 0 ] || fail "$duplicates events written twice"
last_ms=$(q "SELECT CAST(extract(epoch FROM max(updated_at)) * 1000 AS bigint) FROM tasks")
recovered=$(q "SELECT count(*) FROM task_events WHERE type = 'TASK_RESTARTED'")
took=$((last_ms - restart_ms))
goal=$((HEARTBEAT_S * 1000 + CALL_MS + 10000))
if [ "$VARIANT" = no-sticky ]; then
  bound=$(printf 'goal < %d s: heartbeat timeout %d s + call %d s + 10 s' $((goal / 1000)) "$HEARTBEAT_S" $((CALL_MS / 1000)))
else
  bound="no goal with sticky execution: stalled workflows wait for the reconciler"
fi
printf 'chaos-kill (%s): %d/%d COMPLETED, one recorded call each (%s tokens per task); restart -> last completion %d.%03d s (%s); lost workflow tasks recovered: %s\n' \
  "$VARIANT" "$completed" "$TASKS" "$(q "SELECT max(input_tokens + output_tokens) FROM tasks")" \
  $((took / 1000)) $((took % 1000)) "$bound" "$recovered"
[ "$VARIANT" != no-sticky ] || [ "$took" -lt "$goal" ] || fail "the last task completed $took ms after the restart, goal $goal ms"
echo "chaos-kill ($VARIANT): OK"
