"""Pause, resume, approvals and tenant settings, against the real app.

The built-in model asks for the calculator for arithmetic in STANDARD mode, so a task submitted
with ``require_approval=["calculator"]`` pauses with a pending approval (docs/approvals.md).
"""

from __future__ import annotations

import asyncio
import itertools
import time

import pytest

from conftest import API_KEY, BASE_URL
from taskgate import (
    Approval,
    ApprovalStatus,
    AsyncTaskgate,
    BadRequest,
    Conflict,
    EventType,
    NotFound,
    Pause,
    Settings,
    Task,
    TaskStatus,
)

QUERY = "What is 17 * 23?"


def until_paused(client, task_id: str, timeout: float = 60) -> Task:
    deadline = time.monotonic() + timeout
    while True:
        task = client.get(task_id)
        if task.status == TaskStatus.PAUSED and (task.pending_approvals or task.pause.reason):
            return task
        assert not task.is_terminal, f"{task_id} ended as {task.status} before pausing"
        assert time.monotonic() < deadline, f"{task_id} did not pause within {timeout} s"
        time.sleep(0.2)


def test_approve_runs_the_tool(client, session_id):
    task = client.submit(QUERY, mode="standard", session_id=session_id, require_approval=["calculator"],
                         approval_timeout_seconds=600)
    assert task.require_approval == ("calculator",)
    # The stream announces the request; it carries the approval's id, tool and arguments.
    requested = None
    for event in client.stream(task.task_id):
        if event.type == EventType.APPROVAL_REQUESTED:
            requested = event
            break
    assert requested is not None and requested.data["tool"] == "calculator"

    paused = until_paused(client, task.task_id)
    assert paused.is_paused and isinstance(paused.pause, Pause)
    assert paused.pause.reason == "Waiting for approval to run calculator"
    assert paused.pause.since is not None and paused.pause.since.tzinfo is not None
    (approval,) = paused.pending_approvals
    assert isinstance(approval, Approval) and approval.is_pending
    assert approval.approval_id == requested.data["approval_id"]
    assert approval.task_id == task.task_id and approval.tool == "calculator"
    assert approval.arguments_json == {"expression": "17 * 23"}
    assert approval.requested_at is not None and approval.decided_at is None

    inbox = list(client.approvals())
    assert approval.approval_id in [a.approval_id for a in inbox]
    assert all(a.status == ApprovalStatus.PENDING for a in inbox)
    assert [a.approval_id for a in client.approvals(None, task_id=task.task_id)] == [approval.approval_id]

    decided = client.approve(task.task_id, approval.approval_id, feedback="fine")
    assert decided.status == ApprovalStatus.APPROVED and decided.feedback == "fine"
    assert decided.decided_at is not None
    done = client.wait(task.task_id, timeout=60)
    assert done.status == TaskStatus.COMPLETED and "17 * 23 = 391" in done.result
    assert done.pause is None

    with pytest.raises(Conflict):
        client.refuse(task.task_id, approval.approval_id)
    types = [e.type for e in client.events(task.task_id)]
    order = [EventType.APPROVAL_REQUESTED, EventType.TASK_PAUSED, EventType.APPROVAL_DECIDED,
             EventType.TASK_RESUMED, EventType.TOOL_INVOKED, EventType.TASK_COMPLETED]
    assert [t for t in types if t in order] == order
    assert [a.approval_id for a in client.approvals("approved", task_id=task.task_id)] == [approval.approval_id]


def test_refuse_tells_the_model(client, session_id):
    task = client.submit(QUERY, mode="standard", session_id=session_id, require_approval=["*"])
    approval = until_paused(client, task.task_id).pending_approvals[0]
    refused = client.decide(task.task_id, approval.approval_id, False, "use the spreadsheet instead")
    assert refused.status == ApprovalStatus.REFUSED and refused.feedback == "use the spreadsheet instead"
    done = client.wait(task.task_id, timeout=60)
    assert done.status == TaskStatus.COMPLETED and "I could not compute 17 * 23" in done.result
    assert EventType.TOOL_INVOKED not in [e.type for e in client.events(task.task_id)]


def test_pause_and_resume(client, session_id):
    task = client.submit(QUERY, mode="standard", session_id=session_id,
                         context={"simulate": {"delay_ms": 1000}})
    paused = client.pause(task.task_id, reason="checking the budget")
    assert paused.status == TaskStatus.PAUSED and paused.pause.reason == "checking the budget"
    again = client.pause(task.task_id, reason="another reason")  # harmless; the first reason stays
    assert again.status == TaskStatus.PAUSED and again.pause.reason == "checking the budget"
    time.sleep(2)
    assert client.get(task.task_id).status == TaskStatus.PAUSED
    resumed = client.resume(task.task_id)
    assert resumed.status == TaskStatus.RUNNING and resumed.pause is None
    done = client.wait(task.task_id, timeout=60)
    assert done.status == TaskStatus.COMPLETED and "17 * 23 = 391" in done.result
    types = [e.type for e in client.events(task.task_id)]
    assert types.index(EventType.TASK_PAUSED) < types.index(EventType.TASK_RESUMED)
    paused_event = next(e for e in client.events(task.task_id) if e.type == EventType.TASK_PAUSED)
    assert "checking the budget" in paused_event.message + str(paused_event.data)
    with pytest.raises(Conflict):
        client.pause(task.task_id)
    with pytest.raises(Conflict):
        client.resume(task.task_id)


