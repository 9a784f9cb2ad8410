"""The synchronous client: runs the operations of :mod:`taskgate._core` over ``httpx.Client``."""

from __future__ import annotations

import time
from typing import Any, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import httpx

from ._core import (
    DEFAULT_MAX_RETRIES,
    DEFAULT_STREAM_RECONNECTS,
    DEFAULT_TIMEOUT,
    Call,
    Close,
    Config,
    Core,
    Emit,
    Op,
    OpenStream,
    ReadBody,
    ReadChunk,
    Sleep,
    StreamHandle,
)
from .models import Approval, CancelResult, Session, Settings, Task, TaskEvent

__all__ = ["Taskgate"]


class _Transport:
    def __init__(self, http: httpx.Client) -> None:
        self.http = http

    def run(self, op: Op) -> Any:
        result: List[Any] = []
        for _ in self.iterate(op, result):
            raise RuntimeError("this operation yields items; iterate it instead")
        return result[0]

    def iterate(self, op: Op, result: Optional[List[Any]] = None) -> Iterator[Any]:
        streams: List[StreamHandle] = []
        value: Any = None
        error: Optional[BaseException] = None
        try:
            while True:
                try:
                    instruction = op.throw(error) if error is not None else op.send(value)
                except StopIteration as stop:
                    if result is not None:
                        result.append(stop.value)
                    return
                value, error = None, None
                if isinstance(instruction, Emit):
                    yield instruction.value
                    continue
                try:
                    value = self._perform(instruction, streams)
                except httpx.TransportError as exc:
                    error = exc
        finally:
            op.close()
            for handle in streams:
                handle.response.close()

    def _build(self, call: Call) -> httpx.Request:
        return self.http.build_request(call.method, call.url, params=call.params, headers=call.headers,
                                       json=call.json, timeout=call.timeout)

    def _perform(self, instruction: Any, streams: List[StreamHandle]) -> Any:
        if isinstance(instruction, Call):
            return self.http.send(self._build(instruction))
        if isinstance(instruction, ReadChunk):
            return next(instruction.handle.chunks, b"")
        if isinstance(instruction, Sleep):
            time.sleep(instruction.seconds)
            return None
        if isinstance(instruction, OpenStream):
            response = self.http.send(self._build(instruction.call), stream=True)
            handle = StreamHandle(response, response.iter_bytes())
            streams.append(handle)
            return handle
        if isinstance(instruction, (ReadBody, Close)):
            handle = instruction.handle
            try:
                return handle.response.read() if isinstance(instruction, ReadBody) else None
            finally:
                handle.response.close()
                if handle in streams:
                    streams.remove(handle)
        raise TypeError(f"unknown instruction {instruction!r}")


