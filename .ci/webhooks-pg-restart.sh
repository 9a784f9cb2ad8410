#!/usr/bin/env bash
# Webhook deliveries survive a restart of PostgreSQL. One Taskgate (external PostgreSQL on
# 127.0.0.1:5432, a separate Temporal server) runs .ci/webhooks.sh: 200 tasks, each announced to
# its webhook_url and to a registered endpoint, verified by a receiver built on standardwebhooks.
# Once a quarter of the deliveries are done, PostgreSQL is stopped for $OUTAGE_SECONDS (default 5)
# and started again, while submits, tasks and deliveries are in flight. Every task must still be
# announced to both URLs with a valid signature (webhooks.sh checks that); this script prints how
# many deliveries arrived more than once and the latency the outage added, and fails on any stack
# trace in the app log (the records an outage causes are one line each).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
source .ci/cluster.sh
OUTAGE_SECONDS=${OUTAGE_SECONDS:-5}
PG_VERSION=$(ls /etc/postgresql | sort -n | tail -n 1)

pg_cluster() { pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main "$@"; }
# The server outlives this script: it starts with none of our descriptors open (a pipe or a lock
# that a caller waits on would otherwise stay open as long as PostgreSQL runs).
pg_start() {
  (
    for fd in /proc/$BASHPID/fd/*; do
      fd=${fd##*/}
      [ "$fd" -le 2 ] || eval "exec $fd>&-"
    done
    exec pg_ctlcluster --skip-systemctl-redirect "$PG_VERSION" main start
  ) </dev/null >"${WORK:-/tmp}/pg-start.log" 2>&1 || { cat "${WORK:-/tmp}/pg-start.log" >&2; return 1; }
}
# whatever happens, the machine's PostgreSQL is running when this script ends
restart_pg_on_exit() {
  local rc=$?
  pg_lsclusters -h | grep -q " online " || pg_start || true
  cluster_cleanup
  exit "$rc"
}

cluster_init taskgate_webhooks_pg 17235
trap restart_pg_on_exit EXIT
PORT=18191
export TASKGATE_WEBHOOKS_ALLOW_HTTP=true TASKGATE_WEBHOOKS_ALLOW_PRIVATE_NETWORKS=true
export TASKGATE_RATE_LIMIT_REQUESTS_PER_MINUTE=1000000 TASKGATE_RATE_LIMIT_BURST=1000000
start_replica app "$PORT" all

delivered() {
  psql -h "$PGHOST" -U postgres -d "$DB" -tAc "SELECT count(*) FROM webhook_deliveries WHERE status = 'DELIVERED'" 2>/dev/null || echo 0
}

TASKGATE_URL="http://127.0.0.1:$PORT" TASKGATE_API_KEY="$KEY" WEBHOOK_TASKS=200 WEBHOOK_WAIT_SECONDS=180 \
  bash .ci/webhooks.sh >"$WORK/webhooks.out" 2>&1 &
check=$!
for _ in $(seq 1 600); do
  [ "$(delivered)" -ge 100 ] && break
  kill -0 "$check" 2>/dev/null || break
  sleep 0.1
done
kill -0 "$check" 2>/dev/null || { cat "$WORK/webhooks.out" >&2; fail "webhooks.sh ended before PostgreSQL could be restarted"; }
before=$(delivered)
echo "webhooks-pg-restart: $before of 400 deliveries done; stopping PostgreSQL for ${OUTAGE_SECONDS}s"
pg_cluster stop -m fast
sleep "$OUTAGE_SECONDS"
pg_start
echo "webhooks-pg-restart: PostgreSQL is back"
wait "$check" || { cat "$WORK/webhooks.out" >&2; fail "webhooks.sh failed across the PostgreSQL restart"; }
sed 's/^/    /' "$WORK/webhooks.out" | grep -v "installing"
total=$(grep -oE '[0-9]+ deliveries verified' "$WORK/webhooks.out" | cut -d' ' -f1)
status=$(curl -sf "localhost:$PORT/q/health/ready" -o /dev/null -w '%{http_code}' || true)
[ "$status" = 200 ] || fail "the app is not ready after PostgreSQL came back ($status)"
traces=$(grep -cE '^[[:space:]]+at ' "$WORK/app.log" || true)
warnings=$(grep -cE ' (WARN|ERROR) ' "$WORK/app.log" || true)
echo "webhooks-pg-restart: all 200 tasks announced to both URLs across the restart; $((total - 400)) repeated deliveries;" \
  "the app logged $warnings warning/error lines and $traces stack-trace lines during the outage"
# an outage is an expected failure: each record it causes is one line (config/ExpectedFailureLogs)
no_stack_traces "$WORK/app.log" "an outage's records must be one line each"
