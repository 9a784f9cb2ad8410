#!/usr/bin/env bash
# Replays a compact corpus of hostile requests (REST, raw HTTP, gRPC) against a running Taskgate
# at $TASKGATE_URL and fails on any 5xx, any 4xx without a JSON {"error": ...} body, any request
# that hangs past a few seconds, a gRPC INTERNAL/UNKNOWN status, a task not ended 12 s after its
# deadline (tasks built to outlast or upset their run), or an ERROR line / stack trace
# added to the app log ($TASKGATE_LOG, when set), or CPU still busy 10 s after the corpus
# ($TASKGATE_PID, when set). Prints counts.
#
# Answers that are known gaps (HTTP codec errors still answered without the JSON body, see
# docs/rest-api.md#errors) are counted and listed as "known", not failed.
set -euo pipefail
: "${TASKGATE_URL:?set TASKGATE_URL, e.g. http://localhost:8080}"
KEY="${TASKGATE_API_KEY:-sk_test_123456}"
OTHER_KEY="${TASKGATE_OTHER_API_KEY:-sk_test_other_tenant}"
LOG_FILE="${TASKGATE_LOG:-}"

# python3-grpcio is a Debian package: use the system interpreter that has it, else install it
PY=/usr/bin/python3
if ! "$PY" -c 'import grpc' 2>/dev/null; then
  if [ "$(id -u)" -eq 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq python3-grpcio >/dev/null || true
  fi
fi
"$PY" -c 'import grpc' 2>/dev/null || { echo "hostile: python3-grpcio missing, gRPC cases skipped" >&2; }

log_lines_before=0
if [ -n "$LOG_FILE" ] && [ -f "$LOG_FILE" ]; then
  log_lines_before=$(wc -l <"$LOG_FILE")
fi

TASKGATE_URL="$TASKGATE_URL" KEY="$KEY" OTHER_KEY="$OTHER_KEY" timeout 150 "$PY" - <<'PY'
import json, os, socket, struct, sys, time, urllib.parse

URL = urllib.parse.urlparse(os.environ["TASKGATE_URL"])
HOST, PORT = URL.hostname, URL.port or 80
KEY, OTHER = os.environ["KEY"], os.environ["OTHER_KEY"]
TIMEOUT = 5.0
counts = {"ok": 0, "known": 0, "failed": 0}
failures, known = [], []

def raw(data, timeout=TIMEOUT, linger_reset=False):
    """Sends raw bytes; returns (status, headers, body) of the first answer, or None if closed without one."""
    s = socket.create_connection((HOST, PORT), timeout=timeout)
    try:
        s.sendall(data)
        buf = b""
        deadline = time.time() + timeout
        while True:
            if b"\r\n\r\n" in buf:
                head, _, rest = buf.partition(b"\r\n\r\n")
                lines = head.decode("latin-1").split("\r\n")
                status = int(lines[0].split()[1])
                headers = {l.split(":", 1)[0].strip().lower(): l.split(":", 1)[1].strip() for l in lines[1:] if ":" in l}
                if "content-length" in headers:
                    n = int(headers["content-length"])
                    while len(rest) < n and time.time() < deadline:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        rest += chunk
                    return status, headers, rest[:n]
                if headers.get("transfer-encoding", "").lower() == "chunked":
                    while not rest.endswith(b"0\r\n\r\n") and time.time() < deadline:
                        chunk = s.recv(65536)
                        if not chunk:
                            break
                        rest += chunk
                    body, r = b"", rest
                    while r:
                        size_line, _, r = r.partition(b"\r\n")
                        size = int(size_line.split(b";")[0] or b"0", 16)
                        if size == 0:
                            break
                        body += r[:size]
                        r = r[size + 2:]
                    return status, headers, body
                return status, headers, rest
            if time.time() > deadline:
                raise TimeoutError("no answer within %ss" % timeout)
            chunk = s.recv(65536)
            if not chunk:
                return None
            buf += chunk
    finally:
        if linger_reset:
            s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
        s.close()

def http(method, path, body=None, headers=None, key=KEY, raw_body=None):
    h = {"Host": "%s:%d" % (HOST, PORT), "Connection": "close"}
    if key is not None:
        h["X-API-Key"] = key
    data = raw_body if raw_body is not None else (json.dumps(body).encode() if body is not None else b"")
    if body is not None or raw_body is not None:
        h["Content-Type"] = "application/json"
    h.update(headers or {})
    if "Transfer-Encoding" not in h:
        h["Content-Length"] = str(len(data))
    head = "%s %s HTTP/1.1\r\n" % (method, path) + "".join("%s: %s\r\n" % kv for kv in h.items()) + "\r\n"
    return raw(head.encode("latin-1") + data)

def check(name, answer, known_gap=False):
    """A 2xx/3xx passes; 4xx must carry {"error": "<text>"} as JSON; 5xx, hangs and silent closes fail."""
    if isinstance(answer, Exception):
        problem = "%s: %s" % (type(answer).__name__, answer)
    elif answer is None:
        problem = "connection closed without an answer"
    else:
        status, headers, body = answer
        problem = None
        if status >= 500:
            problem = "status %d: %r" % (status, body[:200])
        elif status >= 400:
            try:
                parsed = json.loads(body)
                if not isinstance(parsed, dict) or not isinstance(parsed.get("error"), str) or not parsed["error"]:
                    problem = "status %d without a JSON error: %r" % (status, body[:200])
            except ValueError:
                problem = "status %d without a JSON error: %r" % (status, body[:200])
    if problem is None:
        counts["ok"] += 1
    elif known_gap:
        counts["known"] += 1
        known.append("%s: %s" % (name, problem))
    else:
        counts["failed"] += 1
        failures.append("%s: %s" % (name, problem))

def run(name, fn, known_gap=False):
    try:
        answer = fn()
    except Exception as e:  # noqa: BLE001 - every failure is a finding
        answer = e
    check(name, answer, known_gap)

T = "/api/v1/tasks"
# ---- JSON bodies ----
bodies = {
    "nul": {"query": "a\u0000b"}, "lone surrogate": '{"query": "a\\ud800b"}', "blank unicode": {"query": "\u00a0\u200b\u3000"},
    "trailing data": '{"query": "q"} {"query": "q"}', "duplicate key": '{"query": "a", "query": "b"}',
    "fraction": {"query": "q", "timeout_seconds": 1.5}, "quoted number": {"query": "q", "timeout_seconds": "5"},
    "huge number": {"query": "q", "timeout_seconds": 10 ** 30}, "negative": {"query": "q", "timeout_seconds": -1},
    "null body": "null", "array body": "[]", "string body": '"q"', "empty body": "", "not json": "{{{",
    "deep context": '{"query": "q", "context": ' + '{"a": ' * 40 + "1" + "}" * 40 + "}",
    "very deep context": '{"query": "q", "context": ' + '{"a": ' * 5000 + "1" + "}" * 5000 + "}",
    "deep array": '{"query": "q", "context": {"a": ' + "[" * 3000 + "]" * 3000 + "}}",
    "long query": {"query": "q" * 300000}, "bad mode": {"query": "q", "mode": "TURBO"},
    "bad provider": {"query": "q", "provider": "nope\nINFO forged"}, "context not object": {"query": "q", "context": 5},
    "unknown field": {"query": "q", "zzz": 1}, "long idempotency": None,
}
for name, body in bodies.items():
    if body is None:
        continue
    raw_body = body.encode() if isinstance(body, str) else None
    run("POST tasks " + name, lambda b=body, r=raw_body: http("POST", T, body=None if r is not None else b, raw_body=r))
run("POST empty Idempotency-Key", lambda: http("POST", T, {"query": "q"}, headers={"Idempotency-Key": ""}))
run("POST long Idempotency-Key", lambda: http("POST", T, {"query": "q"}, headers={"Idempotency-Key": "k" * 5000}))
for name, seq in {"overlong slash": b"\xc0\xaf", "encoded surrogate": b"\xed\xa0\x80", "stray byte": b"\xff",
                  "cut short": b"\xe2\x82", "latin-1": b"caf\xe9"}.items():
    run("POST invalid UTF-8 " + name, lambda s=seq: http("POST", T, raw_body=b'{"query": "a' + s + b'b"}'))
# ---- calculator and other expensive asks, through the STANDARD mode's tool ----
for expr in ["9^9^9^9", "(10^1000)^1000^1000", "FLOOR(1E+999999999)", "FACT(100000)", "2^2^2^2^2^2"]:
    run("POST calculator " + expr, lambda e=expr: http("POST", T, {"query": "Use the calculator: " + e, "mode": "STANDARD"}))
# ---- query parameters, ids and tokens ----
for q in ["limit=0", "limit=4294967297", "limit=1.5", "limit=-1", "limit=abc", "status=NOPE", "created_after=0000-01-01T00:00:00Z",
          "created_after=99999-01-01T00:00:00Z", "created_before=yesterday", "page_token=AAAA.BBBB", "page_token=%00",
          "session_id=%00", "mode=x", "limit=" + "9" * 400]:
    run("GET tasks?" + q, lambda q=q: http("GET", T + "?" + q))
for task_id in ["task_x", "task_" + "Z" * 26, "%00", "..%2F..%2Fetc", "task_01ARZ3NDEKTSV4RRFFQ69G5FAV%0AINFO", "a" * 3000]:
    run("GET task " + task_id[:30], lambda t=task_id: http("GET", T + "/" + t))
    run("GET events " + task_id[:30], lambda t=task_id: http("GET", T + "/" + t + "/events?after=-1"))
run("GET wait=61", lambda: http("GET", T + "/task_x?wait=61"))
run("GET wait=abc", lambda: http("GET", T + "/task_x?wait=abc"))
# ---- authentication ----
for name, headers, key in [("no key", {}, None), ("bogus key", {}, "sk_bogus"), ("empty key", {}, ""),
                           ("two keys", {"Authorization": "Bearer " + OTHER}, KEY), ("bearer lower", {"Authorization": "bearer nope"}, None),
                           ("long key", {}, "k" * 4000)]:
    run("auth " + name, lambda h=headers, k=key: http("GET", T, headers=h, key=k))
# ---- methods, paths, content types ----
for method, path in [("DELETE", T), ("PUT", T + "/task_x"), ("PATCH", T), ("OPTIONS", T), ("POST", T + "/task_x"),
                     ("GET", "/api/v1/nope"), ("GET", "/api/v2/tasks"), ("TRACE", T)]:
    run(method + " " + path, lambda m=method, p=path: http(m, p))
run("text/plain body", lambda: http("POST", T, raw_body=b"query=q", headers={"Content-Type": "text/plain"}))
run("Accept: text/html", lambda: http("GET", T, headers={"Accept": "text/html"}))
run("413 declared", lambda: http("POST", T, raw_body=b"{" + b" " * (2 * 1024 * 1024) + b"}"))
run("414 line", lambda: http("GET", T + "?x=" + "a" * 20000))
run("431 headers", lambda: http("GET", T, headers={"X-Big": "b" * 40000}))
def chunked_over_limit():
    s_head = ("POST %s HTTP/1.1\r\nHost: x\r\nX-API-Key: %s\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n"
              "Connection: close\r\n\r\n" % (T, KEY)).encode()
    chunk = b"%x\r\n%s\r\n" % (256 * 1024, b" " * 256 * 1024)
    return raw(s_head + chunk * 5 + b"0\r\n\r\n")
run("413 chunked", chunked_over_limit)
# ---- malformed HTTP (answered by the HTTP server itself) ----
malformed = {
    "garbage line": b"HELLO\r\n\r\n",
    "bad version": b"GET / HTTP/9.9\r\nHost: x\r\n\r\n",
    "header without colon": b"GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nNoColon\r\n\r\n",
    "space before colon": b"GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-API-Key : k\r\n\r\n",
    "content-length twice": b"POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\nContent-Length: 2\r\n\r\nab",
    "unknown path": b"GET /nope HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    "control character in a header": b"GET /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-API-Key: sk\x01x\r\n\r\n",
}
for name, data in malformed.items():
    run("raw " + name, lambda d=data: raw(d), known_gap=True)
# a body in a coding other than chunked would only end when the client closes: 400 with the JSON error
run("raw transfer-encoding gzip", lambda: raw(b"POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n"
                                            b"Connection: close\r\n\r\n"))
run("raw transfer-encoding gzip with a key", lambda: raw(("POST /api/v1/tasks HTTP/1.1\r\nHost: x\r\nX-API-Key: %s\r\n"
    "Content-Type: application/json\r\nTransfer-Encoding: gzip\r\nConnection: close\r\n\r\n{}" % KEY).encode()))

# ---- an SSE client that resets its connection ----
def http_waiting(method, path, body=None):
    """A request of the corpus's own bookkeeping: the key's bucket may be low after earlier checks, so a 429 waits as told."""
    for _ in range(20):
        answer = http(method, path, body)
        if answer is None or answer[0] != 429:
            return answer
        time.sleep(float(answer[1].get("retry-after", "1")))
    return answer

def sse_reset():
    status, headers, body = http_waiting("POST", T, {"query": "stream me"})
    task_id = json.loads(body)["task_id"]
    s = socket.create_connection((HOST, PORT), timeout=TIMEOUT)
    s.sendall(("GET %s/%s/events/stream HTTP/1.1\r\nHost: x\r\nX-API-Key: %s\r\nAccept: text/event-stream\r\n\r\n"
               % (T, task_id, KEY)).encode())
    s.recv(1024)
    s.setsockopt(socket.SOL_SOCKET, socket.SO_LINGER, struct.pack("ii", 1, 0))
    s.close()
    return status, headers, body
run("SSE client reset", sse_reset)

# ---- gRPC ----
try:
    import grpc
except ImportError:
    grpc = None
if grpc is not None:
    channel = grpc.insecure_channel("%s:%d" % (HOST, PORT))
    submit = channel.unary_unary("/taskgate.v1.TaskService/SubmitTask")
    get = channel.unary_unary("/taskgate.v1.TaskService/GetTask")
    events = channel.unary_unary("/taskgate.v1.TaskService/ListTaskEvents")

    def varint(n):
        out = b""
        while True:
            b = n & 0x7F
            n >>= 7
            out += bytes([b | (0x80 if n else 0)])
            if not n:
                return out

    def field(num, payload):
        return varint(num << 3 | 2) + varint(len(payload)) + payload

    def deep_context(depth):
        inner = field(1, field(1, b"leaf") + field(2, b"\x11" + struct.pack("<d", 1.0)))
        for _ in range(depth):
            inner = field(1, field(1, b"a") + field(2, field(5, inner)))
        return field(1, b"q") + field(4, inner)

    grpc_cases = {
        "garbage": (submit, b"\xff\xff\xff\xff", [("x-api-key", KEY)]),
        "cut short": (submit, b"\x0a\x64q", [("x-api-key", KEY)]),
        "wire type 7": (submit, b"\x0f", [("x-api-key", KEY)]),
        "query not UTF-8": (submit, b"\x0a\x02\xc3\x28", [("x-api-key", KEY)]),
        "NUL query": (submit, field(1, b"a\x00b"), [("x-api-key", KEY)]),
        "context 40 deep": (submit, deep_context(40), [("x-api-key", KEY)]),
        "context 1100 deep": (submit, deep_context(1100), [("x-api-key", KEY)]),
        "no key": (submit, field(1, b"q"), []),
        "bogus key": (submit, field(1, b"q"), [("x-api-key", "sk_bogus")]),
        "two keys": (submit, field(1, b"q"), [("x-api-key", KEY), ("authorization", "Bearer " + OTHER)]),
        "unknown task": (get, field(1, b"task_x"), [("x-api-key", KEY)]),
        "NUL task id": (get, field(1, b"\x00"), [("x-api-key", KEY)]),
        "after_seq -1": (events, field(1, b"task_x") + b"\x10" + varint((1 << 64) - 1), [("x-api-key", KEY)]),
        "big metadata": (get, field(1, b"task_x"), [("x-api-key", KEY), ("x-big", "b" * 20000)]),
    }
    for name, (method, payload, metadata) in grpc_cases.items():
        try:
            method(payload, metadata=metadata, timeout=TIMEOUT)
            counts["ok"] += 1
        except grpc.RpcError as e:
            code = e.code()
            if code in (grpc.StatusCode.INTERNAL, grpc.StatusCode.UNKNOWN, grpc.StatusCode.DEADLINE_EXCEEDED):
                counts["failed"] += 1
                failures.append("gRPC %s: %s %s" % (name, code.name, e.details()))
            elif code == grpc.StatusCode.UNAVAILABLE and name == "big metadata":
                counts["known"] += 1
                known.append("gRPC %s: %s %s" % (name, code.name, e.details()))
            else:
                counts["ok"] += 1
    channel.close()

# ---- deadlines: tasks built to outlast or upset their run end by their deadline, whatever they did ----
TERMINAL = {"TASK_STATUS_COMPLETED", "TASK_STATUS_FAILED", "TASK_STATUS_CANCELLED", "TASK_STATUS_TIMEOUT"}
DEADLINE_SECONDS, GRACE_SECONDS = 3, 12
deadline_tasks = {}
for name, body in {
        "slow model call": {"query": "q", "context": {"simulate": {"delay_ms": 600000}}},
        "power tower": {"query": "Use the calculator: (10^1000)^1000^1000", "mode": "STANDARD"},
        "retried control-character error": {"query": "q", "context": {"simulate": {"error": "bad\u0001\u007f\nline", "error_retryable": True}}},
        "control-character result": {"query": "q", "context": {"simulate": {"result": "a\u0001b\u001b[31m", "delay_ms": 10}}},
        "decomposed slow call": {"query": "Compare A and B", "mode": "COMPLEX", "context": {"simulate": {"delay_ms": 600000}}}}.items():
    body["timeout_seconds"] = DEADLINE_SECONDS
    answer = http_waiting("POST", T, body)
    if isinstance(answer, tuple) and answer[0] == 202:
        deadline_tasks[name] = json.loads(answer[2])["task_id"]
    else:
        counts["failed"] += 1
        failures.append("deadline %s: submit answered %r" % (name, answer if not isinstance(answer, tuple) else answer[:1]))
time.sleep(DEADLINE_SECONDS + GRACE_SECONDS)
for name, task_id in deadline_tasks.items():
    answer = http_waiting("GET", T + "/" + task_id)
    status = json.loads(answer[2]).get("status") if isinstance(answer, tuple) and answer[0] == 200 else None
    if status in TERMINAL:
        counts["ok"] += 1
    else:
        counts["failed"] += 1
        failures.append("deadline %s: task %s is %s %d s after its %d s deadline" % (name, task_id, status, GRACE_SECONDS, DEADLINE_SECONDS))

for line in known:
    print("hostile: known gap: " + line)
for line in failures:
    print("hostile: FAIL " + line, file=sys.stderr)
print("hostile: %d requests: %d answered as expected, %d known gaps, %d failed"
      % (sum(counts.values()), counts["ok"], counts["known"], counts["failed"]))
sys.exit(1 if failures else 0)
PY

if [ -n "$LOG_FILE" ] && [ -f "$LOG_FILE" ]; then
  sleep 1
  added=$(tail -n +"$((log_lines_before + 1))" "$LOG_FILE")
  if grep -E ' ERROR |^\s+at [a-z]|^Caused by:' <<<"$added" >/dev/null; then
    echo "hostile: FAIL the app log gained ERROR lines or stack traces:" >&2
    grep -E -m 20 ' ERROR |^\s+at [a-z]|^Caused by:' <<<"$added" >&2
    exit 1
  fi
  echo "hostile: app log clean ($(wc -l <<<"$added") new lines, no ERROR, no stack trace)"
fi

# Nothing the corpus sent keeps the server busy: from 10 s after the last request, the app's
# process uses less than a quarter of a core in one of four 4-second windows (an unbounded
# calculator would still be computing in all of them; a burst of JIT or GC work ends).
if [ -n "${TASKGATE_PID:-}" ] && [ -r "/proc/$TASKGATE_PID/stat" ]; then
  ticks() { awk '{ print $14 + $15 }' "/proc/$TASKGATE_PID/stat"; }
  hz=$(getconf CLK_TCK)
  sleep 10
  samples=""
  for _ in 1 2 3 4; do
    before=$(ticks); sleep 4; after=$(ticks)
    busy_pct=$(( (after - before) * 100 / (4 * hz) ))
    samples="$samples ${busy_pct}%"
    if [ "$busy_pct" -lt 25 ]; then
      echo "hostile: after the corpus the app uses ${busy_pct}% of a core (4 s windows from 10 s on:$samples)"
      exit 0
    fi
  done
  echo "hostile: FAIL the app stays busy after the corpus (4 s windows from 10 s on:$samples of a core); busiest threads (CPU ticks, name):" >&2
  for stat in /proc/"$TASKGATE_PID"/task/*/stat; do
    # fields after "pid (name) state": utime and stime are the 11th and 12th
    sed -E 's/^[0-9]+ \((.*)\) [A-Z] (.*)$/\2\t\1/' "$stat" 2>/dev/null | awk -F '\t' '{ split($1, f, " "); print f[11] + f[12], $2 }'
  done | sort -rn | head -n 8 >&2
  exit 1
fi
