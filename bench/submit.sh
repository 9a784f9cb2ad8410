#!/usr/bin/env bash
# Submit latency and throughput of the packaged Taskgate in embedded mode (own PostgreSQL,
# in-process Temporal, local model), next to bare Temporal workflow starts against the same kind
# of Temporal server (the SDK's in-process test server) measured in the same run:
#   (d) baseline  bench/BareTemporal.java: CONNECTIONS threads start a trivial workflow for DURATION seconds
#   (a) latency   sequential submit -> COMPLETED (long polls ?wait=30), LATENCY_COUNT each of
#                 SIMPLE, STANDARD (one calculator call) and COMPLEX; p50/p90. Measured twice: just
#                 after start-up (the JIT still compiling), then again after WARMUP seconds of mixed
#                 tasks over 4 connections (steady state: the goals apply to this one)
#   (b) throughput CONNECTIONS connections submit SIMPLE tasks for DURATION seconds: submits/s, completions/s
#   (c) burst     BURST tasks at once over BURST_CONNECTIONS: peak threads and VmRSS of the JVM
#                 (/proc/PID/status, sampled every 50 ms) until all have ended, and both again
#                 BURST_SETTLE seconds later (what the JVM gives back once the load is over)
#   (e) the same burst, after WARMUP seconds of warm-up, on a new Taskgate whose Temporal server runs in
#                 its own process (as against a cluster): Taskgate's own threads and RSS, without the
#                 finished workflows the in-process server keeps in the JVM's heap until it stops
# Run it holding the shared build lock so no build runs at the same time (2 shared cores):
#   flock /tmp/taskgate-build.lock bash bench/submit.sh
# The app starts with the README's run command's JVM options (src/main/jvm/run.options).
# Builds the jar if missing. Only 127.0.0.1; every loop is bounded by a count or a deadline.
# Settings (environment): PORT=18710 TEMPORAL_PORT=17298 LATENCY_COUNT=50 WARMUP=45 CONNECTIONS=16 DURATION=20 BURST=2000 BURST_CONNECTIONS=64 BURST_SETTLE=45
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

PORT=${PORT:-18710}
TEMPORAL_PORT=${TEMPORAL_PORT:-17298}
LATENCY_COUNT=${LATENCY_COUNT:-50}
WARMUP=${WARMUP:-45}
CONNECTIONS=${CONNECTIONS:-16}
DURATION=${DURATION:-20}
BURST=${BURST:-2000}
BURST_CONNECTIONS=${BURST_CONNECTIONS:-64}
BURST_SETTLE=${BURST_SETTLE:-45}
KEY=sk_test_123456
BASE="http://127.0.0.1:${PORT}"
ulimit -n 65536 2>/dev/null || true

source bench/lib.sh
bench_init taskgate-submit

echo "$(date -u +%FT%TZ) $(nproc) cores; latency $LATENCY_COUNT per mode; throughput ${CONNECTIONS} connections x ${DURATION} s; burst $BURST over $BURST_CONNECTIONS connections"

# (d) baseline first, alone on the machine
echo "bare Temporal (in-process test server, trivial workflow) ..."
timeout 300 java -cp "target/quarkus-app/lib/main/*" bench/BareTemporal.java "$CONNECTIONS" "$DURATION" \
  >"$WORK/bare.out" 2>"$WORK/bare.err" || { echo "bare Temporal failed:" >&2; tail -20 "$WORK/bare.err" >&2; exit 1; }
grep '^BARE_TEMPORAL ' "$WORK/bare.out"
read -r _ BARE_STARTS BARE_DONE <<<"$(grep '^BARE_TEMPORAL_NUMBERS' "$WORK/bare.out")"

start_taskgate() { # name [VAR=value ...]: the packaged app on PORT with a new data directory $WORK/name
  mkdir -p "$WORK/$1"
  env TASKGATE_DATA_DIR="$WORK/$1" QUARKUS_HTTP_PORT="$PORT" \
      TASKGATE_RATE_LIMIT_REQUESTS_PER_MINUTE=1000000000 TASKGATE_RATE_LIMIT_BURST=1000000000 "${@:2}" \
    java @src/main/jvm/run.options -jar target/quarkus-app/quarkus-run.jar >"$WORK/$1.log" 2>&1 &
  APP=$!
  wait_ready "$BASE/q/health/ready" "$APP" "$WORK/$1.log"
}

