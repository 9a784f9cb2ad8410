#!/usr/bin/env bash
# Opens 100, 1,000 and 5,000 concurrent SSE streams against one Taskgate instance (embedded mode,
# packaged jar) and reports time-to-first-event and the server's RSS/threads against its own
# baseline measured in the same run. The jar is built when missing (bench/lib.sh).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
PORT=${PORT:-18480}
ulimit -n 20000
source bench/lib.sh
bench_init taskgate-sse
QUARKUS_HTTP_PORT=$PORT TASKGATE_DATA_DIR="$WORK/data" TASKGATE_API_KEYS=bench:sk_bench \
  TASKGATE_RATE_LIMIT_REQUESTS_PER_MINUTE=1000000000 TASKGATE_RATE_LIMIT_BURST=1000000000 \
  TASKGATE_LLM_LOCAL_SIMULATION=true java -Xmx512m -jar target/quarkus-app/quarkus-run.jar >"$WORK/app.log" 2>&1 &
APP=$!
wait_ready "http://localhost:$PORT/q/health/ready" "$APP" "$WORK/app.log" 120
[ $# -gt 0 ] || set -- 100 1000 5000
java bench/SseLoad.java "http://localhost:$PORT" sk_bench "$APP" "$@"
