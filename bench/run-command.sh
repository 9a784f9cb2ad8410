#!/usr/bin/env bash
# The README's run command on an unchanged tree: seconds until the packaged app answers
# /q/health/ready, split into build and start, next to a plain `./mvnw -B package -DskipTests`
# (no build cache) on the same tree in the same run. The command is read from README.md, so this
# measures what a newcomer types. Run it holding the shared build lock (two shared cores):
#   flock /tmp/taskgate-build.lock bash bench/run-command.sh
# Settings (environment): RUNS=3 PORT=18720
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

RUNS=${RUNS:-3}
PORT=${PORT:-18720}

# The line after "Run:" in README.md's set-up section: "<build> && <start>"
command=$(awk '/^Run:/ { found = 1 } found && /^\.\/mvnw/ { print; exit }' README.md)
[ -n "$command" ] || { echo "no run command found in README.md" >&2; exit 1; }
build=${command%% && *}
start=${command#* && }
echo "run command: $command"

source bench/lib.sh
bench_init taskgate-runcmd

# One run: build part, then start part until ready; prints "build_ms start_ms".
run_once() {
  local t0 t1 t2
  t0=$(now_ms)
  bash -c "$build" >"$WORK/build.log" 2>&1 || { tail -n 30 "$WORK/build.log" >&2; exit 1; }
  t1=$(now_ms)
  TASKGATE_DATA_DIR="$WORK/data" QUARKUS_HTTP_PORT="$PORT" bash -c "exec $start" >"$WORK/app.log" 2>&1 &
  APP=$!
  wait_ready "http://127.0.0.1:$PORT/q/health/ready" "$APP" "$WORK/app.log" 120
  t2=$(now_ms)
  kill "$APP"; wait "$APP" 2>/dev/null || true; APP=""
  echo "$((t1 - t0)) $((t2 - t1))"
}

median() { sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }

echo "first run (may build anew): $(run_once)"
: >"$WORK/runs"
for i in $(seq 1 "$RUNS"); do
  read -r b s <<<"$(run_once)"
  echo "unchanged tree, run $i: build ${b} ms + start ${s} ms = $((b + s)) ms"
  echo "$b $s" >>"$WORK/runs"
done
t0=$(now_ms)
./mvnw -B -ntp -q package -DskipTests >"$WORK/plain.log" 2>&1
plain=$(( $(now_ms) - t0 ))

b=$(awk '{ print $1 }' "$WORK/runs" | median)
s=$(awk '{ print $2 }' "$WORK/runs" | median)
echo
echo "medians over $RUNS runs on an unchanged tree:"
printf '  build part      %6d ms   (./mvnw -B package -DskipTests, no cache, same tree: %d ms; ratio %.2f)\n' \
  "$b" "$plain" "$(echo "$b / $plain" | bc -l)"
printf '  start to ready  %6d ms\n' "$s"
printf '  total           %6d ms   (goal < 10000 ms)\n' "$((b + s))"
