#!/usr/bin/env bash
# Polling cost of Taskgate on this machine, in one run against the packaged app (embedded mode):
#   1. GET of a COMPLETED task vs GET /q/health/live (req/s, ratio, p50/p99)
#   2. the same for a RUNNING task, and for If-None-Match polls answered 304
#   3. 1,000 concurrent long polls held open: RSS and threads of the process, then one status
#      change that must answer all of them
# Needs wrk (apt-get install wrk) and a JDK. Only 127.0.0.1; every loop is bounded.
# Settings (environment): PORT=8080 DURATION=10 CONNECTIONS=32 THREADS=2 LONG_POLLS=1000
#   UNFINISHED_MAX_AGE=1s (taskgate.polling.unfinished-max-age; 0s reads every RUNNING poll from PostgreSQL)
set -euo pipefail
cd "$(dirname "$0")/.."

PORT=${PORT:-8080}
DURATION=${DURATION:-10}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-2}
LONG_POLLS=${LONG_POLLS:-1000}
UNFINISHED_MAX_AGE=${UNFINISHED_MAX_AGE:-1s}
BASE="http://127.0.0.1:${PORT}"
KEY=sk_test_123456

command -v wrk >/dev/null || { echo "wrk is missing: apt-get install -y wrk" >&2; exit 1; }
ulimit -n 65536 2>/dev/null || true
source bench/lib.sh
bench_init taskgate-polling

LOG="$WORK/app.log"
# The limiter stays on (its cost is part of every request) with a limit wrk cannot reach.
TASKGATE_DATA_DIR="$WORK/data" QUARKUS_HTTP_PORT="$PORT" TASKGATE_POLLING_UNFINISHED_MAX_AGE="$UNFINISHED_MAX_AGE" \
TASKGATE_RATE_LIMIT_REQUESTS_PER_MINUTE=1000000000 TASKGATE_RATE_LIMIT_BURST=1000000000 \
  java -jar target/quarkus-app/quarkus-run.jar >"$LOG" 2>&1 &
APP=$!
wait_ready "$BASE/q/health/ready" "$APP" "$LOG"

submit() {
  curl -fs -X POST "$BASE/api/v1/tasks" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' -d "$1" \
    | sed -E 's/.*"task_id":"([^"]+)".*/\1/'
}
await_status() { # id status
  for _ in $(seq 1 100); do
    curl -fs "$BASE/api/v1/tasks/$1" -H "X-API-Key: $KEY" | grep -q "\"status\":\"$2\"" && return 0
    sleep 0.2
  done
  echo "task $1 never reached $2" >&2; exit 1
}

COMPLETED=$(submit '{"query":"What is the capital of France?"}')
await_status "$COMPLETED" TASK_STATUS_COMPLETED
RUNNING=$(submit '{"query":"long","context":{"simulate":{"delay_ms":600000}}}')
await_status "$RUNNING" TASK_STATUS_RUNNING
ETAG=$(curl -fsi "$BASE/api/v1/tasks/$RUNNING" -H "X-API-Key: $KEY" | tr -d '\r' | sed -n 's/^[Ee][Tt]ag: //p')
[ "$(curl -s -o /dev/null -w '%{http_code}' "$BASE/api/v1/tasks/$RUNNING" -H "X-API-Key: $KEY" -H "If-None-Match: $ETAG")" = 304 ] \
  || { echo "If-None-Match did not answer 304" >&2; exit 1; }

# name url [extra wrk args...] -> "req/s p50 p99 non2xx"
measure() {
  local out
  out=$(wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "${@:2}" "$1")
  local rps p50 p99 non
  rps=$(echo "$out" | awk '/Requests\/sec/ {print $2}')
  p50=$(echo "$out" | awk '$1=="50%" {print $2}')
  p99=$(echo "$out" | awk '$1=="99%" {print $2}')
  non=$(echo "$out" | awk '/Non-2xx or 3xx responses/ {print $5}')
  echo "$rps $p50 $p99 ${non:-0}"
}

echo "warming up ..."
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s "$BASE/q/health/live" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -H "X-API-Key: $KEY" "$BASE/api/v1/tasks/$COMPLETED" >/dev/null
wrk -t"$THREADS" -c"$CONNECTIONS" -d3s -H "X-API-Key: $KEY" "$BASE/api/v1/tasks/$RUNNING" >/dev/null

