#!/usr/bin/env bash
# Opens 100, 1,000 and 5,000 concurrent SSE streams against one Taskgate instance (embedded mode,
# packaged jar) and reports time-to-first-event and the server's RSS/threads against its own
# baseline measured in the same run. Needs a built jar: ./mvnw -B package -DskipTests
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=${PORT:-18480}
ulimit -n 20000
data=$(mktemp -d)
QUARKUS_HTTP_PORT=$PORT TASKGATE_DATA_DIR="$data" TASKGATE_API_KEYS=bench:sk_bench \
  TASKGATE_RATE_LIMIT_REQUESTS_PER_MINUTE=1000000000 TASKGATE_RATE_LIMIT_BURST=1000000000 \
  TASKGATE_LLM_LOCAL_SIMULATION=true java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$data/app.log" 2>&1 &
pid=$!
trap 'kill $pid 2>/dev/null; wait $pid 2>/dev/null; rm -rf "$data"' EXIT
for _ in $(seq 1 240); do curl -sf -o /dev/null "localhost:$PORT/q/health/ready" && break; sleep 0.5; done
[ $# -gt 0 ] || set -- 100 1000 5000
java bench/SseLoad.java "http://localhost:$PORT" sk_bench "$pid" "$@"
