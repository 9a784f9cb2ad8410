#!/usr/bin/env bash
# The README's run command, exactly as written there, twice on this tree: the first run packages
# the app and records its class-data archive (or restores both from Maven's build cache), the
# second restores them from the cache. Each time the app must answer /q/health/ready, the JVM
# must accept the archive (it prints "Unable to use shared archive" when it does not: a restored
# app whose file times no longer match), and the log must show no warning or error. Then a start
# with a setting out of range must end at once with a message that names it.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=18296
source .ci/embedded-app.sh
fail() { tail -40 "$WORK/out.log" >&2; echo "run-command: FAIL: $*" >&2; exit 1; }

# The line after "Run:" in README.md's set-up section: "<build> && <start>"
command=$(awk '/^Run:/ { found = 1 } found && /^\.\/mvnw/ { print; exit }' README.md)
[ -n "$command" ] || fail "no run command found in README.md"
build=${command%% && *}
start=${command#* && }
[ "$build && $start" = "$command" ] || fail "the run command is not '<build> && <start>': $command"
echo "run-command: $command"

for run in first second; do
  : >"$WORK/out.log"
  t0=$(date +%s%3N)
  bash -c "$build" >"$WORK/out.log" 2>&1 || fail "the $run run's build failed"
  env -u QUARKUS_DATASOURCE_JDBC_URL -u TASKGATE_TEMPORAL_TARGET -u TASKGATE_API_KEYS \
      QUARKUS_HTTP_PORT=$PORT TASKGATE_DATA_DIR="$WORK/data" bash -c "exec $start" >>"$WORK/out.log" 2>&1 &
  APP_PID=$!
  for _ in $(seq 1 480); do # at most 120 s
    curl -sf -o /dev/null "localhost:$PORT/q/health/ready" && break
    kill -0 "$APP_PID" 2>/dev/null || fail "the $run run's app exited before it was ready"
    sleep 0.25
  done
  curl -sf -o /dev/null "localhost:$PORT/q/health/ready" || fail "the app of the $run run was not ready"
  t1=$(date +%s%3N)
  kill -TERM "$APP_PID"; wait "$APP_PID" 2>/dev/null || true; APP_PID=""
  ! grep -q 'Unable to use shared archive' "$WORK/out.log" || fail "the JVM refused the class-data archive on the $run run"
  noisy=$(grep -E '^[0-9-]+ [0-9:,]+ (WARN|ERROR) |^\[[0-9.]+s\]\[(warning|error)\]' "$WORK/out.log" || true)
  [ -z "$noisy" ] || fail "warnings or errors in the $run run's output: $noisy"
  echo "run-command: $run run ready after $((t1 - t0)) ms (build and start), archive accepted, quiet log"
done

# A setting out of range stops the start-up with a message that names it (no stack trace), and the
# embedded PostgreSQL stops with the app.
: >"$WORK/out.log"
set +e
env -u QUARKUS_DATASOURCE_JDBC_URL -u TASKGATE_TEMPORAL_TARGET -u TASKGATE_API_KEYS \
    QUARKUS_HTTP_PORT=$PORT TASKGATE_DATA_DIR="$WORK/data" TASKGATE_TEMPORAL_CONCURRENT_ACTIVITIES=0 \
    timeout 120 bash -c "exec $start" >"$WORK/out.log" 2>&1
status=$?
set -e
[ "$status" -ne 0 ] && [ "$status" -ne 124 ] || fail "with concurrent-activities=0 the app exited with $status"
grep -q 'taskgate.temporal.concurrent-activities with the config value "0" .*(it must be at least 1)' "$WORK/out.log" \
  || fail "no message naming taskgate.temporal.concurrent-activities"
! grep -qE '^[[:space:]]+at ' "$WORK/out.log" || fail "a stack trace for a setting out of range"
[ ! -f "$WORK/data/postgres/postmaster.pid" ] || fail "the embedded PostgreSQL outlived the failed start"
echo "run-command: concurrent-activities=0 refused with a message naming it (exit $status), PostgreSQL stopped"
