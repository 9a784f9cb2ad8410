"""Event streams against the real app, including a stream cut several times by a proxy."""

from __future__ import annotations

import time

import pytest

from _proxy import CuttingProxy
from conftest import API_KEY, BASE_URL, gaps_and_duplicates
from taskgate import EventType, StreamError, Taskgate, TaskEvent
from taskgate._sse import SSEDecoder

# A task whose events are spread over time: a plan, sub-tasks and a synthesis, each model call slowed.
SPREAD_QUERY = "Compare Python and Java for building web services"
SPREAD_CONTEXT = {"simulate": {"delay_ms": 600}}


def test_api_doc_best_practice_loop(capsys, session_id):
    client = Taskgate(api_key=API_KEY)
    task_id = client.submit("What is 1234 * 5678?", mode="standard", session_id=session_id).task_id

    # The API doc's "Good - Use streaming" loop, verbatim:
    for event in client.stream(task_id):
        print(event.type, event.message)
        if event.type == "TASK_COMPLETED":
            break

    out = capsys.readouterr().out.splitlines()
    assert out[0] == "TASK_QUEUED Task queued"
    assert out[-1] == "TASK_COMPLETED Task completed"
    assert any(line.startswith("TOOL_RESULT 7006652") for line in out)
    client.close()


def test_stream_follows_a_task_live_and_ends(client, session_id):
    task = client.submit("What is 1234 * 5678?", mode="standard", session_id=session_id,
                         context={"simulate": {"delay_ms": 300}})
    arrivals = []
    for event in client.stream(task.task_id):
        assert isinstance(event, TaskEvent)
        arrivals.append((time.monotonic(), event))
    events = [e for _, e in arrivals]
    assert [e.seq for e in events] == list(range(1, len(events) + 1))
    assert events[-1].type == EventType.TASK_COMPLETED and events[-1].is_terminal
    assert sum(e.is_terminal for e in events) == 1
    assert all(e.task_id == task.task_id and e.timestamp is not None for e in events)
    assert [e.type for e in events[:2]] == ["TASK_QUEUED", "TASK_STARTED"]
    invoked = next(e for e in events if e.type == EventType.TOOL_INVOKED)
    assert invoked.message == "calculator" and invoked.data["tool"] == "calculator"
    assert events[-1].data["status"] == "COMPLETED" and "7006652" in events[-1].data["result"]
    # Live, not replayed at the end: the first and the last event arrived a while apart.
    assert arrivals[-1][0] - arrivals[0][0] > 0.3
    # The stream is the stored history.
    stored = list(client.events(task.task_id))
    assert [(e.seq, e.type, e.message, e.data) for e in events] == [(e.seq, e.type, e.message, e.data) for e in stored]


def test_stream_resumes_after_a_given_seq(client, session_id):
    task = client.submit("What is 1234 * 5678?", mode="standard", session_id=session_id)
    everything = list(client.stream(task.task_id))
    last = everything[-1].seq
    assert [e.seq for e in client.stream(task.task_id, after=3)] == list(range(4, last + 1))
    # Nothing follows the terminal event: the stream ends at once instead of reconnecting.
    started = time.monotonic()
    assert list(client.stream(task.task_id, after=last)) == []
    assert time.monotonic() - started < 5


def test_partial_output_is_streamed_and_never_deduplicated(client, session_id):
    task = client.submit("Tell me about Paris", session_id=session_id,
                         context={"simulate": {"delay_ms": 300, "chunk_delay_ms": 40}})
    events = list(client.stream(task.task_id, include_partial=True))
    partials = [e for e in events if e.type == EventType.LLM_PARTIAL]
    stored = [e for e in events if e.type != EventType.LLM_PARTIAL]
    assert len(partials) >= 3
    assert all(e.seq == 0 and e.is_partial for e in partials)
    assert [e.seq for e in stored] == list(range(1, len(stored) + 1))
    output = next(e for e in stored if e.type == EventType.LLM_OUTPUT)
    assert events.index(output) > events.index(partials[-1])
    call = output.data["call"]
    # A stream gets the pieces from when it joined the call: here from its start, or very nearly.
    joined = "".join(p.message for p in partials if p.data["call"] == call)
    assert joined and output.message.endswith(joined)
    # Without include_partial no piece shows.
    assert all(e.seq > 0 for e in client.stream(task.task_id))


