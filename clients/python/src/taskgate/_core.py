"""The one place that knows the Taskgate API: it builds requests, decides on retries, long polls,
pages and stream resumption, and parses answers. It performs no I/O itself.

Every operation is a generator that *yields instructions* and receives their outcomes:

* :class:`Call` -> the complete ``httpx.Response``
* :class:`OpenStream` -> a :class:`StreamHandle` (status and headers read, body not yet)
* :class:`ReadChunk` -> the next bytes of a stream's body, ``b""`` at its end
* :class:`ReadBody` -> the rest of a stream's body (the stream is then closed)
* :class:`Close` -> ``None`` (closes a stream)
* :class:`Sleep` -> ``None`` after that many seconds
* :class:`Emit` -> ``None``: hands one item to the caller of an iterating operation

A transport failure of an instruction is thrown into the generator as the ``httpx.TransportError``
it was. The operation's return value is its result. ``_sync.py`` and ``_async.py`` run these
generators with ``httpx.Client`` and ``httpx.AsyncClient``; neither contains API logic.

Adding an endpoint (for example pausing or resuming a task, or approvals) is one generator here
built on :meth:`Core._request` plus a one-line method in each client. Checks that need no HTTP
(such as verifying a webhook's signature) belong in a module of their own, not in the clients.
"""

from __future__ import annotations

import json
import math
import os
import random
import re
import time
import uuid
from dataclasses import dataclass
from typing import Any, Dict, Generator, Iterable, List, Mapping, Optional, Sequence, Union
from urllib.parse import quote

import httpx

from ._sse import SSEDecoder, SSEFrame
from ._version import __version__
from .errors import NetworkError, StreamError, TaskgateError, WaitTimeout, error_for, parse_retry_after
from .models import Approval, CancelResult, Session, Settings, Task, TaskEvent, format_time

DEFAULT_BASE_URL = "http://localhost:8080"
DEFAULT_TIMEOUT = 30.0
DEFAULT_MAX_RETRIES = 3
DEFAULT_STREAM_RECONNECTS = 10  # with backoff up to 10 s: about 30-55 s without a new event

#: The server's largest long-poll ``wait`` (``taskgate.polling.max-wait-seconds``, default 60).
MAX_LONG_POLL_SECONDS = 60
#: Read timeout on an event stream; the server sends a heartbeat on idle streams every 15 s.
STREAM_READ_TIMEOUT = 45.0
#: Answers retried by every request (429: the request was not processed) ...
RETRY_ALWAYS = frozenset({429})
#: ... and by requests that are safe to repeat (all of this client's requests are).
RETRY_IDEMPOTENT = frozenset({502, 503, 504})
#: A ``Retry-After`` longer than this is not waited for: the error is raised instead.
MAX_RETRY_AFTER = 60.0
#: ``GET /api/v1/tasks?ids=`` takes at most this many ids.
MAX_IDS_PER_REQUEST = 100

_WAIT_LIMIT = re.compile(r"wait must .*between 0 and (\d+)")

Op = Generator[Any, Any, Any]


# ---- instructions ---------------------------------------------------------------------------


@dataclass(frozen=True)
class Call:
    method: str
    url: str
    params: Optional[Dict[str, str]]
    headers: Dict[str, str]
    json: Any
    timeout: httpx.Timeout


@dataclass(frozen=True)
class OpenStream:
    call: Call


class StreamHandle:
    """An open streaming response; the transports set ``chunks`` to their byte iterator."""

    def __init__(self, response: httpx.Response, chunks: Any) -> None:
        self.response = response
        self.chunks = chunks

    @property
    def status_code(self) -> int:
        return self.response.status_code

    @property
    def headers(self) -> httpx.Headers:
        return self.response.headers


@dataclass(frozen=True)
class ReadChunk:
    handle: StreamHandle


@dataclass(frozen=True)
class ReadBody:
    handle: StreamHandle


@dataclass(frozen=True)
class Close:
    handle: StreamHandle


@dataclass(frozen=True)
class Sleep:
    seconds: float


