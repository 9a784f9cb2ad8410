"""Submit, get, wait, cancel, idempotency, typed errors and tenant isolation, against the real app."""

from __future__ import annotations

import time
import uuid

import pytest

from conftest import API_KEY, BASE_URL
from taskgate import (
    BadRequest,
    CancelResult,
    Conflict,
    ExecutionMode,
    NotFound,
    PayloadTooLarge,
    Task,
    Taskgate,
    TaskgateError,
    TaskStatus,
    Unauthorized,
    UnprocessableEntity,
    WaitTimeout,
)

SLOW = {"simulate": {"delay_ms": 30000}}


def test_submit_returns_a_queued_task(client, session_id):
    task = client.submit("What is the capital of France?", mode="simple", session_id=session_id)
    assert isinstance(task, Task)
    assert task.task_id.startswith("task_")
    assert task.status in (TaskStatus.QUEUED, TaskStatus.RUNNING)
    assert task.session_id == session_id
    assert task.mode == ExecutionMode.SIMPLE
    assert task.query == "What is the capital of France?"
    assert task.error == ""
    assert task.created_at is not None and task.created_at.tzinfo is not None
    assert not task.is_terminal


def test_get_and_wait_until_completed(client, session_id):
    task = client.submit("What is 1234 * 5678?", mode="standard", session_id=session_id)
    got = client.get(task.task_id)
    assert got.task_id == task.task_id
    done = client.wait(task.task_id, timeout=60)
    assert done.status == TaskStatus.COMPLETED and done.is_terminal and done.is_completed
    assert "7006652" in done.result
    assert done.response == {"result": done.result}
    assert done.mode == ExecutionMode.STANDARD
    assert done.model_used == "taskgate-local-1" and done.provider == "local"
    assert done.usage is not None and done.usage.total_tokens > 0
    assert done.usage.total_tokens == done.usage.input_tokens + done.usage.output_tokens
    assert done.updated_at >= done.created_at


def test_wait_uses_long_polls_not_a_sleep_loop(logged_client, session_id):
    client, log = logged_client
    task = client.submit("Hi", session_id=session_id, context={"simulate": {"delay_ms": 2500}})
    started = time.monotonic()
    done = client.wait(task.task_id, timeout=60)
    assert done.status == TaskStatus.COMPLETED
    polls = [r for r in log.requests if r.url.path.endswith(task.task_id)]
    # QUEUED -> RUNNING -> COMPLETED: one answer per status change, not one every few hundred ms.
    assert 1 <= len(polls) <= 4, [str(r.url) for r in polls]
    assert all("wait=" in str(r.url) for r in polls)
    assert time.monotonic() - started >= 2.0


def test_wait_timeout_raises_with_the_latest_task(client, session_id):
    task = client.submit("Slow", session_id=session_id, context=SLOW)
    started = time.monotonic()
    with pytest.raises(WaitTimeout) as info:
        client.wait(task.task_id, timeout=1.5)
    elapsed = time.monotonic() - started
    assert 1.4 <= elapsed < 5, elapsed
    assert isinstance(info.value, TimeoutError)
    assert info.value.task is not None and info.value.task.task_id == task.task_id
    assert not info.value.task.is_terminal
    client.cancel(task.task_id)


def test_failed_task_and_json_response(client, session_id):
    failed = client.submit("Hi", session_id=session_id,
                           context={"simulate": {"error": "LLM service unavailable: connection timeout"}})
    failed = client.wait(failed.task_id, timeout=60)
    assert failed.status == TaskStatus.FAILED
    assert failed.error == "LLM service unavailable: connection timeout"
    assert failed.response is None

    exact = client.submit("Capital of France as JSON", session_id=session_id,
                          context={"simulate": {"result": '{"answer": "Paris"}'}})
    exact = client.wait(exact.task_id, timeout=60)
    assert exact.response == {"answer": "Paris"}
    assert exact.result == '{"answer": "Paris"}'


def test_task_timeout_status(client, session_id):
    task = client.submit("Hi", session_id=session_id, timeout_seconds=1, context={"simulate": {"delay_ms": 10000}})
    done = client.wait(task.task_id, timeout=60)
    assert done.status == TaskStatus.TIMEOUT
    assert "timeout" in done.error.lower()


def test_unknown_fields_are_kept(client, session_id):
    task = client.submit("Hi", session_id=session_id)
    done = client.wait(task.task_id, timeout=60)
    assert done.raw["task_id"] == done.task_id
    assert done.extra == {}
    future = Task.from_json({**done.raw, "priority": "high", "usage": {**done.raw["usage"], "cached_tokens": 3}})
    assert future.extra == {"priority": "high"}
    assert future.usage.extra == {"cached_tokens": 3}
    assert future.task_id == done.task_id and future.status == done.status


