# Shared by the bench scripts that start the packaged app. Source it, then call bench_init PREFIX:
# the app runs in the embedded mode (settings that would switch it out are unset), a note says so
# when the shared build lock is free (a build could run during the measurements), the jar is built
# when missing, and WORK is a new directory under /tmp, removed on exit after the app ($APP, when
# set) has stopped and any embedded PostgreSQL left under WORK (by a killed app) has been stopped.

BUILD_LOCK=/tmp/taskgate-build.lock

bench_init() { # prefix of the work directory's name
  unset QUARKUS_DATASOURCE_JDBC_URL TASKGATE_TEMPORAL_TARGET QUARKUS_HTTP_PORT TASKGATE_DATA_DIR
  if flock -n "$BUILD_LOCK" true 2>/dev/null; then
    echo "note: $BUILD_LOCK is free, so a build may start during the measurements; run: flock $BUILD_LOCK bash $0" >&2
  fi
  if [ ! -f target/quarkus-app/quarkus-run.jar ]; then
    ./mvnw -B -ntp -q package -Dmaven.test.skip=true
  fi
  WORK=$(mktemp -d "/tmp/$1.XXXXXX")
  APP=""
  trap bench_cleanup EXIT
}

bench_cleanup() {
  if [ -n "$APP" ] && kill -0 "$APP" 2>/dev/null; then
    kill "$APP" 2>/dev/null || true
    for _ in $(seq 1 300); do kill -0 "$APP" 2>/dev/null || break; sleep 0.1; done
    kill -9 "$APP" 2>/dev/null || true
  fi
  for pidfile in "$WORK"/*/postgres/postmaster.pid; do
    [ -f "$pidfile" ] && kill -INT "$(head -1 "$pidfile")" 2>/dev/null || true
  done
  rm -rf "$WORK"
}

now_ms() { date +%s%3N; }

# wait_ready URL PID LOG [SECONDS]: polls URL every 50 ms until it answers 2xx; when the process
# PID exits first, or after SECONDS (60), prints the last lines of LOG and exits the script.
wait_ready() {
  local deadline=$(($(now_ms) + ${4:-60} * 1000))
  until curl -fs -o /dev/null --max-time 2 "$1" 2>/dev/null; do
    if ! kill -0 "$2" 2>/dev/null; then
      echo "the app exited while starting:" >&2; tail -n 20 "$3" >&2; exit 1
    fi
    if [ "$(now_ms)" -ge "$deadline" ]; then
      echo "not ready after ${4:-60} s:" >&2; tail -n 20 "$3" >&2; exit 1
    fi
    sleep 0.05
  done
}

rss_mib() { awk '/^VmRSS:/ { printf "%d", $2 / 1024 }' "/proc/$1/status"; } # PID