@dataclass(frozen=True)
class Emit:
    value: Any


# ---- configuration --------------------------------------------------------------------------


class _Secret:
    """Holds the API key so that it never shows in a repr, a log line or a traceback's locals."""

    __slots__ = ("_value",)

    def __init__(self, value: str) -> None:
        self._value = value

    def get(self) -> str:
        return self._value

    def __repr__(self) -> str:
        return "<secret>"

    __str__ = __repr__


class Config:
    def __init__(
        self,
        api_key: Optional[str],
        base_url: Optional[str],
        timeout: Optional[float],
        max_retries: int,
        stream_reconnects: int,
    ) -> None:
        key = api_key if api_key is not None else os.environ.get("TASKGATE_API_KEY")
        if not key:
            raise ValueError("no API key: pass api_key=... or set TASKGATE_API_KEY")
        url = base_url or os.environ.get("TASKGATE_URL") or DEFAULT_BASE_URL
        if not re.match(r"^https?://", url):
            raise ValueError(f"base_url must start with http:// or https://, got {url!r}")
        if max_retries < 0 or stream_reconnects < 0:
            raise ValueError("max_retries and stream_reconnects must not be negative")
        self.api_key = _Secret(key)
        self.base_url = url.rstrip("/")
        self.timeout = DEFAULT_TIMEOUT if timeout is None else float(timeout)
        self.max_retries = max_retries
        self.stream_reconnects = stream_reconnects

    def __repr__(self) -> str:
        return f"Config(base_url={self.base_url!r}, timeout={self.timeout}, max_retries={self.max_retries})"


# ---- helpers --------------------------------------------------------------------------------


def _segment(value: str, what: str) -> str:
    if not isinstance(value, str) or not value:
        raise ValueError(f"{what} must be a non-empty string")
    return quote(value, safe="")


def _clean(params: Mapping[str, Any]) -> Dict[str, str]:
    out: Dict[str, str] = {}
    for name, value in params.items():
        if value is None:
            continue
        if isinstance(value, bool):
            out[name] = "true" if value else "false"
        else:
            out[name] = str(value)
    return out


def _statuses(status: Union[None, str, Iterable[str]]) -> Optional[str]:
    if status is None:
        return None
    if isinstance(status, str):
        return status
    joined = ",".join(status)
    return joined or None


def _tools(tools: Sequence[str]) -> List[str]:
    if isinstance(tools, str):
        raise ValueError('require_approval must be a list of tool names, e.g. ["calculator"] or ["*"]')
    return [str(t) for t in tools]


def _approval_status(status: Optional[str]) -> Optional[str]:
    """``"pending"``, ``"APPROVAL_STATUS_PENDING"`` or ``ApprovalStatus.PENDING`` -> ``"pending"``."""
    if status is None or status == "":
        return None
    text = str(status)
    if text.upper().startswith("APPROVAL_STATUS_"):
        text = text[len("APPROVAL_STATUS_"):]
    return text.lower()


def _backoff(attempt: int, base: float, cap: float) -> float:
    """Exponential backoff with jitter: about base * 2^(attempt-1), at most cap."""
    delay = min(cap, base * (2 ** max(0, attempt - 1)))
    return delay * (0.5 + random.random() / 2)


def _json(response: httpx.Response) -> Any:
    try:
        return json.loads(response.content.decode("utf-8"))
    except (UnicodeDecodeError, ValueError) as exc:
        raise TaskgateError(f"the server's answer is not JSON: {exc}", response.status_code) from exc


def _object(response: httpx.Response) -> Dict[str, Any]:
    data = _json(response)
    if not isinstance(data, dict):
        raise TaskgateError("the server's answer is not a JSON object", response.status_code)
    return data


def _event_from_frame(frame: SSEFrame) -> Optional[TaskEvent]:
    try:
        data = json.loads(frame.data)
    except ValueError:
        return None
    if not isinstance(data, dict):
        return None
    seq = int(frame.id) if frame.id and frame.id.isdigit() else None
    return TaskEvent.from_json(data, type=frame.event, seq=seq)


