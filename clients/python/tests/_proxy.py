"""A small TCP proxy between a client and the real Taskgate app that breaks connections on purpose.

Each accepted connection takes the next action of a script (after the script, connections pass
through untouched):

* ``("abort", n)``  - forward the response's first ``n`` stored SSE events (frames with ``id:``),
  then, when the next one arrives, only half of it, and drop the connection mid-chunk
  (a network failure in the middle of a frame);
* ``("end", n)``    - forward ``n`` stored events, then end the HTTP response cleanly with the
  comment the server sends when it shuts down (an early end without a terminal event);
* ``("reject",)``   - accept the connection and close it before any answer (a server that is
  going away);
* ``("drop_response",)`` - forward the request, wait until the server answers, and close the
  connection without passing the answer on (the request took effect; the client never knew).

Responses are re-chunked by the proxy and carry ``Connection: close``, so one connection serves
one request. Plain sockets and threads; used by the sync and the async tests alike.
"""

from __future__ import annotations

import socket
import threading
from typing import List, Optional, Tuple
from urllib.parse import urlparse

Action = Tuple


class _ChunkedDecoder:
    def __init__(self) -> None:
        self.buf = b""
        self.state = "size"
        self.remaining = 0
        self.done = False

    def feed(self, data: bytes) -> List[bytes]:
        self.buf += data
        out: List[bytes] = []
        while not self.done:
            if self.state == "size":
                i = self.buf.find(b"\r\n")
                if i < 0:
                    break
                size = int(self.buf[:i].split(b";")[0].strip() or b"0", 16)
                self.buf = self.buf[i + 2:]
                if size == 0:
                    self.state = "trailer"
                else:
                    self.state, self.remaining = "data", size
            elif self.state == "data":
                if not self.buf:
                    break
                take = min(self.remaining, len(self.buf))
                out.append(self.buf[:take])
                self.buf, self.remaining = self.buf[take:], self.remaining - take
                if self.remaining == 0:
                    self.state = "crlf"
            elif self.state == "crlf":
                if len(self.buf) < 2:
                    break
                self.buf, self.state = self.buf[2:], "size"
            else:  # trailer
                i = self.buf.find(b"\r\n")
                if i < 0:
                    break
                line, self.buf = self.buf[:i], self.buf[i + 2:]
                if not line:
                    self.done = True
        return out


def _chunk(data: bytes) -> bytes:
    return b"%x\r\n%s\r\n" % (len(data), data)


class CuttingProxy:
    def __init__(self, upstream_url: str, script: Optional[List[Action]] = None) -> None:
        parsed = urlparse(upstream_url)
        self.upstream = (parsed.hostname or "127.0.0.1", parsed.port or 80)
        self.script = list(script or [])
        self.lock = threading.Lock()
        self.connections = 0
        self.cuts = 0
        self.actions_done: List[str] = []
        self._listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._listener.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        self._listener.bind(("127.0.0.1", 0))
        self._listener.listen(64)
        self._closed = False
        self.url = "http://127.0.0.1:%d" % self._listener.getsockname()[1]
        self._thread = threading.Thread(target=self._accept_loop, name="cutting-proxy", daemon=True)
        self._thread.start()

    def __enter__(self) -> "CuttingProxy":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        try:
            self._listener.close()
        except OSError:
            pass

    def _accept_loop(self) -> None:
        while not self._closed:
            try:
                conn, _ = self._listener.accept()
            except OSError:
                return
            with self.lock:
                self.connections += 1
                action = self.script.pop(0) if self.script else None
            threading.Thread(target=self._serve, args=(conn, action), daemon=True).start()

    def _record(self, what: str) -> None:
        with self.lock:
            self.cuts += 1
            self.actions_done.append(what)

    def _serve(self, client: socket.socket, action: Optional[Action]) -> None:
        if action is not None and action[0] == "reject":
            self._record("reject")
            client.close()
            return
        try:
            upstream = socket.create_connection(self.upstream, timeout=10)
        except OSError:
            client.close()
            return
        upstream.settimeout(None)
        closed = threading.Event()

        def close_both() -> None:
            if closed.is_set():
                return
            closed.set()
            for s in (client, upstream):
                try:
                    s.shutdown(socket.SHUT_RDWR)
                except OSError:
                    pass
                s.close()

        def pump_up() -> None:
            try:
                while True:
                    data = client.recv(65536)
                    if not data:
                        break
                    upstream.sendall(data)
            except OSError:
                pass
            close_both()

        threading.Thread(target=pump_up, daemon=True).start()
        try:
            self._pump_down(upstream, client, action)
        except OSError:
            pass
        close_both()

    def _pump_down(self, upstream: socket.socket, client: socket.socket, action: Optional[Action]) -> None:
        head = b""
        while b"\r\n\r\n" not in head:
            data = upstream.recv(65536)
            if not data:
                return
            head += data
        if action is not None and action[0] == "drop_response":
            self._record("drop_response")
            return
        header, _, rest = head.partition(b"\r\n\r\n")
        lines = [l for l in header.split(b"\r\n") if not l.lower().startswith(b"connection:")]
        lines.append(b"Connection: close")
        chunked = any(l.lower().startswith(b"transfer-encoding:") and b"chunked" in l.lower() for l in lines)
        client.sendall(b"\r\n".join(lines) + b"\r\n\r\n")
        if not chunked:  # e.g. a JSON error answer: pass the body through
            data = rest
            while data:
                client.sendall(data)
                data = upstream.recv(65536)
            return
        decoder = _ChunkedDecoder()
        pending = b""
        stored = 0
        data = rest
        while True:
            for piece in decoder.feed(data):
                pending += piece
                while b"\n\n" in pending:
                    frame, _, pending = pending.partition(b"\n\n")
                    frame += b"\n\n"
                    is_stored = frame.startswith(b"id:") or b"\nid:" in frame
                    if is_stored and action is not None and stored >= action[1]:
                        self._cut(client, action, frame)
                        return
                    client.sendall(_chunk(frame))
                    stored += 1 if is_stored else 0
            if decoder.done:
                if pending:
                    client.sendall(_chunk(pending))
                client.sendall(b"0\r\n\r\n")
                return
            data = upstream.recv(65536)
            if not data:
                return

    def _cut(self, client: socket.socket, action: Action, frame: bytes) -> None:
        if action[0] == "abort":
            # Announce the whole frame, send half of it, and drop the connection.
            half = frame[: len(frame) // 2]
            client.sendall(b"%x\r\n" % len(frame) + half)
            self._record("abort")
        else:
            client.sendall(_chunk(b": server shutting down; reconnect with Last-Event-ID\n\n") + b"0\r\n\r\n")
            self._record("end")