def _stream_through(script, task_id, include_partial=False, **options):
    with CuttingProxy(BASE_URL, script) as proxy:
        with Taskgate(api_key=API_KEY, base_url=proxy.url, **options) as via_proxy:
            events = list(via_proxy.stream(task_id, include_partial=include_partial))
    return events, proxy


CUTS = [("abort", 1), ("end", 2), ("reject",), ("abort", 2), ("end", 1), ("abort", 1), ("reject",), ("abort", 2)]


def test_stream_cut_mid_way_resumes_without_gap_or_duplicate(client, session_id, capsys):
    task = client.submit(SPREAD_QUERY, mode="complex", session_id=session_id, context=SPREAD_CONTEXT)
    events, proxy = _stream_through(list(CUTS), task.task_id)

    seqs = [e.seq for e in events]
    gaps, duplicates = gaps_and_duplicates(seqs)
    reconnects = proxy.connections - 1
    with capsys.disabled():
        print(f"\nstream-resume: events={len(events)} gaps={gaps} duplicates={duplicates} "
              f"reconnects={reconnects} cuts={proxy.cuts} ({', '.join(proxy.actions_done)})")
    assert seqs == list(range(1, len(events) + 1))
    assert gaps == 0 and duplicates == 0
    assert events[-1].type == EventType.TASK_COMPLETED
    assert proxy.cuts >= 4, proxy.actions_done
    assert {"abort", "end", "reject"} <= set(proxy.actions_done)
    stored = list(client.events(task.task_id))
    assert [(e.seq, e.type, e.message) for e in events] == [(e.seq, e.type, e.message) for e in stored]
    assert client.get(task.task_id).is_terminal


def test_cut_stream_with_partials_keeps_every_stored_event(client, session_id):
    task = client.submit("Tell me about the history of Paris", session_id=session_id,
                         context={"simulate": {"chunk_delay_ms": 60}})
    events, proxy = _stream_through([("abort", 1), ("end", 1), ("abort", 1)], task.task_id, include_partial=True)
    stored = [e.seq for e in events if e.seq > 0]
    assert stored == list(range(1, len(stored) + 1))
    assert events[-1].is_terminal
    assert proxy.cuts >= 2
    assert all(e.type == EventType.LLM_PARTIAL for e in events if e.seq == 0)


def test_stream_gives_up_after_bounded_reconnects(client, session_id):
    task = client.submit("Hi", session_id=session_id)
    client.wait(task.task_id, timeout=60)
    started = time.monotonic()
    with pytest.raises(StreamError) as info:
        _stream_through([("abort", 2)] + [("reject",)] * 10, task.task_id, stream_reconnects=3)
    assert info.value.last_seq == 2
    assert time.monotonic() - started < 15
    # Resuming later from where it stopped delivers the rest.
    assert [e.seq for e in client.stream(task.task_id, after=info.value.last_seq)][0] == 3


def test_sse_decoder_follows_the_standard():
    decoder = SSEDecoder()
    wire = (b"id:1\r\nevent:A\r\ndata: {\"x\":\r\ndata:1}\r\n\r\n"
            b": heartbeat\n\n"
            b"event:B\rdata:two\r\r"
            b"id: 3\ndata:three\n\nid:4\ndata:cut")
    frames = []
    for i in range(len(wire)):  # one byte at a time: every split point
        frames += decoder.feed(wire[i:i + 1])
    assert [(f.id, f.event, f.data) for f in frames] == [
        ("1", "A", '{"x":\n1}'), (None, "B", "two"), ("3", None, "three")]
    assert decoder.last_comment == "heartbeat"
