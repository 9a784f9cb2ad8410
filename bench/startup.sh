#!/usr/bin/env bash
# Start-up, memory and stop of the packaged Taskgate in embedded mode (its own PostgreSQL and
# in-process Temporal), next to a bare Quarkus app (bench/bare-quarkus: quarkus-rest +
# smallrye-health) measured in the same run. RUNS times each (median printed):
#   cold start  new empty TASKGATE_DATA_DIR -> /q/health/ready 200; JVM VmRSS IDLE_SECONDS later; SIGTERM idle -> exit
#   warm start  the same data dir again; then a task in flight (20 s simulated model call), SIGTERM -> exit
#   resume      the next start on that data dir: ready, and the in-flight task reaches COMPLETED
#   archive     a warm start with the README's run command's JVM options (src/main/jvm/run.options:
#               the class-data archive the package step records, and the memory settings); its
#               VmRSS is read again SETTLE_SECONDS after ready, once those settings have had their turn
#   cold+archive  a start on another new data dir with the same options: the README's run command
#               the first time (initdb and migrations)
#   bare        the bare app -> /q/health/ready 200; JVM VmRSS IDLE_SECONDS later; SIGTERM -> exit
# Run it holding the shared build lock so no build runs at the same time (2 shared cores):
#   flock /tmp/taskgate-build.lock bash bench/startup.sh
# Builds the Taskgate jar and the bare app if missing. Only 127.0.0.1; every wait is bounded.
# Settings (environment): RUNS=3 PORT=18700 BARE_PORT=18701 IDLE_SECONDS=3 SETTLE_SECONDS=20
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-3}
PORT=${PORT:-18700}
BARE_PORT=${BARE_PORT:-18701}
IDLE_SECONDS=${IDLE_SECONDS:-3}
SETTLE_SECONDS=${SETTLE_SECONDS:-20}
KEY=sk_test_123456
BASE="http://127.0.0.1:${PORT}"
BARE_JAR=bench/bare-quarkus/target/quarkus-app/quarkus-run.jar
if [ ! -f "$BARE_JAR" ]; then
  ./mvnw -B -ntp -q -f bench/bare-quarkus/pom.xml package -DskipTests
fi

source bench/lib.sh
bench_init taskgate-startup

# start_app LOG URL CMD... -> sets APP, START_MS (launch to first 200 on URL), RSS_MIB (VmRSS IDLE_SECONDS later)
start_app() {
  local log=$1 url=$2
  shift 2
  local t0
  t0=$(now_ms)
  "$@" >"$log" 2>&1 &
  APP=$!
  wait_ready "$url" "$APP" "$log"
  START_MS=$(($(now_ms) - t0))
  # idle: the JIT's scratch memory of the last start-up compilations is freed within a second or two
  sleep "$IDLE_SECONDS"
  RSS_MIB=$(rss_mib "$APP")
}

# stop_app -> STOP_MS (SIGTERM to process exit; 60 s then SIGKILL)
stop_app() {
  local t0
  t0=$(now_ms)
  kill -TERM "$APP"
  for _ in $(seq 1 1200); do
    kill -0 "$APP" 2>/dev/null || break
    sleep 0.05
  done
  if kill -0 "$APP" 2>/dev/null; then
    kill -9 "$APP" 2>/dev/null || true
    echo "warning: still running 60 s after SIGTERM, killed" >&2
  fi
  wait "$APP" 2>/dev/null || true
  STOP_MS=$(($(now_ms) - t0))
  APP=""
}

ARCHIVE=target/quarkus-app/taskgate.jsa
RUN_OPTIONS=@src/main/jvm/run.options # the README's run command's JVM options; they name $ARCHIVE
[ -f "$ARCHIVE" ] || { echo "no $ARCHIVE: build with ./mvnw -B package -Dmaven.test.skip=true" >&2; exit 1; }
taskgate() { # data dir, java options...; exec: the background job's pid is the JVM's
  local data=$1
  shift
  exec env TASKGATE_DATA_DIR="$data" QUARKUS_HTTP_PORT="$PORT" java "$@" -jar target/quarkus-app/quarkus-run.jar
}
postgres_left() { # data dir -> pid of a PostgreSQL still running on it, or nothing
  local pidfile="$1/postgres/postmaster.pid"
  [ -f "$pidfile" ] && kill -0 "$(head -1 "$pidfile")" 2>/dev/null && head -1 "$pidfile"
  return 0
}
task_status() { # id
  curl -fs "$BASE/api/v1/tasks/$1" -H "X-API-Key: $KEY" | sed -nE 's/.*"status":"TASK_STATUS_([A-Z_]+)".*/\1/p'
}
errors_in() { grep -c ' ERROR ' "$1" || true; }

