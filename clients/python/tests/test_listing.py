"""Listing with filters over several pages, and sessions, against the real app."""

from __future__ import annotations

import itertools
from datetime import datetime, timedelta, timezone

from conftest import new_session_id
from taskgate import ExecutionMode, Session, TaskStatus


def _page_requests(log, path):
    return [r for r in log.requests if r.method == "GET" and r.url.path == path]


def test_list_follows_every_page(logged_client, session_id):
    client, log = logged_client
    submitted = [client.submit(f"Task {i}", session_id=session_id).task_id for i in range(5)]
    listed = [t.task_id for t in client.list(session_id=session_id, limit=2)]
    assert sorted(listed) == sorted(submitted)
    assert len(listed) == len(set(listed)) == 5
    pages = _page_requests(log, "/api/v1/tasks")
    assert len(pages) == 3, [str(r.url) for r in pages]
    assert "page_token" not in str(pages[0].url)
    assert all("page_token=" in str(r.url) for r in pages[1:])
    # Newest first: ids are ULIDs, so they sort by creation time.
    assert listed == sorted(listed, reverse=True)
    # The iterator is lazy: taking two tasks costs one page.
    before = len(_page_requests(log, "/api/v1/tasks"))
    assert len(list(itertools.islice(client.list(session_id=session_id, limit=2), 2))) == 2
    assert len(_page_requests(log, "/api/v1/tasks")) == before + 1


def test_list_filters(client, session_id):
    done = client.wait(client.submit("What is 2 + 2?", mode="standard", session_id=session_id).task_id, timeout=60)
    slow = client.submit("Slow", mode="simple", session_id=session_id, context={"simulate": {"delay_ms": 30000}})
    try:
        by_status = {t.task_id for t in client.list(session_id=session_id, status=["completed"])}
        assert by_status == {done.task_id}
        unfinished = {t.task_id for t in client.list(session_id=session_id, status=("running", "TASK_STATUS_QUEUED"))}
        assert unfinished == {slow.task_id}
        by_mode = [t for t in client.list(session_id=session_id, mode="standard")]
        assert [t.task_id for t in by_mode] == [done.task_id]
        assert by_mode[0].mode == ExecutionMode.STANDARD
        hour_ago = datetime.now(timezone.utc) - timedelta(hours=1)
        assert len(list(client.list(session_id=session_id, created_after=hour_ago))) == 2
        assert list(client.list(session_id=session_id, created_before=hour_ago)) == []
        naive_future = datetime.utcnow() + timedelta(hours=1)
        assert list(client.list(session_id=session_id, created_after=naive_future)) == []
        assert len(list(client.list(session_id=session_id, created_before="2999-01-01T00:00:00Z"))) == 2
    finally:
        client.cancel(slow.task_id)
    assert {t.status for t in client.list(session_id=session_id)} == {TaskStatus.COMPLETED, TaskStatus.CANCELLED}


def test_sessions(logged_client):
    client, log = logged_client
    first, second = new_session_id("s1"), new_session_id("s2")
    a = client.wait(client.submit("Hello", session_id=first).task_id, timeout=60)
    b = client.wait(client.submit("Hello again", session_id=first).task_id, timeout=60)
    client.wait(client.submit("Other", session_id=second).task_id, timeout=60)

    session = client.session(first)
    assert isinstance(session, Session)
    assert session.session_id == first and session.task_count == 2
    assert session.usage.total_tokens == a.usage.total_tokens + b.usage.total_tokens
    assert session.first_activity_at <= session.last_activity_at

    # The most recently started first: both new sessions are on the first two pages of one.
    seen = [s.session_id for s in itertools.islice(client.sessions(limit=1), 2)]
    assert set(seen) == {first, second}
    assert len(_page_requests(log, "/api/v1/sessions")) == 2

    tasks = list(client.session_tasks(first, limit=1))
    assert [t.task_id for t in tasks] == [b.task_id, a.task_id]
    assert list(client.session_tasks(first, status="failed")) == []
    assert len(_page_requests(log, f"/api/v1/sessions/{first}/tasks")) >= 2


def test_events_history_pages(client, session_id):
    task = client.submit("What is 1234 * 5678?", mode="standard", session_id=session_id)
    client.wait(task.task_id, timeout=60)
    events = list(client.events(task.task_id, page_size=2))
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[0].type == "TASK_QUEUED" and events[-1].type == "TASK_COMPLETED"
    assert {"TOOL_INVOKED", "TOOL_RESULT", "LLM_OUTPUT"} <= {e.type for e in events}
    tool = next(e for e in events if e.type == "TOOL_RESULT")
    assert tool.message == "7006652" and tool.data["tool"] == "calculator"
    assert [e.seq for e in client.events(task.task_id, after=3)] == list(range(4, len(events) + 1))
