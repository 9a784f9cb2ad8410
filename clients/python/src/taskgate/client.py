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
from .models import CancelResult, Session, Task, TaskEvent

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
    ) -> Task:
        """Submits a task (``POST /api/v1/tasks``) and returns it, usually ``TASK_STATUS_QUEUED``.

        An ``Idempotency-Key`` (a uuid4) is generated when none is given, so the client's own
        retries never create a second task; pass your own to make retries across processes safe.
        """
        return self._transport.run(self._core.submit(
            query, mode=mode, session_id=session_id, context=context, timeout_seconds=timeout_seconds,
            provider=provider, model=model, model_tier=model_tier, idempotency_key=idempotency_key))

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
