# Shared by .ci/replicas.sh and .ci/rolling-restart.sh: a separate Temporal server, a fresh
# database on the machine's PostgreSQL (127.0.0.1:5432) and Taskgate processes on chosen ports.
# Source it after `set -euo pipefail`; call cluster_init <database> <temporal port> first.
# KEEP_LOGS=<dir> keeps the processes' logs there when the script ends.

JAR=target/quarkus-app/quarkus-run.jar
PGHOST=${PGHOST:-127.0.0.1}
KEY=sk_cluster_test
declare -A REPLICA_PIDS=()
CLUSTER_PIDS=()

cluster_cleanup() {
  for pid in "${REPLICA_PIDS[@]}" "${CLUSTER_PIDS[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  [ -z "${KEEP_LOGS:-}" ] || cp -r "$WORK" "$KEEP_LOGS"; rm -rf "$WORK"
}

fail() { # the processes' logs first, the reason last: the end of CI's output names it
  for f in "$WORK"/*.log; do echo "--- $f" >&2; tail -40 "$f" >&2; done
  echo "$(basename "$0"): FAIL: $*" >&2
  exit 1
}

no_stack_traces() { # log-file why: fails naming the first stack trace's first lines
  # a stack frame, or an exception printed to the console outside any log record
  local first
  first=$(grep -B4 -m 1 -E '^[[:space:]]+at |^[a-z][A-Za-z0-9_$]*(\.[A-Za-z0-9_$]+)*\.[A-Z][A-Za-z0-9_$]*(Exception|Error)(: |$)' "$1" \
    | cut -c1-300) || return 0
  fail "stack traces in $(basename "$1") ($2):"$'\n'"$first"
}

cluster_init() { # database temporal-port
  for tool in psql:postgresql-client jq:jq; do
    command -v "${tool%%:*}" >/dev/null 2>&1 || { apt-get update -qq && apt-get install -y -qq "${tool##*:}" >/dev/null; }
  done
  DB=$1
  TEMPORAL_PORT=$2
  WORK=$(mktemp -d)
  trap cluster_cleanup EXIT
  psql -h "$PGHOST" -U postgres -d postgres -qc "DROP DATABASE IF EXISTS $DB" -c "CREATE DATABASE $DB" >/dev/null 2>&1 \
    || fail "cannot create database $DB on $PGHOST:5432"
  java -cp "target/quarkus-app/lib/main/*" io.temporal.testserver.TestServer "$TEMPORAL_PORT" >"$WORK/temporal.log" 2>&1 &
  CLUSTER_PIDS+=($!)
}

launch_replica() { # name port role: start without waiting
  env QUARKUS_HTTP_PORT="$2" TASKGATE_ROLE="$3" \
      QUARKUS_DATASOURCE_JDBC_URL="jdbc:postgresql://$PGHOST:5432/$DB" QUARKUS_DATASOURCE_USERNAME=postgres \
      TASKGATE_TEMPORAL_TARGET="127.0.0.1:$TEMPORAL_PORT" TASKGATE_API_KEYS="cluster:$KEY" \
      TASKGATE_LLM_LOCAL_SIMULATION=true \
      java -jar "$JAR" >>"$WORK/$1.log" 2>&1 &
  REPLICA_PIDS[$1]=$!
}

await_ready() { # name port
  for _ in $(seq 1 240); do curl -sf -o /dev/null "localhost:$2/q/health/ready" && return 0; sleep 0.5; done
  fail "replica $1 on port $2 not ready"
}

start_replica() { # name port role
  launch_replica "$@"
  await_ready "$1" "$2"
}

stop_replica() { # name: SIGTERM and wait for a graceful exit
  kill -TERM "${REPLICA_PIDS[$1]}"
  wait "${REPLICA_PIDS[$1]}" 2>/dev/null || true
}

submit() { # port json-body -> task id
  local answer
  answer=$(curl -s -w '\n%{http_code}' -X POST "localhost:$1/api/v1/tasks" -H "X-API-Key: $KEY" \
    -H 'Content-Type: application/json' -d "$2")
  [ "${answer##*$'\n'}" = 202 ] || fail "submit to port $1 answered ${answer##*$'\n'}: ${answer%$'\n'*}"
  jq -r .task_id <<<"${answer%$'\n'*}"
}

status_of() { # port task-id
  curl -sf "localhost:$1/api/v1/tasks/$2" -H "X-API-Key: $KEY" | jq -r .status
}