def test_paused_tasks_are_listed_by_status(client, session_id):
    task = client.submit(QUERY, mode="standard", session_id=session_id, context={"simulate": {"delay_ms": 1000}})
    client.pause(task.task_id)
    try:
        listed = list(client.list(status="paused", session_id=session_id))
        assert [t.task_id for t in listed] == [task.task_id]
        assert listed[0].is_paused and not listed[0].is_terminal
    finally:
        client.cancel(task.task_id)
    assert client.wait(task.task_id, timeout=30).status == TaskStatus.CANCELLED


def test_approvals_iterate_over_pages(client, session_id):
    ids = []
    tasks = [client.submit(QUERY, mode="standard", session_id=session_id, require_approval=["calculator"])
             for _ in range(3)]
    try:
        for task in tasks:
            ids.append(until_paused(client, task.task_id).pending_approvals[0].approval_id)
        seen = [a.approval_id for a in client.approvals("APPROVAL_STATUS_PENDING", limit=1)]
        assert set(ids) <= set(seen) and len(seen) == len(set(seen))
        first_two = list(itertools.islice(client.approvals(limit=1), 2))
        assert len(first_two) == 2
    finally:
        for task in tasks:
            client.cancel(task.task_id)
    for task, approval_id in zip(tasks, ids):
        assert client.wait(task.task_id, timeout=30).status == TaskStatus.CANCELLED
    expired = {a.approval_id for a in client.approvals("expired")}
    assert set(ids) <= expired


def test_settings_default_require_approval(other_client):
    # The second tenant's settings, so that the first tenant's other tests are not affected.
    before = other_client.get_settings()
    assert isinstance(before, Settings)
    try:
        updated = other_client.update_settings(require_approval=["calculator"])
        assert updated.require_approval == ("calculator",)
        assert other_client.get_settings().require_approval == ("calculator",)
        task = other_client.submit(QUERY, mode="standard")
        assert task.require_approval == ("calculator",)
        approval = until_paused(other_client, task.task_id).pending_approvals[0]
        other_client.approve(task.task_id, approval.approval_id)
        assert other_client.wait(task.task_id, timeout=60).status == TaskStatus.COMPLETED
        opted_out = other_client.submit(QUERY, mode="standard", require_approval=[])
        assert other_client.wait(opted_out.task_id, timeout=60).status == TaskStatus.COMPLETED
    finally:
        other_client.update_settings(require_approval=list(before.require_approval))
    with pytest.raises(BadRequest, match="unknown tool"):
        other_client.update_settings(require_approval=["calculater"])
    with pytest.raises(ValueError):
        other_client.update_settings(require_approval="calculator")


def test_errors_and_tenant_isolation(client, other_client, session_id):
    with pytest.raises(BadRequest, match="require_approval: unknown tool"):
        client.submit("q", require_approval=["calculater"])
    task = client.submit(QUERY, mode="standard", session_id=session_id, require_approval=["calculator"])
    approval = until_paused(client, task.task_id).pending_approvals[0]
    try:
        with pytest.raises(NotFound):
            other_client.pause(task.task_id)
        with pytest.raises(NotFound):
            other_client.approve(task.task_id, approval.approval_id)
        assert approval.approval_id not in [a.approval_id for a in other_client.approvals()]
        with pytest.raises(NotFound):
            client.approve(task.task_id, "apr_01KBDX3Y9K8M2P4N5S7T9W2V")
    finally:
        client.cancel(task.task_id)


def test_async_pause_resume_and_approve(session_id):
    async def main():
        async with AsyncTaskgate(api_key=API_KEY, base_url=BASE_URL) as client:
            task = await client.submit(QUERY, mode="standard", session_id=session_id,
                                       require_approval=["calculator"])
            async for event in client.stream(task.task_id):
                if event.type == EventType.APPROVAL_REQUESTED:
                    approval_id = event.data["approval_id"]
                    break
            paused = await client.pause(task.task_id, "also paused by hand")
            assert paused.status == TaskStatus.PAUSED
            pending = [a async for a in client.approvals(task_id=task.task_id)]
            assert [a.approval_id for a in pending] == [approval_id]
            assert (await client.approve(task.task_id, approval_id)).status == ApprovalStatus.APPROVED
            await asyncio.sleep(1)
            # Decided, but its tenant also paused it: it stays paused until resumed.
            assert (await client.get(task.task_id)).status == TaskStatus.PAUSED
            await client.resume(task.task_id)
            done = await client.wait(task.task_id, timeout=60)
            assert done.status == TaskStatus.COMPLETED and "391" in done.result
            settings = await client.get_settings()
            assert isinstance(settings.require_approval, tuple)

    asyncio.run(main())
