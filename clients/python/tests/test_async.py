"""The async client on the main paths, against the real app (each test runs its own event loop)."""

from __future__ import annotations

import asyncio
import uuid

import httpx
import pytest

from _proxy import CuttingProxy
from conftest import API_KEY, BASE_URL, OTHER_API_KEY, RequestLog, gaps_and_duplicates, new_session_id
from taskgate import (
    AsyncTaskgate,
    BadRequest,
    CancelResult,
    Conflict,
    EventType,
    NotFound,
    Task,
    TaskStatus,
    Unauthorized,
    WaitTimeout,
)


def run(coro):
    return asyncio.run(coro)


def test_async_submit_get_wait():
    async def main():
        async with AsyncTaskgate(api_key=API_KEY, base_url=BASE_URL) as client:
            assert API_KEY not in repr(client)
            session_id = new_session_id("async")
            task = await client.submit("What is 1234 * 5678?", mode="standard", session_id=session_id)
            assert isinstance(task, Task) and task.session_id == session_id
            assert (await client.get(task.task_id)).task_id == task.task_id
            done = await client.wait(task.task_id, timeout=60)
            assert done.status == TaskStatus.COMPLETED and "7006652" in done.result
            # Several waits at once on one client.
            tasks = await asyncio.gather(*(client.submit(f"Hi {i}", session_id=session_id) for i in range(3)))
            finished = await asyncio.gather(*(client.wait(t.task_id, timeout=60) for t in tasks))
            assert all(t.is_terminal for t in finished)
            assert {t.task_id for t in finished} == {t.task_id for t in tasks}
    run(main())


def test_async_idempotency_cancel_and_errors():
    async def main():
        async with AsyncTaskgate(api_key=API_KEY, base_url=BASE_URL) as client:
            session_id = new_session_id("async")
            key = str(uuid.uuid4())
            first = await client.submit("Long job", session_id=session_id, idempotency_key=key,
                                        context={"simulate": {"delay_ms": 30000}})
            again = await client.submit("Long job", session_id=session_id, idempotency_key=key,
                                        context={"simulate": {"delay_ms": 30000}})
            assert again.task_id == first.task_id
            with pytest.raises(WaitTimeout) as info:
                await client.wait(first.task_id, timeout=1)
            assert info.value.task.task_id == first.task_id
            result = await client.cancel(first.task_id, reason="changed my mind")
            assert isinstance(result, CancelResult) and result.status == TaskStatus.CANCELLED
            events = [e async for e in client.stream(first.task_id)]
            assert events[-1].type == EventType.TASK_CANCELLED
            assert events[-1].message == "Task cancelled by user: changed my mind"
            with pytest.raises(Conflict):
                done = await client.wait((await client.submit("Hi", session_id=session_id)).task_id, timeout=60)
                await client.cancel(done.task_id)
            with pytest.raises(NotFound):
                await client.get("task_01JDX4Q3ZC8K6V2M9N7P5R3T1W")
            with pytest.raises(BadRequest):
                await client.submit("")
        async with AsyncTaskgate(api_key="sk_wrong_key", base_url=BASE_URL) as wrong:
            with pytest.raises(Unauthorized):
                await wrong.get(first.task_id)
        async with AsyncTaskgate(api_key=OTHER_API_KEY, base_url=BASE_URL) as other:
            with pytest.raises(NotFound):
                await other.get(first.task_id)
            with pytest.raises(NotFound):
                [e async for e in other.stream(first.task_id)]
    run(main())


def test_async_list_pages_and_sessions():
    async def main():
        log = RequestLog()
        http = httpx.AsyncClient(event_hooks={"request": [log.aon_request], "response": [log.aon_response]})
        async with AsyncTaskgate(api_key=API_KEY, base_url=BASE_URL, http_client=http) as client:
            session_id = new_session_id("async")
            ids = [(await client.submit(f"Task {i}", session_id=session_id)).task_id for i in range(5)]
            listed = [t.task_id async for t in client.list(session_id=session_id, limit=2)]
            assert sorted(listed) == sorted(ids) and len(set(listed)) == 5
            pages = [r for r in log.requests if r.method == "GET" and r.url.path == "/api/v1/tasks"]
            assert len(pages) == 3
            for task_id in ids:
                await client.wait(task_id, timeout=60)
            session = await client.session(session_id)
            assert session.task_count == 5
            in_session = [t.task_id async for t in client.session_tasks(session_id, limit=2)]
            assert in_session == listed
            found = False
            async for s in client.sessions(limit=5):
                if s.session_id == session_id:
                    found = True
                    break
            assert found
            history = [e async for e in client.events(ids[0], page_size=1)]
            assert [e.seq for e in history] == list(range(1, len(history) + 1))
        await http.aclose()
    run(main())


def test_async_stream_cut_mid_way_resumes(capsys):
    async def main():
        async with AsyncTaskgate(api_key=API_KEY, base_url=BASE_URL) as client:
            task = await client.submit("Compare Python and Java for building web services", mode="complex",
                                       session_id=new_session_id("async"),
                                       context={"simulate": {"delay_ms": 600}})
            script = [("end", 1), ("abort", 2), ("reject",), ("abort", 1), ("end", 2), ("abort", 1)]
            with CuttingProxy(BASE_URL, script) as proxy:
                async with AsyncTaskgate(api_key=API_KEY, base_url=proxy.url) as via_proxy:
                    events = [e async for e in via_proxy.stream(task.task_id)]
            stored = [e async for e in client.events(task.task_id)]
            return events, stored, proxy
    events, stored, proxy = run(main())
    seqs = [e.seq for e in events]
    gaps, duplicates = gaps_and_duplicates(seqs)
    with capsys.disabled():
        print(f"\nstream-resume (async): events={len(events)} gaps={gaps} duplicates={duplicates} "
              f"reconnects={proxy.connections - 1} cuts={proxy.cuts} ({', '.join(proxy.actions_done)})")
    assert gaps == 0 and duplicates == 0
    assert seqs == list(range(1, len(events) + 1))
    assert events[-1].type == EventType.TASK_COMPLETED
    assert [(e.seq, e.type, e.message) for e in events] == [(e.seq, e.type, e.message) for e in stored]
    assert proxy.cuts >= 4


def test_async_best_practice_loop_and_early_break():
    async def main():
        async with AsyncTaskgate(api_key=API_KEY) as client:
            task_id = (await client.submit("What is 1234 * 5678?", mode="standard")).task_id
            seen = []
            async for event in client.stream(task_id):
                seen.append(event.type)
                if event.type == "TASK_COMPLETED":
                    break
            assert seen[0] == "TASK_QUEUED" and seen[-1] == "TASK_COMPLETED"
            # Leaving a stream early closes it; the client stays usable.
            stream = client.stream(task_id)
            async for event in stream:
                break
            await stream.aclose()
            assert (await client.get(task_id)).is_completed
    run(main())