COLD=() ; WARM=() ; RESUME=() ; BARE=()
COLD_RSS=() ; WARM_RSS=() ; BARE_RSS=() ; CDS=() ; CDS_RSS=() ; CDS_SETTLED=() ; CDS_COLD=()
STOP_IDLE=() ; STOP_BUSY=() ; BARE_STOP=() ; RESUMED=()
SHUTDOWN_ERRORS=0 ; PG_LEFT=0

echo "$(date -u +%FT%TZ) $(nproc) cores, $RUNS runs, Taskgate on :$PORT, bare Quarkus on :$BARE_PORT"
printf '%-4s %8s %8s %8s %9s %8s %8s %8s %10s %8s %8s %8s %11s %8s %8s %8s\n' run cold_ms rss_mib stop_ms warm_ms rss_mib busy_stop resume_ms completed_s cds_ms rss_mib settled cds_cold_ms bare_ms rss_mib stop_ms
for run in $(seq 1 "$RUNS"); do
  DATA="$WORK/data-$run"
  mkdir -p "$DATA"

  # bare app first, so every Taskgate start of this run sits next to its own baseline
  start_app "$WORK/bare-$run.log" "http://127.0.0.1:$BARE_PORT/q/health/ready" \
    env QUARKUS_HTTP_PORT="$BARE_PORT" java -jar "$BARE_JAR"
  BARE+=("$START_MS"); BARE_RSS+=("$RSS_MIB"); b_ms=$START_MS; b_rss=$RSS_MIB
  stop_app; BARE_STOP+=("$STOP_MS"); b_stop=$STOP_MS

  # cold: an empty data directory (initdb, migrations)
  start_app "$WORK/cold-$run.log" "$BASE/q/health/ready" taskgate "$DATA"
  COLD+=("$START_MS"); COLD_RSS+=("$RSS_MIB"); c_ms=$START_MS; c_rss=$RSS_MIB
  sleep 2 # let start-up work settle: this is the idle stop
  stop_app; STOP_IDLE+=("$STOP_MS"); s_idle=$STOP_MS
  SHUTDOWN_ERRORS=$((SHUTDOWN_ERRORS + $(errors_in "$WORK/cold-$run.log")))
  [ -z "$(postgres_left "$DATA")" ] || PG_LEFT=$((PG_LEFT + 1))

  # warm: the same data directory; then a task in flight when SIGTERM comes
  start_app "$WORK/warm-$run.log" "$BASE/q/health/ready" taskgate "$DATA"
  WARM+=("$START_MS"); WARM_RSS+=("$RSS_MIB"); w_ms=$START_MS; w_rss=$RSS_MIB
  TASK=$(curl -fs -X POST "$BASE/api/v1/tasks" -H "X-API-Key: $KEY" -H 'Content-Type: application/json' \
    -d '{"query":"slow","context":{"simulate":{"delay_ms":20000}}}' | sed -nE 's/.*"task_id":"([^"]+)".*/\1/p')
  [ -n "$TASK" ] || { echo "submit failed" >&2; exit 1; }
  for _ in $(seq 1 100); do [ "$(task_status "$TASK")" = RUNNING ] && break; sleep 0.1; done
  sleep 1 # the model call is under way
  stop_app; STOP_BUSY+=("$STOP_MS"); s_busy=$STOP_MS
  SHUTDOWN_ERRORS=$((SHUTDOWN_ERRORS + $(errors_in "$WORK/warm-$run.log")))
  [ -z "$(postgres_left "$DATA")" ] || PG_LEFT=$((PG_LEFT + 1))

  # resume: the next start; the in-flight task must reach COMPLETED (its 20 s call runs again)
  start_app "$WORK/resume-$run.log" "$BASE/q/health/ready" taskgate "$DATA"
  RESUME+=("$START_MS"); r_ms=$START_MS
  t0=$(now_ms); status=""
  for _ in $(seq 1 4); do # long polls, at most 4 x 30 s
    status=$(curl -fs "$BASE/api/v1/tasks/$TASK?wait=30" -H "X-API-Key: $KEY" -m 40 \
      | sed -nE 's/.*"status":"TASK_STATUS_([A-Z_]+)".*/\1/p')
    case "$status" in COMPLETED|FAILED|CANCELLED|TIMEOUT) break ;; esac
  done
  done_s=$(awk -v ms=$(($(now_ms) - t0)) 'BEGIN { printf "%.1f", ms / 1000 }')
  if [ "$status" = COMPLETED ]; then RESUMED+=("$done_s"); else RESUMED+=("no:$status"); fi
  stop_app; STOP_IDLE+=("$STOP_MS")
  SHUTDOWN_ERRORS=$((SHUTDOWN_ERRORS + $(errors_in "$WORK/resume-$run.log")))
  [ -z "$(postgres_left "$DATA")" ] || PG_LEFT=$((PG_LEFT + 1))

  # archive: a warm start with the run command's JVM options, the class-data archive among them
  start_app "$WORK/archive-$run.log" "$BASE/q/health/ready" taskgate "$DATA" "$RUN_OPTIONS"
  CDS+=("$START_MS"); CDS_RSS+=("$RSS_MIB"); a_ms=$START_MS; a_rss=$RSS_MIB
  sleep $((SETTLE_SECONDS > IDLE_SECONDS ? SETTLE_SECONDS - IDLE_SECONDS : 0))
  a_settled=$(rss_mib "$APP"); CDS_SETTLED+=("$a_settled")
  stop_app; STOP_IDLE+=("$STOP_MS")
  SHUTDOWN_ERRORS=$((SHUTDOWN_ERRORS + $(errors_in "$WORK/archive-$run.log")))
  grep -q 'Unable to use shared archive' "$WORK/archive-$run.log" && { echo "the JVM refused $ARCHIVE" >&2; exit 1; }

  # cold with the archive: another empty data directory
  mkdir -p "$WORK/data-archive-$run"
  start_app "$WORK/archive-cold-$run.log" "$BASE/q/health/ready" taskgate "$WORK/data-archive-$run" "$RUN_OPTIONS"
  CDS_COLD+=("$START_MS"); ac_ms=$START_MS
  stop_app; STOP_IDLE+=("$STOP_MS")
  SHUTDOWN_ERRORS=$((SHUTDOWN_ERRORS + $(errors_in "$WORK/archive-cold-$run.log")))
  [ -z "$(postgres_left "$WORK/data-archive-$run")" ] || PG_LEFT=$((PG_LEFT + 1))

  printf '%-4s %8s %8s %8s %9s %8s %8s %8s %10s %8s %8s %8s %11s %8s %8s %8s\n' "$run" "$c_ms" "$c_rss" "$s_idle" "$w_ms" "$w_rss" \
    "$s_busy" "$r_ms" "${RESUMED[-1]}" "$a_ms" "$a_rss" "$a_settled" "$ac_ms" "$b_ms" "$b_rss" "$b_stop"
