"""The asynchronous client: runs the operations of :mod:`taskgate._core` over ``httpx.AsyncClient``.

Its methods mirror :class:`taskgate.Taskgate` one for one: the single-result ones are coroutines,
the iterating ones (``list``, ``approvals``, ``sessions``, ``session_tasks``, ``events``, ``stream``) return
async iterators.
"""

from __future__ import annotations

import asyncio
from typing import Any, AsyncIterator, Iterable, List, Mapping, Optional, Sequence, Union

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

__all__ = ["AsyncTaskgate"]


class _AsyncTransport:
    def __init__(self, http: httpx.AsyncClient) -> None:
        self.http = http

    async def run(self, op: Op) -> Any:
        result: List[Any] = []
        items = self.iterate(op, result)
        try:
            async for _ in items:
                raise RuntimeError("this operation yields items; iterate it instead")
        finally:
            await items.aclose()
        return result[0]

    async def iterate(self, op: Op, result: Optional[List[Any]] = None) -> AsyncIterator[Any]:
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
                    value = await self._perform(instruction, streams)
                except httpx.TransportError as exc:
                    error = exc
        finally:
            op.close()
            for handle in streams:
                await self._close(handle)

    def _build(self, call: Call) -> httpx.Request:
        return self.http.build_request(call.method, call.url, params=call.params, headers=call.headers,
                                       json=call.json, timeout=call.timeout)

    @staticmethod
    async def _close(handle: StreamHandle) -> None:
        await handle.chunks.aclose()
        await handle.response.aclose()

    async def _perform(self, instruction: Any, streams: List[StreamHandle]) -> Any:
        if isinstance(instruction, Call):
            return await self.http.send(self._build(instruction))
        if isinstance(instruction, ReadChunk):
            try:
                return await instruction.handle.chunks.__anext__()
            except StopAsyncIteration:
                return b""
        if isinstance(instruction, Sleep):
            await asyncio.sleep(instruction.seconds)
            return None
        if isinstance(instruction, OpenStream):
            response = await self.http.send(self._build(instruction.call), stream=True)
            handle = StreamHandle(response, response.aiter_bytes())
            streams.append(handle)
            return handle
        if isinstance(instruction, (ReadBody, Close)):
            handle = instruction.handle
            try:
                return await handle.response.aread() if isinstance(instruction, ReadBody) else None
            finally:
                if handle in streams:
                    streams.remove(handle)
                await self._close(handle)
        raise TypeError(f"unknown instruction {instruction!r}")


