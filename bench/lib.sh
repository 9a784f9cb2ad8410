# Shared by the bench scripts that start the packaged app. Source it, then call bench_init PREFIX:
# WORK is a new directory under /tmp, removed on exit after the app ($APP, when set) has stopped
# and any embedded PostgreSQL left under WORK (by a killed app) has been stopped by its pid file.

bench_init() { # prefix of the work directory's name
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