done

median() { printf '%s\n' "$@" | sort -n | awk '{ v[NR] = $1 } END { if (NR % 2) print v[(NR + 1) / 2]; else print (v[NR / 2] + v[NR / 2 + 1]) / 2 }'; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.1fx", a / b }'; }
verdict() { awk -v v="$1" -v g="$2" 'BEGIN { print (v < g ? "met" : "NOT met") }'; }

M_COLD=$(median "${COLD[@]}"); M_WARM=$(median "${WARM[@]}"); M_RESUME=$(median "${RESUME[@]}")
M_BARE=$(median "${BARE[@]}"); M_BARE_RSS=$(median "${BARE_RSS[@]}"); M_BARE_STOP=$(median "${BARE_STOP[@]}")
M_COLD_RSS=$(median "${COLD_RSS[@]}"); M_WARM_RSS=$(median "${WARM_RSS[@]}")
M_CDS=$(median "${CDS[@]}"); M_CDS_RSS=$(median "${CDS_RSS[@]}"); M_CDS_COLD=$(median "${CDS_COLD[@]}")
M_CDS_SETTLED=$(median "${CDS_SETTLED[@]}")
M_IDLE=$(median "${STOP_IDLE[@]}"); M_BUSY=$(median "${STOP_BUSY[@]}")
COMPLETED_AFTER=0
for r in "${RESUMED[@]}"; do case "$r" in no:*) ;; *) COMPLETED_AFTER=$((COMPLETED_AFTER + 1)) ;; esac; done