class AsyncTaskgate:
    """Asynchronous Taskgate client; the same options and operations as :class:`taskgate.Taskgate`.

    Use it as ``async with AsyncTaskgate() as client:``, or call :meth:`aclose`.
    """

    def __init__(
        self,
        api_key: Optional[str] = None,
        base_url: Optional[str] = None,
        *,
        timeout: Optional[float] = DEFAULT_TIMEOUT,
        max_retries: int = DEFAULT_MAX_RETRIES,
        stream_reconnects: int = DEFAULT_STREAM_RECONNECTS,
        http_client: Optional[httpx.AsyncClient] = None,
    ) -> None:
        self._core = Core(Config(api_key, base_url, timeout, max_retries, stream_reconnects))
        self._owns_http = http_client is None
        self._http = (http_client if http_client is not None
                      else httpx.AsyncClient(timeout=self._core.config.timeout))
        self._transport = _AsyncTransport(self._http)

    @property
    def base_url(self) -> str:
        return self._core.config.base_url

    def __repr__(self) -> str:
        return f"AsyncTaskgate(base_url={self.base_url!r})"

    async def aclose(self) -> None:
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> "AsyncTaskgate":
        return self

    async def __aexit__(self, *exc_info: Any) -> None:
        await self.aclose()

    # ---- tasks ----

    async def submit(
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
        """See :meth:`taskgate.Taskgate.submit`."""
        return await self._transport.run(self._core.submit(
            query, mode=mode, session_id=session_id, context=context, timeout_seconds=timeout_seconds,
            provider=provider, model=model, model_tier=model_tier, idempotency_key=idempotency_key,
            require_approval=require_approval, approval_timeout_seconds=approval_timeout_seconds))

    async def get(self, task_id: str) -> Task:
        return await self._transport.run(self._core.get(task_id))

    async def wait(self, task_id: str, timeout: Optional[float] = None) -> Task:
        """See :meth:`taskgate.Taskgate.wait`."""
        return await self._transport.run(self._core.wait(task_id, timeout))

    async def cancel(self, task_id: str, reason: Optional[str] = None, *,
                     idempotency_key: Optional[str] = None) -> CancelResult:
        return await self._transport.run(self._core.cancel(task_id, reason, idempotency_key))

    # ---- pause, resume and approvals ----

    async def pause(self, task_id: str, reason: Optional[str] = None) -> Task:
        """See :meth:`taskgate.Taskgate.pause`."""
        return await self._transport.run(self._core.pause(task_id, reason))

    async def resume(self, task_id: str, reason: Optional[str] = None) -> Task:
        """See :meth:`taskgate.Taskgate.resume`."""
        return await self._transport.run(self._core.pause(task_id, reason, resume=True))

    async def decide(self, task_id: str, approval_id: str, approved: bool,
                     feedback: Optional[str] = None) -> Approval:
        """See :meth:`taskgate.Taskgate.decide`."""
        return await self._transport.run(self._core.decide(task_id, approval_id, approved, feedback))

    async def approve(self, task_id: str, approval_id: str, feedback: Optional[str] = None) -> Approval:
        return await self.decide(task_id, approval_id, True, feedback)

    async def refuse(self, task_id: str, approval_id: str, feedback: Optional[str] = None) -> Approval:
        return await self.decide(task_id, approval_id, False, feedback)

    def approvals(self, status: Optional[str] = "pending", *, task_id: Optional[str] = None,
                  limit: Optional[int] = None) -> AsyncIterator[Approval]:
        """See :meth:`taskgate.Taskgate.approvals`; use with ``async for``."""
        return self._transport.iterate(self._core.approvals(status=status, task_id=task_id, limit=limit))

    async def get_settings(self) -> Settings:
        return await self._transport.run(self._core.get_settings())

    async def update_settings(self, *, require_approval: Sequence[str]) -> Settings:
        """See :meth:`taskgate.Taskgate.update_settings`."""
        return await self._transport.run(self._core.update_settings(require_approval=require_approval))

    def list(
        self,
        *,
        status: Union[None, str, Iterable[str]] = None,
        session_id: Optional[str] = None,
        mode: Optional[str] = None,
        created_after: Any = None,
        created_before: Any = None,
        limit: Optional[int] = None,
    ) -> AsyncIterator[Task]:
        """See :meth:`taskgate.Taskgate.list`; use with ``async for``."""
        return self._transport.iterate(self._core.list_tasks(
            status=status, session_id=session_id, mode=mode, created_after=created_after,
            created_before=created_before, limit=limit))

    async def get_many(self, ids: Sequence[str]) -> List[Task]:
        """See :meth:`taskgate.Taskgate.get_many`."""
        return await self._transport.run(self._core.get_many(ids))

    # ---- events ----

    def events(self, task_id: str, after: int = 0, *, page_size: Optional[int] = None) -> AsyncIterator[TaskEvent]:
        return self._transport.iterate(self._core.events(task_id, after, page_size))

    def stream(self, task_id: str, after: Optional[int] = None,
               include_partial: bool = False) -> AsyncIterator[TaskEvent]:
        """See :meth:`taskgate.Taskgate.stream`; use with ``async for``."""
        return self._transport.iterate(self._core.stream(task_id, after, include_partial))

    # ---- sessions ----

    def sessions(self, *, limit: Optional[int] = None) -> AsyncIterator[Session]:
        return self._transport.iterate(self._core.sessions(limit=limit))

    async def session(self, session_id: str) -> Session:
        return await self._transport.run(self._core.session(session_id))

    def session_tasks(
        self,
        session_id: str,
        *,
        status: Union[None, str, Iterable[str]] = None,
        mode: Optional[str] = None,
        created_after: Any = None,
        created_before: Any = None,
        limit: Optional[int] = None,
    ) -> AsyncIterator[Task]:
        return self._transport.iterate(self._core.session_tasks(
            session_id, status=status, mode=mode, created_after=created_after,
            created_before=created_before, limit=limit))

    # ---- anything else ----

    async def request(self, method: str, path: str, *, params: Optional[Mapping[str, Any]] = None,
                      json: Any = None, headers: Optional[Mapping[str, str]] = None) -> Any:
        """See :meth:`taskgate.Taskgate.request`."""
        return await self._transport.run(
            self._core.request(method, path, params=params, json_body=json, headers=headers))