class Taskgate:
    """Synchronous Taskgate client.

    ``api_key`` defaults to ``$TASKGATE_API_KEY`` and ``base_url`` to ``$TASKGATE_URL``, then
    ``http://localhost:8080``. ``timeout`` (seconds) bounds connecting and each read; long polls
    and streams extend the read timeout by themselves. ``max_retries`` bounds the retries of one
    request (429 and 502/503/504 answers honouring ``Retry-After``, and network failures, with
    exponential backoff); ``stream_reconnects`` bounds the reconnects of a stream in a row
    without a new event. ``http_client`` lets you pass your own ``httpx.Client`` (proxies, TLS,
    event hooks); it is then yours to close.

    Use it as a context manager, or call :meth:`close`.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        stream_reconnects: int = DEFAULT_STREAM_RECONNECTS,
        http_client: Optional[httpx.Client] = None,
    ) -> None:
        self._core = Core(Config(api_key, base_url, timeout, max_retries, stream_reconnects))
        self._owns_http = http_client is None
        self._http = http_client if http_client is not None else httpx.Client(timeout=self._core.config.timeout)
        self._transport = _Transport(self._http)

    @property
    def base_url(self) -> str:
        return self._core.config.base_url

    def __repr__(self) -> str:
        return f"Taskgate(base_url={self.base_url!r})"

    def close(self) -> None:
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> "Taskgate":
        return self

    def __exit__(self, *exc_info: Any) -> None:
        self.close()

    # ---- tasks ----

    def submit(
        self,
        query: str,
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
    ) -> Task:
        """Submits a task (``POST /api/v1/tasks``) and returns it, usually ``TASK_STATUS_QUEUED``.

        An ``Idempotency-Key`` (a uuid4) is generated when none is given, so the client's own
        retries never create a second task; pass your own to make retries across processes safe.

        ``require_approval`` names the tools whose calls wait for a person's decision
        (``["calculator"]``, ``["*"]`` for all, ``[]`` for none; absent: the tenant's default);
        ``approval_timeout_seconds`` bounds one wait for a decision or a resume.
        """
        return self._transport.run(self._core.submit(
            query, mode=mode, session_id=session_id, context=context, timeout_seconds=timeout_seconds,
            provider=provider, model=model, model_tier=model_tier, idempotency_key=idempotency_key,
            require_approval=require_approval, approval_timeout_seconds=approval_timeout_seconds))

    def get(self, task_id: str) -> Task:
        """The task as it is now (``GET /api/v1/tasks/{id}``)."""
        return self._transport.run(self._core.get(task_id))

    def wait(self, task_id: str, timeout: Optional[float] = None) -> Task:
        """Returns the task once it is terminal, using server-side long polls (``?wait=``, up to
        60 s each, with ``If-None-Match``), never a sleep loop.

        Raises :class:`taskgate.WaitTimeout` (a ``TimeoutError``; the latest task is in its
        ``.task``) when ``timeout`` seconds pass first; it may be raised up to a second late, as
        the server waits whole seconds. ``timeout=None`` waits as long as the task runs.
        """
        return self._transport.run(self._core.wait(task_id, timeout))

    def cancel(self, task_id: str, reason: Optional[str] = None, *, idempotency_key: Optional[str] = None) -> CancelResult:
        """Cancels a task. Raises :class:`taskgate.Conflict` if it has already finished."""
        return self._transport.run(self._core.cancel(task_id, reason, idempotency_key))

    # ---- pause, resume and approvals ----

    def pause(self, task_id: str, reason: Optional[str] = None) -> Task:
        """Pauses a task at its next step boundary and returns it (``TASK_STATUS_PAUSED``, with
        ``task.pause``). Pausing a paused task is harmless; a finished task raises
        :class:`taskgate.Conflict`."""
        return self._transport.run(self._core.pause(task_id, reason))

    def resume(self, task_id: str, reason: Optional[str] = None) -> Task:
        """Lets a paused task go on where it stopped and returns it. It stays PAUSED while one of
        its tool calls waits for a decision. A finished task raises :class:`taskgate.Conflict`."""
        return self._transport.run(self._core.pause(task_id, reason, resume=True))

    def decide(self, task_id: str, approval_id: str, approved: bool, feedback: Optional[str] = None) -> Approval:
        """Approves (the tool runs) or refuses (the model is told, with ``feedback``) a pending
        tool call. Raises :class:`taskgate.Conflict` when it was already decided or expired."""
        return self._transport.run(self._core.decide(task_id, approval_id, approved, feedback))

    def approve(self, task_id: str, approval_id: str, feedback: Optional[str] = None) -> Approval:
        """``decide(task_id, approval_id, True, feedback)``."""
        return self.decide(task_id, approval_id, True, feedback)

    def refuse(self, task_id: str, approval_id: str, feedback: Optional[str] = None) -> Approval:
        """``decide(task_id, approval_id, False, feedback)``."""
        return self.decide(task_id, approval_id, False, feedback)

    def approvals(self, status: Optional[str] = "pending", *, task_id: Optional[str] = None,
                  limit: Optional[int] = None) -> Iterator[Approval]:
        """Iterates over the tenant's approvals, oldest request first, page after page.

        ``status`` is ``"pending"`` (default: a reviewer's inbox), ``"approved"``, ``"refused"``,
        ``"expired"`` (or the ``ApprovalStatus`` names), or ``None`` for all; ``task_id`` narrows
        it to one task; ``limit`` is the page size (1-100).
        """
        return self._transport.iterate(self._core.approvals(status=status, task_id=task_id, limit=limit))

    def get_settings(self) -> Settings:
        """The tenant's defaults for new tasks (``GET /api/v1/settings``)."""
        return self._transport.run(self._core.get_settings())

    def update_settings(self, *, require_approval: Sequence[str]) -> Settings:
        """Replaces the tenant's defaults (``PUT /api/v1/settings``): ``require_approval`` applies
        to tasks that do not name their own (``[]`` turns the default off)."""
        return self._transport.run(self._core.update_settings(require_approval=require_approval))

    def list(
        self,
        *,
        status: Union[None, str, Iterable[str]] = None,
        session_id: Optional[str] = None,
        mode: Optional[str] = None,
        created_after: Any = None,
        created_before: Any = None,
        limit: Optional[int] = None,
    ) -> Iterator[Task]:
        """Iterates over all matching tasks, newest first, fetching page after page.

        ``status`` is one status or several (``"running"``, ``"TASK_STATUS_QUEUED"``, ...);
        ``created_after``/``created_before`` are datetimes (naive ones are UTC) or RFC 3339
        strings; ``limit`` is the page size (1-100), not a total: use ``itertools.islice`` for that.
        """
        return self._transport.iterate(self._core.list_tasks(
            status=status, session_id=session_id, mode=mode, created_after=created_after,
            created_before=created_before, limit=limit))

    def get_many(self, ids: Sequence[str]) -> List[Task]:
        """The caller's tasks among ``ids`` (``GET /api/v1/tasks?ids=...``, 100 ids per request).
        Unknown ids and other tenants' tasks are simply absent; the order is the server's."""
        return self._transport.run(self._core.get_many(ids))

    # ---- events ----

    def events(self, task_id: str, after: int = 0, *, page_size: Optional[int] = None) -> Iterator[TaskEvent]:
        """Iterates over the task's stored events with ``seq`` greater than ``after``."""
        return self._transport.iterate(self._core.events(task_id, after, page_size))

    def stream(self, task_id: str, after: Optional[int] = None, include_partial: bool = False) -> Iterator[TaskEvent]:
        """Follows the task's events live (SSE) until its terminal event, then ends.

        Reconnects by itself with ``Last-Event-ID`` after a network failure or an early end of
        the stream (e.g. a server restart), without losing or repeating an event. With
        ``include_partial=True`` live ``LLM_PARTIAL`` pieces (``seq`` 0) are included too.
        Raises :class:`taskgate.StreamError` when it cannot resume.
        """
        return self._transport.iterate(self._core.stream(task_id, after, include_partial))

    # ---- sessions ----

    def sessions(self, *, limit: Optional[int] = None) -> Iterator[Session]:
        """Iterates over all sessions, the most recently started first (``limit`` = page size)."""
        return self._transport.iterate(self._core.sessions(limit=limit))

    def session(self, session_id: str) -> Session:
        return self._transport.run(self._core.session(session_id))

    def session_tasks(
        self,
        session_id: str,
        *,
        status: Union[None, str, Iterable[str]] = None,
        mode: Optional[str] = None,
        created_after: Any = None,
        created_before: Any = None,
        limit: Optional[int] = None,
    ) -> Iterator[Task]:
        """Iterates over the session's tasks, with the filters of :meth:`list`."""
        return self._transport.iterate(self._core.session_tasks(
            session_id, status=status, mode=mode, created_after=created_after,
            created_before=created_before, limit=limit))

    # ---- anything else ----

    def request(self, method: str, path: str, *, params: Optional[Mapping[str, Any]] = None,
                json: Any = None, headers: Optional[Mapping[str, str]] = None) -> Any:
        """Calls an API path this client has no method for yet, with the client's authentication,
        retries and typed errors; returns the parsed JSON answer (``None`` when empty)."""
        return self._transport.run(self._core.request(method, path, params=params, json_body=json, headers=headers))
