#!/usr/bin/env bash
# Runs the examples of README.md and docs/*.md against a Taskgate that is already running in its
# embedded mode (key sk_test_123456, local model simulation on) and fails on the first example
# that exits non-zero. Examples assert what they show (`jq -e`, `grep -q`, Python `assert`), so a
# wrong answer is a non-zero exit too. Runs .ci/docs-links.sh first.
#
# Which code blocks run is written in the Markdown, on the opening fence:
#   ```sh run       run with bash            ```python run   run with python3
#   ```sh norun     shell that is not run here (a build command, kubectl, a real provider, ...)
#   ```text, ```json, ```properties, ...     illustrations, never run
# A sh/bash/python block without `run` or `norun`, a `run` block in another language, or a block
# without an info string is an error, so nothing is skipped silently.
#
# The blocks of one page run in order in one bash session (from the repository root, with
# `set -eo pipefail`, so any failing command fails the page), and an example may use the variables
# and functions (`$ID`, `submit`, ...) an earlier one defined. Python blocks run as
# `python3 - <<EOF` in that session (they share its environment, not its variables). The
# pages show `localhost:8080`; every runnable block gets the host and port of $TASKGATE_URL
# instead. Each page gets $DOCS_PAGE_TIMEOUT seconds (default 300). A page's output is printed
# when it fails, or always with DOCS_VERBOSE=1.
#
# Usage: TASKGATE_URL=http://localhost:18540 bash .ci/docs-examples.sh [page.md ...]
# Needs: bash, curl and jq; for pages with Python blocks also protoc, grpc_python_plugin and a
# python3 with grpcio (Debian: protobuf-compiler, protobuf-compiler-grpc, python3-grpcio). Missing
# ones are installed with apt-get (as root, or with sudo).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."

TASKGATE_URL="${TASKGATE_URL:-http://localhost:8080}"
PAGE_TIMEOUT="${DOCS_PAGE_TIMEOUT:-300}"
host_port="${TASKGATE_URL#*://}"
host_port="${host_port%%/*}"

log() { echo "docs-examples: $*"; }
die() { echo "docs-examples: FAIL: $*" >&2; exit 1; }

apt_install() {
  local sudo=()
  if [ "$(id -u)" -ne 0 ]; then
    command -v sudo >/dev/null 2>&1 || die "'$*' is missing and installing it needs root or sudo"
    sudo=(sudo)
  fi
  log "installing $* with apt-get"
  "${sudo[@]}" apt-get update -qq && "${sudo[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "$@" >/dev/null \
    || die "apt-get install $* failed"
}