start_taskgate app
echo "latency just after start-up (sequential, 5 warm-up tasks per mode not counted) ..."
timeout 400 java bench/SubmitLoad.java latency "$BASE" "$KEY" "$LATENCY_COUNT" | tee "$WORK/latency-cold.out"
echo "warm-up: $WARMUP s of mixed tasks over 4 connections ..."
timeout $((WARMUP + 120)) java bench/SubmitLoad.java warmup "$BASE" "$KEY" 4 "$WARMUP"
echo "latency after the warm-up ..."
timeout 400 java bench/SubmitLoad.java latency "$BASE" "$KEY" "$LATENCY_COUNT" | tee "$WORK/latency.out"
echo "throughput (50 warm-up tasks not counted) ..."
timeout 400 java bench/SubmitLoad.java throughput "$BASE" "$KEY" "$CONNECTIONS" "$DURATION" | tee "$WORK/throughput.out" | grep -v _NUMBERS
echo "burst ..."
timeout $((400 + BURST_SETTLE)) java bench/SubmitLoad.java burst "$BASE" "$KEY" "$BURST" "$BURST_CONNECTIONS" "$APP" "$BURST_SETTLE" | tee "$WORK/burst.out" | grep -v _NUMBERS
ERRORS=$(grep -c ' ERROR ' "$WORK/app.log" || true)
kill "$APP"; wait "$APP" 2>/dev/null || true

# (e) the same burst with Temporal's server in its own process (what a cluster-backed worker runs
# against): Taskgate's own RSS, without the histories the in-process server keeps
echo "burst with Temporal's server in its own process (after $WARMUP s of warm-up) ..."
java -cp "target/quarkus-app/lib/main/*" io.temporal.testserver.TestServer "$TEMPORAL_PORT" >"$WORK/temporal.log" 2>&1 &
TEMPORAL=$!
trap 'kill "$TEMPORAL" 2>/dev/null || true; bench_cleanup' EXIT
start_taskgate app-external TASKGATE_TEMPORAL_TARGET="127.0.0.1:$TEMPORAL_PORT"
timeout $((WARMUP + 120)) java bench/SubmitLoad.java warmup "$BASE" "$KEY" 4 "$WARMUP"
timeout $((400 + BURST_SETTLE)) java bench/SubmitLoad.java burst "$BASE" "$KEY" "$BURST" "$BURST_CONNECTIONS" "$APP" "$BURST_SETTLE" | tee "$WORK/burst-external.out" | grep -v _NUMBERS
TEMPORAL_RSS=$(rss_mib "$TEMPORAL")
ERRORS=$((ERRORS + $(grep -c ' ERROR ' "$WORK/app-external.log" || true)))

read -r _ S_KIND S_P50 S_P90 S_SUBMIT S_FAILED _ <<<"$(grep '^LATENCY SIMPLE' "$WORK/latency.out")"
read -r _ _ T_P50 T_P90 T_SUBMIT T_FAILED _ <<<"$(grep '^LATENCY STANDARD' "$WORK/latency.out")"
read -r _ _ X_P50 X_P90 X_SUBMIT X_FAILED _ <<<"$(grep '^LATENCY COMPLEX' "$WORK/latency.out")"
read -r _ _ SC_P50 SC_P90 _ <<<"$(grep '^LATENCY SIMPLE' "$WORK/latency-cold.out")"
read -r _ _ TC_P50 TC_P90 _ <<<"$(grep '^LATENCY STANDARD' "$WORK/latency-cold.out")"
read -r _ _ XC_P50 XC_P90 _ <<<"$(grep '^LATENCY COMPLEX' "$WORK/latency-cold.out")"
read -r _ TG_STARTS TG_DONE <<<"$(grep '^THROUGHPUT_NUMBERS' "$WORK/throughput.out")"
read -r _ B_THREADS0 B_RSS0 B_THREADS B_RSS B_THREADS1 B_RSS1 <<<"$(grep '^BURST_NUMBERS' "$WORK/burst.out")"
read -r _ E_THREADS0 E_RSS0 E_THREADS E_RSS E_THREADS1 E_RSS1 <<<"$(grep '^BURST_NUMBERS' "$WORK/burst-external.out")"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2fx", a / b }'; }
below() { awk -v v="$1" -v g="$2" 'BEGIN { print (v < g ? "met" : "NOT met") }'; }
atleast() { awk -v v="$1" -v g="$2" 'BEGIN { print (v >= g ? "met" : "NOT met") }'; }
RSS_GOAL_MIB=$(awk 'BEGIN { printf "%d", 600e6 / 1048576 }')