# ---- the operations -------------------------------------------------------------------------


class Core:
    def __init__(self, config: Config) -> None:
        self.config = config

    # -- requests --

    def headers(self, extra: Optional[Mapping[str, str]] = None) -> Dict[str, str]:
        headers = {
            "Authorization": "Bearer " + self.config.api_key.get(),
            "Accept": "application/json",
            "User-Agent": f"taskgate-python/{__version__}",
        }
        if extra:
            headers.update(extra)
        return headers

    def call(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        json_body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        read_timeout: Optional[float] = None,
    ) -> Call:
        timeout = httpx.Timeout(self.config.timeout, read=read_timeout or self.config.timeout)
        return Call(method, self.config.base_url + path, _clean(params) if params else None,
                    self.headers(headers), json_body, timeout)

    def _request(
        self,
        method: str,
        path: str,
        *,
        params: Optional[Mapping[str, Any]] = None,
        json_body: Any = None,
        headers: Optional[Mapping[str, str]] = None,
        read_timeout: Optional[float] = None,
        idempotent: bool = True,
    ) -> Op:
        """Sends one request, retrying 429 (and 502/503/504 and network failures when
        ``idempotent``) with exponential backoff that honours ``Retry-After``, at most
        ``max_retries`` times. Returns the response (2xx or 304); raises the typed error otherwise.
        """
        call = self.call(method, path, params=params, json_body=json_body, headers=headers,
                         read_timeout=read_timeout)
        attempt = 0
        while True:
            try:
                response = yield call
            except httpx.TransportError as exc:
                if idempotent and attempt < self.config.max_retries:
                    attempt += 1
                    yield Sleep(_backoff(attempt, 0.5, 8.0))
                    continue
                raise NetworkError(f"{method} {path}: {type(exc).__name__}: {exc}") from exc
            status = response.status_code
            if attempt < self.config.max_retries and (
                status in RETRY_ALWAYS or (idempotent and status in RETRY_IDEMPOTENT)
            ):
                retry_after = parse_retry_after(response.headers.get("retry-after"))
                if retry_after is None or retry_after <= MAX_RETRY_AFTER:
                    attempt += 1
                    delay = _backoff(attempt, 0.5, 8.0) if retry_after is None else retry_after
                    yield Sleep(max(delay, 0.05) + random.random() * 0.1)
                    continue
            if status >= 400:
                raise error_for(status, response.content, response.headers)
            return response

    def request(self, method: str, path: str, *, params: Optional[Mapping[str, Any]] = None,
                json_body: Any = None, headers: Optional[Mapping[str, str]] = None) -> Op:
        """Any API path, with authentication, retries and typed errors; returns the parsed JSON
        (``None`` for an empty body). Requests other than GET are only retried on 429."""
        if not path.startswith("/"):
            raise ValueError("path must start with '/'")
        response = yield from self._request(method.upper(), path, params=params, json_body=json_body,
                                            headers=headers, idempotent=method.upper() == "GET")
        return _json(response) if response.content else None

    # -- tasks --

    def submit(
        self,
        query: str,
        *,
        mode: Optional[str] = None,
        session_id: Optional[str] = None,
        context: Optional[Mapping[str, Any]] = None,
        timeout_seconds: Optional[int] = None,
        provider: Optional[str] = None,
        model: Optional[str] = None,
        model_tier: Optional[str] = None,
        idempotency_key: Optional[str] = None,
        require_approval: Optional[Sequence[str]] = None,
        approval_timeout_seconds: Optional[int] = None,
    ) -> Op:
        body: Dict[str, Any] = {"query": query}
        optional = {
            "mode": mode, "session_id": session_id, "context": dict(context) if context is not None else None,
            "timeout_seconds": timeout_seconds, "provider": provider, "model": model, "model_tier": model_tier,
            "require_approval": _tools(require_approval) if require_approval is not None else None,
            "approval_timeout_seconds": approval_timeout_seconds,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        # The key makes the submit safe to retry: a repeat answers the same task, never a second one.
        key = idempotency_key or str(uuid.uuid4())
        response = yield from self._request("POST", "/api/v1/tasks", json_body=body,
                                            headers={"Idempotency-Key": key})
        return Task.from_json(_object(response))

    def get(self, task_id: str) -> Op:
        response = yield from self._request("GET", "/api/v1/tasks/" + _segment(task_id, "task_id"))
        return Task.from_json(_object(response))

    def wait(self, task_id: str, timeout: Optional[float] = None) -> Op:
        """Long polls (``?wait=``, sending the last ``ETag`` as ``If-None-Match``) until the task
        is terminal and returns it; raises :class:`WaitTimeout` (with the latest copy in ``.task``)
        when ``timeout`` seconds pass first. ``timeout=None`` waits as long as it takes."""
        path = "/api/v1/tasks/" + _segment(task_id, "task_id")
        deadline = None if timeout is None else time.monotonic() + timeout
        limit = MAX_LONG_POLL_SECONDS
        task: Optional[Task] = None
        etag: Optional[str] = None
        while True:
            wait = limit
            if deadline is not None:
                remaining = deadline - time.monotonic()
                if remaining > 0:
                    wait = min(limit, math.ceil(remaining))  # whole seconds: may end < 1 s late
                elif task is None:
                    wait = 0  # out of time before any answer: fetch the task once
                else:
                    raise WaitTimeout(f"task {task_id} is still {task.status} after {timeout} s", task)
            headers = {"If-None-Match": etag} if etag else None
            try:
                response = yield from self._request("GET", path, params={"wait": wait}, headers=headers,
                                                    read_timeout=wait + self.config.timeout)
            except TaskgateError as exc:
                # A server configured with a lower maximum wait says so: use its maximum.
                match = _WAIT_LIMIT.search(exc.message) if exc.status == 400 else None
                if match and 1 <= int(match.group(1)) < limit:
                    limit = int(match.group(1))
                    continue
                raise
            if response.status_code != 304:
                task = Task.from_json(_object(response))
                etag = response.headers.get("etag")
                if task.is_terminal:
                    return task
            if deadline is not None and time.monotonic() >= deadline:
                raise WaitTimeout(f"task {task_id} is still {task.status if task else 'unknown'} after {timeout} s",
                                  task)

    def cancel(self, task_id: str, reason: Optional[str] = None, idempotency_key: Optional[str] = None) -> Op:
        # Cancelling is idempotent by itself (a repeat answers "Task already cancelled"), so it is
        # retried like a GET; an explicit key makes a repeat replay the original answer instead.
        headers = {"Idempotency-Key": idempotency_key} if idempotency_key else None
        response = yield from self._request(
            "POST", "/api/v1/tasks/" + _segment(task_id, "task_id") + "/cancel",
            json_body={"reason": reason} if reason is not None else None, headers=headers)
        return CancelResult.from_json(_object(response))

    # -- pause, resume and approvals --

    def pause(self, task_id: str, reason: Optional[str] = None, resume: bool = False) -> Op:
        # Pausing a paused task (or resuming a running one) answers the task as it is: safe to retry.
        action = "/resume" if resume else "/pause"
        response = yield from self._request(
            "POST", "/api/v1/tasks/" + _segment(task_id, "task_id") + action,
            json_body={"reason": reason} if reason is not None else None)
        return Task.from_json(_object(response))

    def decide(self, task_id: str, approval_id: str, approved: bool, feedback: Optional[str] = None) -> Op:
        if not isinstance(approved, bool):
            raise ValueError("approved must be True or False")
        body: Dict[str, Any] = {"approved": approved}
        if feedback is not None:
            body["feedback"] = feedback
        # A repeat of a decision that was carried out answers 409 Conflict, never a second decision.
        response = yield from self._request(
            "POST", "/api/v1/tasks/" + _segment(task_id, "task_id") + "/approvals/" + _segment(approval_id, "approval_id"),
            json_body=body, idempotent=False)
        return Approval.from_json(_object(response))

    def approvals(self, *, status: Optional[str] = "pending", task_id: Optional[str] = None,
                  limit: Optional[int] = None) -> Op:
        params = {"status": _approval_status(status), "task_id": task_id, "limit": limit}
        return self._pages("/api/v1/approvals", params, "approvals", Approval.from_json)

    def get_settings(self) -> Op:
        response = yield from self._request("GET", "/api/v1/settings")
        return Settings.from_json(_object(response))

    def update_settings(self, *, require_approval: Sequence[str]) -> Op:
        response = yield from self._request("PUT", "/api/v1/settings",
                                            json_body={"require_approval": _tools(require_approval)})
        return Settings.from_json(_object(response))

    def _pages(self, path: str, params: Mapping[str, Any], items: str, parse: Any) -> Op:
        token: Optional[str] = None
        while True:
            page_params = dict(params)
            if token:
                page_params["page_token"] = token
            response = yield from self._request("GET", path, params=page_params)
            page = _object(response)
            for item in page.get(items) or []:
                yield Emit(parse(item))
            next_token = page.get("next_page_token")
            if not next_token or next_token == token:
                return None
            token = next_token

    @staticmethod
    def _task_filters(status: Union[None, str, Iterable[str]], session_id: Optional[str], mode: Optional[str],
                      created_after: Any, created_before: Any, limit: Optional[int]) -> Dict[str, Any]:
        return {
            "status": _statuses(status),
            "session_id": session_id,
            "mode": mode,
            "created_after": format_time(created_after) if created_after is not None else None,
            "created_before": format_time(created_before) if created_before is not None else None,
            "limit": limit,
        }

    def list_tasks(self, *, status: Union[None, str, Iterable[str]] = None, session_id: Optional[str] = None,
                   mode: Optional[str] = None, created_after: Any = None, created_before: Any = None,
                   limit: Optional[int] = None) -> Op:
        filters = self._task_filters(status, session_id, mode, created_after, created_before, limit)
        return self._pages("/api/v1/tasks", filters, "tasks", Task.from_json)

    def get_many(self, ids: Sequence[str]) -> Op:
        unique: List[str] = []
        for task_id in ids:
            _segment(task_id, "every id")
            if task_id not in unique:
                unique.append(task_id)
        tasks: List[Task] = []
        for start in range(0, len(unique), MAX_IDS_PER_REQUEST):
            chunk = unique[start:start + MAX_IDS_PER_REQUEST]
            response = yield from self._request("GET", "/api/v1/tasks", params={"ids": ",".join(chunk)})
            tasks.extend(Task.from_json(t) for t in _object(response).get("tasks") or [])
        return tasks

    # -- sessions --

    def sessions(self, *, limit: Optional[int] = None) -> Op:
        return self._pages("/api/v1/sessions", {"limit": limit}, "sessions", Session.from_json)

    def session(self, session_id: str) -> Op:
        response = yield from self._request("GET", "/api/v1/sessions/" + _segment(session_id, "session_id"))
        return Session.from_json(_object(response))

    def session_tasks(self, session_id: str, *, status: Union[None, str, Iterable[str]] = None,
                      mode: Optional[str] = None, created_after: Any = None, created_before: Any = None,
                      limit: Optional[int] = None) -> Op:
        path = "/api/v1/sessions/" + _segment(session_id, "session_id") + "/tasks"
        filters = self._task_filters(status, None, mode, created_after, created_before, limit)
        return self._pages(path, filters, "tasks", Task.from_json)

    # -- events --

    def events(self, task_id: str, after: int = 0, page_size: Optional[int] = None) -> Op:
        path = "/api/v1/tasks/" + _segment(task_id, "task_id") + "/events"
        after_seq = int(after or 0)
        while True:
            response = yield from self._request("GET", path, params={"after": after_seq, "limit": page_size})
            page = _object(response)
            for item in page.get("events") or []:
                yield Emit(TaskEvent.from_json(item))
            next_after = page.get("next_after")
            if not isinstance(next_after, int) or next_after <= after_seq:
                return None
            after_seq = next_after

    def stream(self, task_id: str, after: Optional[int] = None, include_partial: bool = False) -> Op:
        """Follows the task's SSE stream until its terminal event, resuming with ``Last-Event-ID``
        after a network failure, a timeout or an early end (a server shutting down), with backoff
        and at most ``stream_reconnects`` attempts in a row without a new event. Stored events are
        emitted once each, in ``seq`` order; ``LLM_PARTIAL`` pieces (seq 0) are never deduplicated
        and never move the resume position."""
        path = "/api/v1/tasks/" + _segment(task_id, "task_id") + "/stream"
        params = {"include_partial": "true"} if include_partial else None
        last_seq = int(after or 0)
        failures = 0
        connected = False
        delay = 0.0
        cause: Optional[BaseException] = None
        while True:
            if failures:
                if failures > self.config.stream_reconnects:
                    raise StreamError(
                        f"the event stream of {task_id} could not be resumed after {failures - 1} reconnects "
                        f"(last seq {last_seq}): {cause or 'the server ended the stream early'}",
                        last_seq) from cause
                yield Sleep(delay)
            headers = {"Accept": "text/event-stream", "Cache-Control": "no-cache"}
            if last_seq > 0:
                headers["Last-Event-ID"] = str(last_seq)
            call = self.call("GET", path, params=params, headers=headers, read_timeout=STREAM_READ_TIMEOUT)
            try:
                handle = yield OpenStream(call)
            except httpx.TransportError as exc:
                failures, cause = failures + 1, exc
                delay = _backoff(failures, 0.25, 10.0)
                continue
            if handle.status_code != 200:
                body = yield ReadBody(handle)
                error = error_for(handle.status_code, body, handle.headers)
                status = handle.status_code
                # Once the stream has been open, any 5xx is taken for a server that is restarting
                # (a replica going down may answer 500 while its database pool closes).
                if status in RETRY_ALWAYS or status in RETRY_IDEMPOTENT or (connected and status >= 500):
                    failures, cause = failures + 1, error
                    if error.retry_after is not None and error.retry_after > MAX_RETRY_AFTER:
                        raise error
                    delay = error.retry_after if error.retry_after is not None else _backoff(failures, 0.25, 10.0)
                    continue
                raise error
            connected = True
            decoder = SSEDecoder()
            progressed = False
            cause = None
            try:
                while True:
                    chunk = yield ReadChunk(handle)
                    if not chunk:
                        break
                    for frame in decoder.feed(chunk):
                        event = _event_from_frame(frame)
                        if event is None:
                            continue
                        if event.seq > 0:
                            if event.seq <= last_seq:
                                continue  # already delivered before a reconnect
                            last_seq, failures, progressed = event.seq, 0, True
                        yield Emit(event)
                        if event.is_terminal:
                            yield Close(handle)
                            return None
            except httpx.TransportError as exc:
                cause = exc
            yield Close(handle)
            if not progressed and cause is None:
                # The server ended a stream that brought nothing new. If the task is finished and
                # no stored event follows last_seq (e.g. `after` was at or past its terminal
                # event), there is nothing left to follow.
                finished = yield from self._nothing_after(task_id, last_seq)
                if finished:
                    return None
            failures += 1
            delay = _backoff(failures, 0.25, 10.0)

    def _nothing_after(self, task_id: str, last_seq: int) -> Op:
        segment = _segment(task_id, "task_id")
        try:
            task_response = yield from self._request("GET", "/api/v1/tasks/" + segment)
            if not Task.from_json(_object(task_response)).is_terminal:
                return False
            events_response = yield from self._request("GET", "/api/v1/tasks/" + segment + "/events",
                                                       params={"after": last_seq, "limit": 1})
        except TaskgateError:
            return False  # undecided (e.g. the server is restarting): the reconnect will tell
        return not (_object(events_response).get("events") or [])
