"""Retries against the real app: rate limits (429 + Retry-After) and lost connections."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from _proxy import CuttingProxy
from conftest import API_KEY, BASE_URL, OTHER_API_KEY, RequestLog
from taskgate import AsyncTaskgate, NetworkError, RateLimited, Taskgate


def test_rate_limited_requests_wait_for_retry_after_then_succeed():
    # The second tenant's key has its own bucket (default: 100 at once, 600 a minute).
    async def main():
        log = RequestLog()
        http = httpx.AsyncClient(event_hooks={"request": [log.aon_request], "response": [log.aon_response]})
        async with AsyncTaskgate(api_key=OTHER_API_KEY, base_url=BASE_URL, http_client=http,
                                 max_retries=10) as client:
            task = await client.submit("Rate limit probe")
            answers = await asyncio.gather(*(client.get(task.task_id) for _ in range(130)))
        await http.aclose()
        return task, answers, log

    task, answers, log = asyncio.run(main())
    assert [a.task_id for a in answers] == [task.task_id] * 130
    assert log.statuses.count(429) > 0, "the burst never hit the rate limit"

    async def without_retries():
        async with AsyncTaskgate(api_key=OTHER_API_KEY, base_url=BASE_URL, max_retries=0) as client:
            return await asyncio.gather(*(client.get(task.task_id) for _ in range(130)), return_exceptions=True)

    outcomes = asyncio.run(without_retries())
    limited = [o for o in outcomes if isinstance(o, RateLimited)]
    assert limited, "no request was rate limited"
    assert all(e.status == 429 and e.retry_after is not None and e.retry_after >= 0 for e in limited)
    assert all("Rate limit exceeded" in e.message for e in limited)


def test_submit_whose_answer_was_lost_is_retried_without_a_second_task(client, session_id):
    log = RequestLog()
    http = httpx.Client(event_hooks={"request": [log.on_request], "response": [log.on_response]})
    with CuttingProxy(BASE_URL, [("drop_response",)]) as proxy:
        with Taskgate(api_key=API_KEY, base_url=proxy.url, http_client=http) as via_proxy:
            task = via_proxy.submit("Exactly once", session_id=session_id)
    http.close()
    assert proxy.actions_done == ["drop_response"]
    posts = [r for r in log.requests if r.method == "POST"]
    assert len(posts) == 2 and posts[0].headers["idempotency-key"] == posts[1].headers["idempotency-key"]
    assert [t.task_id for t in client.list(session_id=session_id)] == [task.task_id]


def test_connection_failures_are_retried_then_reported(client, session_id):
    task = client.submit("Hi", session_id=session_id)
    with CuttingProxy(BASE_URL, [("reject",), ("reject",)]) as proxy:
        with Taskgate(api_key=API_KEY, base_url=proxy.url, max_retries=2) as via_proxy:
            assert via_proxy.get(task.task_id).task_id == task.task_id
    assert proxy.connections == 3
    with CuttingProxy(BASE_URL, [("reject",)] * 5) as proxy:
        with Taskgate(api_key=API_KEY, base_url=proxy.url, max_retries=1) as via_proxy:
            with pytest.raises(NetworkError) as info:
                via_proxy.get(task.task_id)
    assert info.value.status is None
    assert proxy.connections == 2