def test_idempotent_submit_same_key_same_task(client, session_id):
    key = str(uuid.uuid4())
    first = client.submit("Once only", session_id=session_id, idempotency_key=key)
    again = client.submit("Once only", session_id=session_id, idempotency_key=key)
    assert again.task_id == first.task_id
    other = client.submit("Once only", session_id=session_id)
    assert other.task_id != first.task_id
    with pytest.raises(UnprocessableEntity) as info:
        client.submit("Something else", session_id=session_id, idempotency_key=key)
    assert info.value.status == 422
    assert [t.task_id for t in client.list(session_id=session_id)].count(first.task_id) == 1


def test_cancel_a_slow_task(client, session_id):
    task = client.submit("Summarise this report", session_id=session_id, context=SLOW)
    result = client.cancel(task.task_id, reason="no longer needed")
    assert isinstance(result, CancelResult)
    assert result.success and result.task_id == task.task_id
    assert result.status == TaskStatus.CANCELLED
    assert result.message == "Task cancelled"
    again = client.cancel(task.task_id)
    assert again.success and again.message == "Task already cancelled"
    done = client.wait(task.task_id, timeout=10)
    assert done.status == TaskStatus.CANCELLED
    assert done.error == "Task cancelled by user: no longer needed"
    events = list(client.stream(task.task_id))
    assert events[-1].type == "TASK_CANCELLED"


def test_errors_are_typed(client, session_id):
    with pytest.raises(NotFound) as info:
        client.get("task_01JDX4Q3ZC8K6V2M9N7P5R3T1W")
    assert info.value.status == 404 and info.value.message == "Task not found"
    assert isinstance(info.value, TaskgateError)

    with pytest.raises(BadRequest) as info:
        client.submit("   ")
    assert info.value.status == 400 and info.value.message

    with pytest.raises(BadRequest):
        client.submit("Hi", mode="turbo")

    with pytest.raises(BadRequest):
        client.submit("Hi", session_id="not a valid session id!")

    with pytest.raises(PayloadTooLarge) as info:
        client.submit("x" * 40000)
    assert info.value.status == 413

    done = client.wait(client.submit("Hi", session_id=session_id).task_id, timeout=60)
    with pytest.raises(Conflict) as info:
        client.cancel(done.task_id)
    assert info.value.status == 409 and "cannot be cancelled" in info.value.message

    with Taskgate(api_key="sk_wrong_key", base_url=BASE_URL) as wrong:
        with pytest.raises(Unauthorized) as info:
            wrong.get(done.task_id)
    assert info.value.status == 401 and info.value.message == "Unauthorized"

    with pytest.raises(ValueError):
        client.get("")


def test_tenant_isolation(client, other_client, session_id):
    mine = client.submit("Private", session_id=session_id)
    client.wait(mine.task_id, timeout=60)
    with pytest.raises(NotFound):
        other_client.get(mine.task_id)
    with pytest.raises(NotFound):
        other_client.cancel(mine.task_id)
    with pytest.raises(NotFound):
        list(other_client.stream(mine.task_id))
    with pytest.raises(NotFound):
        list(other_client.events(mine.task_id))
    with pytest.raises(NotFound):
        other_client.session(session_id)
    assert list(other_client.list(session_id=session_id)) == []
    # The other tenant's own task is invisible the other way round too.
    theirs = other_client.submit("Theirs", session_id=session_id)
    with pytest.raises(NotFound):
        client.get(theirs.task_id)
    assert [t.task_id for t in client.list(session_id=session_id)] == [mine.task_id]


def test_configuration_and_key_never_shown(monkeypatch):
    monkeypatch.setenv("TASKGATE_API_KEY", API_KEY)
    monkeypatch.setenv("TASKGATE_URL", BASE_URL + "/")
    with Taskgate() as from_env:
        assert from_env.base_url == BASE_URL
        assert API_KEY not in repr(from_env)
        assert API_KEY not in repr(vars(from_env))
        assert API_KEY not in repr(from_env._core.config)
        # Works end to end with what the environment gave it.
        assert from_env.get(from_env.submit("Hi").task_id).task_id
    monkeypatch.delenv("TASKGATE_API_KEY")
    with pytest.raises(ValueError):
        Taskgate()
    monkeypatch.delenv("TASKGATE_URL")
    with Taskgate(api_key="k") as default:
        assert default.base_url == "http://localhost:8080"
        assert repr(default) == "Taskgate(base_url='http://localhost:8080')"