echo
echo "medians of $RUNS runs                      value     goal     vs bare Quarkus"
printf '%-40s %7s ms  < %4s ms  %-6s (%s)\n' "cold start to ready (new data dir)" "$M_COLD" 3000 "$(ratio "$M_COLD" "$M_BARE")" "$(verdict "$M_COLD" 3000)"
printf '%-40s %7s ms  < %4s ms  %-6s (%s)\n' "warm start to ready (existing data dir)" "$M_WARM" 2000 "$(ratio "$M_WARM" "$M_BARE")" "$(verdict "$M_WARM" 2000)"
printf '%-40s %7s ms  < %4s ms  %-6s (%s)\n' "warm start with the run options" "$M_CDS" 2000 "$(ratio "$M_CDS" "$M_BARE")" "$(verdict "$M_CDS" 2000)"
printf '%-40s %7s ms  < %4s ms  %-6s (%s)\n' "cold start with the run options" "$M_CDS_COLD" 3000 "$(ratio "$M_CDS_COLD" "$M_BARE")" "$(verdict "$M_CDS_COLD" 3000)"
printf '%-40s %7s ms  %9s  %s\n' "start with a task to resume" "$M_RESUME" "-" "$(ratio "$M_RESUME" "$M_BARE")"
printf '%-40s %7s ms\n' "bare Quarkus start to ready" "$M_BARE"
printf '%-40s %6s MiB  < %3s MiB  %-6s (%s)\n' "JVM RSS idle, cold" "$M_COLD_RSS" 200 "$(ratio "$M_COLD_RSS" "$M_BARE_RSS")" "$(verdict "$M_COLD_RSS" 200)"
printf '%-40s %6s MiB  < %3s MiB  %-6s (%s)\n' "JVM RSS idle, warm" "$M_WARM_RSS" 200 "$(ratio "$M_WARM_RSS" "$M_BARE_RSS")" "$(verdict "$M_WARM_RSS" 200)"
printf '%-40s %6s MiB  < %3s MiB  %-6s (%s)\n' "JVM RSS idle, run options" "$M_CDS_RSS" 200 "$(ratio "$M_CDS_RSS" "$M_BARE_RSS")" "$(verdict "$M_CDS_RSS" 200)"
printf '%-40s %6s MiB  < %3s MiB  %-6s (%s)\n' "JVM RSS idle ${SETTLE_SECONDS} s, run options" "$M_CDS_SETTLED" 200 "$(ratio "$M_CDS_SETTLED" "$M_BARE_RSS")" "$(verdict "$M_CDS_SETTLED" 200)"
printf '%-40s %6s MiB\n' "bare Quarkus JVM RSS idle" "$M_BARE_RSS"
printf '%-40s %7s ms  < %4s ms  %-6s (%s)\n' "stop after SIGTERM, idle" "$M_IDLE" 2000 "$(ratio "$M_IDLE" "$M_BARE_STOP")" "$(verdict "$M_IDLE" 2000)"
printf '%-40s %7s ms  < %4s ms  %-6s (%s)\n' "stop after SIGTERM, a task in flight" "$M_BUSY" 2000 "$(ratio "$M_BUSY" "$M_BARE_STOP")" "$(verdict "$M_BUSY" 2000)"
printf '%-40s %7s ms\n' "bare Quarkus stop after SIGTERM" "$M_BARE_STOP"
echo "in-flight task COMPLETED after the next start: $COMPLETED_AFTER of $RUNS (seconds from ready: ${RESUMED[*]})"
echo "ERROR lines in Taskgate logs: $SHUTDOWN_ERRORS; PostgreSQL left running after the JVM exited: $PG_LEFT"