echo "measuring: ${DURATION}s each, ${CONNECTIONS} connections, ${THREADS} wrk threads, $(nproc) cores, unfinished-max-age ${UNFINISHED_MAX_AGE}"
read -r H_RPS H_P50 H_P99 H_NON <<<"$(measure "$BASE/q/health/live")"
read -r C_RPS C_P50 C_P99 C_NON <<<"$(measure "$BASE/api/v1/tasks/$COMPLETED" -H "X-API-Key: $KEY")"
read -r R_RPS R_P50 R_P99 R_NON <<<"$(measure "$BASE/api/v1/tasks/$RUNNING" -H "X-API-Key: $KEY")"
read -r N_RPS N_P50 N_P99 N_NON <<<"$(measure "$BASE/api/v1/tasks/$RUNNING" -H "X-API-Key: $KEY" -H "If-None-Match: $ETAG")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.0f%%", 100 * a / b }'; }
echo
printf '%-34s %10s %9s %9s %8s %8s\n' "endpoint" "req/s" "p50" "p99" "vs live" "errors"
printf '%-34s %10s %9s %9s %8s %8s\n' "GET /q/health/live (baseline)" "$H_RPS" "$H_P50" "$H_P99" "100%" "$H_NON"
printf '%-34s %10s %9s %9s %8s %8s\n' "GET task COMPLETED (200)" "$C_RPS" "$C_P50" "$C_P99" "$(ratio "$C_RPS" "$H_RPS")" "$C_NON"
printf '%-34s %10s %9s %9s %8s %8s\n' "GET task RUNNING (200)" "$R_RPS" "$R_P50" "$R_P99" "$(ratio "$R_RPS" "$H_RPS")" "$R_NON"
printf '%-34s %10s %9s %9s %8s %8s\n' "GET task RUNNING If-None-Match (304)" "$N_RPS" "$N_P50" "$N_P99" "$(ratio "$N_RPS" "$H_RPS")" "-"
echo "(errors: non-2xx/3xx answers counted by wrk; the 304 row counts as 3xx)"

echo
threads() { awk '/Threads/ {print $2}' "/proc/$APP/status"; }
IDLE_RSS=$(rss_mib "$APP"); IDLE_THREADS=$(threads)
FIFO="$WORK/go"; mkfifo "$FIFO"
DRIVER_OUT="$WORK/longpolls.out"
java bench/LongPolls.java "$BASE" "$KEY" "$RUNNING" "$LONG_POLLS" 60 <"$FIFO" >"$DRIVER_OUT" 2>&1 &
DRIVER=$!
exec 3>"$FIFO"
for _ in $(seq 1 120); do
  grep -q '^OPEN' "$DRIVER_OUT" 2>/dev/null && break
  sleep 0.5
done
OPEN_LINE=$(grep '^OPEN' "$DRIVER_OUT" || echo "OPEN ? (driver did not report)")
HELD=$(ss -Htn state established "( sport = :$PORT )" 2>/dev/null | wc -l)
HOLD_RSS=$(rss_mib "$APP"); HOLD_THREADS=$(threads)
CANCEL_SENT=$(date +%s%3N)
curl -fs -X POST "$BASE/api/v1/tasks/$RUNNING/cancel" -H "X-API-Key: $KEY" >/dev/null
CANCEL_DONE=$(date +%s%3N)
echo "$CANCEL_SENT" >&3
exec 3>&-
wait "$DRIVER" || true
echo "long polls: $OPEN_LINE; established connections to :$PORT while held: $HELD"
printf '%-34s %12s %8s\n' "" "RSS (MiB)" "threads"
printf '%-34s %12s %8s\n' "idle, after the load runs" "$IDLE_RSS" "$IDLE_THREADS"
printf '%-34s %12s %8s\n' "$LONG_POLLS long polls held open" "$HOLD_RSS" "$HOLD_THREADS"
echo "one status change (cancel; the cancel request itself took $((CANCEL_DONE - CANCEL_SENT)) ms):"
echo "  $(grep '^ANSWERED' "$DRIVER_OUT" || tail -3 "$DRIVER_OUT")"
