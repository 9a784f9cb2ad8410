# Sourced by the checks that start the packaged app in the embedded mode themselves: WORK is a new
# directory for the app's data (WORK/data) and logs; APP_PID is the app's pid while it runs. On
# exit the app is killed, its embedded PostgreSQL stopped by the pid in its postmaster.pid, and
# WORK removed.
WORK=$(mktemp -d)
APP_PID=""

embedded_cleanup() {
  if [ -n "$APP_PID" ]; then kill -9 "$APP_PID" 2>/dev/null || true; wait "$APP_PID" 2>/dev/null || true; fi
  local pm="$WORK/data/postgres/postmaster.pid"
  [ -f "$pm" ] && kill -INT "$(head -n 1 "$pm")" 2>/dev/null || true
  sleep 1
  rm -rf "$WORK"
}
trap embedded_cleanup EXIT
