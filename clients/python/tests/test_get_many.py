"""get_many on top of GET /api/v1/tasks?ids=... (up to 100 ids a request, only the caller's tasks).

Needs the server's ``ids`` filter. A server without it ignores the parameter and answers its first
page of the caller's tasks, so these tests fail there.
"""

from __future__ import annotations

import asyncio

from conftest import API_KEY, BASE_URL
from taskgate import AsyncTaskgate

UNKNOWN = "task_01JDX4Q3ZC8K6V2M9N7P5R3T1W"


def test_get_many_returns_only_the_callers_known_tasks(logged_client, other_client, session_id):
    client, log = logged_client
    mine = [client.submit(f"Task {i}", session_id=session_id).task_id for i in range(3)]
    theirs = other_client.submit("Theirs", session_id=session_id).task_id
    got = client.get_many([mine[0], mine[1], theirs, UNKNOWN, mine[0]])
    assert sorted(t.task_id for t in got) == sorted(mine[:2])
    assert all(t.session_id == session_id for t in got)
    requests = [r for r in log.requests if r.method == "GET" and r.url.path == "/api/v1/tasks"]
    assert len(requests) == 1 and requests[0].url.params["ids"] == ",".join([mine[0], mine[1], theirs, UNKNOWN])
    assert client.get_many([]) == []


def test_get_many_splits_long_lists(logged_client, session_id):
    client, log = logged_client
    real = client.submit("Needle", session_id=session_id).task_id
    unknown = [f"task_01JDX4Q3ZC8K6V2M9N7P5R{i:04d}" for i in range(150)]
    got = client.get_many(unknown[:120] + [real] + unknown[120:])
    assert [t.task_id for t in got] == [real]
    requests = [r for r in log.requests if r.method == "GET" and r.url.path == "/api/v1/tasks"]
    assert [len(r.url.params["ids"].split(",")) for r in requests] == [100, 51]


def test_async_get_many(session_id):
    async def main():
        async with AsyncTaskgate(api_key=API_KEY, base_url=BASE_URL) as client:
            ids = [(await client.submit(f"Task {i}", session_id=session_id)).task_id for i in range(2)]
            got = await client.get_many(ids + [UNKNOWN])
            assert sorted(t.task_id for t in got) == sorted(ids)
    asyncio.run(main())
