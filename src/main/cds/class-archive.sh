#!/usr/bin/env bash
# Records the JVM class-data archive that the README's run command starts with
# (java @src/main/jvm/run.options -jar target/quarkus-app/quarkus-run.jar, which names it):
# the packaged app is started once with -XX:ArchiveClassesAtExit on a throw-away embedded data
# directory, runs one task of each mode and stops, so the archive holds the classes a start-up and
# a first task load. A start with the archive maps them instead of loading and verifying them
# again; the JVM ignores an archive whose jars changed since (it compares their sizes and
# modification times).
#
# The JVM also checks the class path's names: they are recorded as the run command gives them,
# relative to the project directory, so the archive stays valid in another clone of the project
# (Maven's build cache restores it there too) as long as the app is started from that directory.
#
# Run by the Maven build after it packages the app without tests (pom.xml, profile
# "class-archive"). No arguments.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../../.."

app_dir=target/quarkus-app
archive="$app_dir/taskgate.jsa"
work=target/class-archive

rm -rf "$work" "$archive"
mkdir -p "$work"
# Maven's build cache keeps file times to two seconds (zip entries); round those the JVM checks,
# the jars on the class path, down to an even second, so that a restored app keeps its archive.
# (date -r and touch -t behave alike on Linux and macOS)
for jar in "$app_dir/quarkus-run.jar" "$app_dir"/lib/boot/*.jar; do
  time=$(date -r "$jar" +%Y%m%d%H%M%S)
  seconds=$((10#${time:12:2}))
  touch -t "${time:0:12}.$(printf '%02d' $((seconds - seconds % 2)))" "$jar"
done
echo "[class-archive] recording $archive (one start of the app and a task of each mode)"
# the embedded mode whatever this shell's settings: its own PostgreSQL, Temporal and key
env -u QUARKUS_DATASOURCE_JDBC_URL -u TASKGATE_TEMPORAL_TARGET \
  TASKGATE_DATA_DIR="$PWD/$work/data" QUARKUS_HTTP_PORT=0 TASKGATE_API_KEYS=default:sk_test_123456 \
  java -XX:ArchiveClassesAtExit="$archive" -jar "$app_dir/quarkus-run.jar" >"$work/app.log" 2>&1 &
app=$!
trap 'kill "$app" 2>/dev/null || true' EXIT

deadline=$((SECONDS + 180))
until grep -q ' started in ' "$work/app.log"; do
  if ! kill -0 "$app" 2>/dev/null || [ "$SECONDS" -ge "$deadline" ]; then
    echo "[class-archive] the app did not start; its log ($work/app.log) ends with:" >&2
    tail -n 20 "$work/app.log" >&2
    exit 1
  fi
  sleep 0.2
done
# One task of each mode (curl, when there is one): the classes a first task loads go into the
# archive too, so the first task after a start does not load them from the jars.
port=$(sed -nE 's|.*Listening on: http://[^ ]*:([0-9]+).*|\1|p' "$work/app.log" | head -n 1)
if [ -n "$port" ] && command -v curl >/dev/null; then
  for body in '{"query":"What is 17 * 23?","mode":"simple"}' '{"query":"What is 17 * 23?"}' \
              '{"query":"What is 17 * 23?","mode":"complex"}'; do
    id=$(curl -sf --max-time 10 -X POST "http://127.0.0.1:$port/api/v1/tasks" -H 'Authorization: Bearer sk_test_123456' \
      -H 'Content-Type: application/json' -d "$body" | sed -nE 's/.*"task_id":"([^"]+)".*/\1/p') || true
    [ -z "$id" ] || curl -sf --max-time 15 -o /dev/null -H 'Authorization: Bearer sk_test_123456' \
      "http://127.0.0.1:$port/api/v1/tasks/$id?wait=10" || true
  done
fi
kill -TERM "$app"
wait "$app" || true
trap - EXIT

[ -s "$archive" ] || { echo "[class-archive] the JVM wrote no archive; see $work/app.log" >&2; exit 1; }
rm -rf "$work/data"
echo "[class-archive] recorded $(($(wc -c <"$archive") / 1048576)) MiB"