if [ "$#" -gt 0 ]; then pages=("$@"); else pages=(README.md docs/*.md); fi

# ---- 1. Links ----
bash .ci/docs-links.sh

# ---- 2. Tools ----
command -v curl >/dev/null 2>&1 || apt_install curl
command -v jq >/dev/null 2>&1 || apt_install jq
command -v timeout >/dev/null 2>&1 || die "timeout (coreutils) is required"

work="$(mktemp -d "${TMPDIR:-/tmp}/taskgate-docs.XXXXXX")"
trap 'rm -rf "$work"' EXIT
export TMPDIR="$work" # what the examples create with mktemp goes with it

if grep -qE '^```python run' "${pages[@]}"; then
  command -v protoc >/dev/null 2>&1 || apt_install protobuf-compiler
  command -v grpc_python_plugin >/dev/null 2>&1 || apt_install protobuf-compiler-grpc
  has_grpc() { [ -x "$1" ] && "$1" -c 'import grpc, google.protobuf' >/dev/null 2>&1; }
  python=""
  for candidate in "$(command -v python3 || true)" /usr/bin/python3; do
    if has_grpc "$candidate"; then python="$candidate"; break; fi
  done
  if [ -z "$python" ]; then
    apt_install python3-grpcio
    has_grpc /usr/bin/python3 || die "/usr/bin/python3 cannot import grpc after installing python3-grpcio"
    python=/usr/bin/python3
  fi
  # The pages say `python3`; make that the interpreter that has grpcio.
  mkdir -p "$work/bin"
  ln -s "$python" "$work/bin/python3"
  export PATH="$work/bin:$PATH"
fi

curl -sf -o /dev/null --max-time 10 "$TASKGATE_URL/q/health/ready" \
  || die "Taskgate is not running or not ready at $TASKGATE_URL (GET /q/health/ready failed)"
log "running the examples against $TASKGATE_URL (shown as localhost:8080 in the pages)"

# ---- 3. Extract: one bash script per page ----
# Prints the script on stdout and, on the last line of stderr, "<run> <norun> <illustrations>".
extract() {
  awk -v page="$1" -v hp="$host_port" '
    function fail(msg) { printf "%s:%d: %s\n", page, NR, msg > "/dev/stderr"; bad = 1 }
    BEGIN { print "set -eo pipefail"; print "cd \"$DOCS_REPO\"" }
    /^[ \t]*```/ {
      if (!open) {
        open = 1; start = NR; info = $0; sub(/^[ \t]*```[ \t]*/, "", info)
        n = split(info, word, /[ \t]+/); lang = (n ? word[1] : ""); flag = ""
        for (i = 2; i <= n; i++) if (word[i] == "run" || word[i] == "norun") flag = word[i]
        shell = (lang ~ /^(sh|bash|shell|console|zsh)$/); py = (lang ~ /^(python|py)$/)
        if (lang == "") { fail("code block without an info string: mark it ```text, ```sh run or ```sh norun"); mode = "skip" }
        else if ((shell || py) && flag == "") { fail("```" lang " block is marked neither run nor norun"); mode = "skip" }
        else if (flag == "run" && !(shell || py)) { fail("```" lang " run: only sh and python blocks can run"); mode = "skip" }
        else if (flag == "run") { mode = (py ? "python" : "shell"); runs++ }
        else if (flag == "norun") { mode = "skip"; noruns++ }
        else { mode = "skip"; shows++ }
        if (mode != "skip") {
          printf "printf \"\\n--- %s block %d (line %d)\\n\"\n", page, runs, start
          if (mode == "python") print "python3 - <<'\''__TASKGATE_DOCS_PY__'\''"
        }
        next
      }
      open = 0
      if (mode == "python") print "__TASKGATE_DOCS_PY__"
      next
    }
    open && mode != "skip" { line = $0; gsub(/localhost:8080/, hp, line); print line }
    END {
      if (open) fail("code block opened on line " start " is never closed")
      printf "printf \"\\n--- %s: all %d blocks passed\\n\"\n", page, runs
      printf "%d %d %d\n", runs, noruns, shows > "/dev/stderr"
      exit bad
    }
  ' "$1"
}

# Every page is extracted (and its fences checked) before any example runs.
declare -A counts
for page in "${pages[@]}"; do
  script="$work/$(echo "$page" | tr '/' '_').sh"
  if ! extract "$page" >"$script" 2>"$work/extract.err"; then
    sed '$d' "$work/extract.err" >&2
    die "$page: fix the code blocks above"
  fi
  counts[$page]="$(tail -n 1 "$work/extract.err")"
done

# ---- 4. Run ----
total=0
summary=()
for page in "${pages[@]}"; do
  script="$work/$(echo "$page" | tr '/' '_').sh"
  read -r runs noruns shows <<<"${counts[$page]}"
  out="$work/$(echo "$page" | tr '/' '_').log"
  if [ "$runs" -gt 0 ]; then
    log "$page: running $runs blocks"
    rc=0
    # through a pipe, so an example that writes to /dev/stderr cannot truncate the log
    DOCS_REPO="$PWD" timeout "$PAGE_TIMEOUT" bash "$script" </dev/null 2>&1 | cat >"$out" || rc=$?
    if [ "$rc" -ne 0 ]; then
      sed 's/^/    | /' "$out" >&2
      last="$(grep -E '^--- .* block [0-9]+ \(line [0-9]+\)$' "$out" | tail -n 1 || true)"
      [ "$rc" -ne 124 ] || die "$page: timed out after ${PAGE_TIMEOUT}s in ${last#--- }"
      die "$page: exit $rc in ${last#--- } (output above)"
    fi
    [ "${DOCS_VERBOSE:-0}" = 0 ] || sed 's/^/    | /' "$out"
    started="$(grep -cE '^--- .* block [0-9]+ \(line [0-9]+\)$' "$out" || true)"
    [ "$started" -eq "$runs" ] || die "$page: only $started of $runs blocks ran"
  fi
  total=$((total + runs))
  summary+=("$(printf '%-32s ran %2d blocks  (not run: %d marked norun, %d illustrations)' "$page" "$runs" "$noruns" "$shows")")
done

for line in "${summary[@]}"; do log "$line"; done
log "OK: $total blocks ran in ${#pages[@]} pages"
