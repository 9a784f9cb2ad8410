#!/usr/bin/env bash
# Builds and tests the TypeScript SDK (clients/typescript) against a Taskgate that is already
# running: TASKGATE_URL (default http://localhost:8080) with the keys TASKGATE_API_KEY (default
# sk_test_123456) and TASKGATE_OTHER_API_KEY (default sk_test_other_tenant, a second tenant).
#
#   npm ci                                  devDependencies from package-lock.json (typescript, @types/node)
#   tsc -p tsconfig.lib.json --noEmit       the library type-checks with browser types only (no Node APIs)
#   tsc                                     library and tests -> dist/
#   node --test dist/test/*.test.js         the suite, one file at a time (they share the key's rate limit)
#
# Needs node 18+ and npm, and the npm registry. Exits non-zero when anything fails.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../clients/typescript"

export TASKGATE_URL="${TASKGATE_URL:-http://localhost:8080}"
export TASKGATE_API_KEY="${TASKGATE_API_KEY:-sk_test_123456}"
export TASKGATE_OTHER_API_KEY="${TASKGATE_OTHER_API_KEY:-sk_test_other_tenant}"

log() { echo "==> [sdk-typescript] $*"; }
die() { echo "==> [sdk-typescript] FAIL: $*" >&2; exit 1; }

command -v node >/dev/null 2>&1 || die "node not found (18 or later is needed)"
command -v npm >/dev/null 2>&1 || die "npm not found"
node -e 'process.exit(Number(process.versions.node.split(".")[0]) >= 18 ? 0 : 1)' \
  || die "node $(node --version) is too old: 18 or later is needed"

log "checking that Taskgate answers at $TASKGATE_URL"
node -e '
  fetch(process.env.TASKGATE_URL.replace(/\/+$/, "") + "/q/health/ready", { signal: AbortSignal.timeout(10000) })
    .then((r) => process.exit(r.ok ? 0 : 1), () => process.exit(1));
' || die "Taskgate is not ready at $TASKGATE_URL/q/health/ready: start it first"

log "npm ci"
npm ci --no-audit --no-fund

log "tsc -p tsconfig.lib.json --noEmit (library without Node types)"
npx tsc -p tsconfig.lib.json --noEmit

log "tsc"
rm -rf dist
npx tsc

log "node --test (against $TASKGATE_URL)"
node --test --test-concurrency=1 dist/test/*.test.js