row() { printf '%-44s %-34s %-30s %s\n' "$@"; } # figure, value, goal, verdict
echo
row figure value goal ""
row "just after start-up: SIMPLE p50 / p90" "$SC_P50 / $SC_P90 ms" "-" ""
row "just after start-up: STANDARD p50 / p90" "$TC_P50 / $TC_P90 ms" "-" ""
row "just after start-up: COMPLEX p50 / p90" "$XC_P50 / $XC_P90 ms" "-" ""
row "SIMPLE submit->COMPLETED p50 / p90" "$S_P50 / $S_P90 ms" "p50 < 30 ms" "$(below "$S_P50" 30)"
row "STANDARD (calculator) p50 / p90" "$T_P50 / $T_P90 ms" "p50 < 60 ms" "$(below "$T_P50" 60)"
row "COMPLEX p50 / p90" "$X_P50 / $X_P90 ms" "-" ""
row "submit alone p50 (SIMPLE/STANDARD/COMPLEX)" "$S_SUBMIT / $T_SUBMIT / $X_SUBMIT ms" "-" ""
row "not COMPLETED in the latency runs" "$S_FAILED / $T_FAILED / $X_FAILED" "0" ""
row "bare Temporal starts/s ($CONNECTIONS threads)" "$BARE_STARTS/s" "baseline" ""
row "bare Temporal completions/s" "$BARE_DONE/s" "baseline" ""
row "Taskgate submits/s ($CONNECTIONS connections)" "$TG_STARTS/s = $(ratio "$TG_STARTS" "$BARE_STARTS")" ">= 0.5x bare starts" \
  "$(atleast "$(awk -v a="$TG_STARTS" -v b="$BARE_STARTS" 'BEGIN { print a / b }')" 0.5)"
row "Taskgate completions/s (same window)" "$TG_DONE/s = $(ratio "$TG_DONE" "$BARE_DONE")" ">= 0.5x bare completions" \
  "$(atleast "$(awk -v a="$TG_DONE" -v b="$BARE_DONE" 'BEGIN { print a / b }')" 0.5)"
row "$BURST-task burst: peak threads" "$B_THREADS (before $B_THREADS0, $BURST_SETTLE s after $B_THREADS1)" "< 300" "$(below "$B_THREADS" 300)"
row "$BURST-task burst: peak JVM RSS" "$B_RSS MiB (before $B_RSS0, $BURST_SETTLE s after $B_RSS1)" "< 600 MB ($RSS_GOAL_MIB MiB)" "$(below "$B_RSS" "$RSS_GOAL_MIB")"
row "same, Temporal in its own process: threads" "$E_THREADS (before $E_THREADS0, $BURST_SETTLE s after $E_THREADS1)" "< 300" "$(below "$E_THREADS" 300)"
row "same, Temporal in its own process: JVM RSS" "$E_RSS MiB (before $E_RSS0, $BURST_SETTLE s after $E_RSS1)" "< 600 MB ($RSS_GOAL_MIB MiB)" "$(below "$E_RSS" "$RSS_GOAL_MIB")"
row "  the Temporal server's RSS after it" "$TEMPORAL_RSS MiB" "-" ""
echo "ERROR lines in the app log: $ERRORS"
