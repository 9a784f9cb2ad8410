/** The SSE parser on its own (no server): framing rules of the event-stream format. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { SseParser, type SseItem } from "../src/index.js";

function parseInPieces(text: string, size: number): SseItem[] {
  const parser = new SseParser();
  const out: SseItem[] = [];
  for (let i = 0; i < text.length; i += size) {
    out.push(...parser.feed(text.slice(i, i + size)));
  }
  return out;
}

const TASKGATE_FRAMES =
  'id:1\nevent:TASK_QUEUED\nretry:2000\ndata:{"seq":1,"type":"TASK_QUEUED"}\n\n' +
  ": heartbeat\n\n" +
  'event:LLM_PARTIAL\nretry:2000\ndata:{"seq":0,"type":"LLM_PARTIAL","message":"one two "}\n\n' +
  'id: 2\nevent: TASK_COMPLETED\ndata: {"seq":2,"type":"TASK_COMPLETED"}\n\n';

describe("SseParser", () => {
  it("parses Taskgate frames: id, event, retry, data, comments, frames without id", () => {
    const items = parseInPieces(TASKGATE_FRAMES, TASKGATE_FRAMES.length);
    assert.deepEqual(items, [
      { kind: "retry", ms: 2000 },
      { kind: "message", event: "TASK_QUEUED", data: '{"seq":1,"type":"TASK_QUEUED"}', id: "1" },
      { kind: "comment", text: "heartbeat" },
      { kind: "retry", ms: 2000 },
      { kind: "message", event: "LLM_PARTIAL", data: '{"seq":0,"type":"LLM_PARTIAL","message":"one two "}' },
      { kind: "message", event: "TASK_COMPLETED", data: '{"seq":2,"type":"TASK_COMPLETED"}', id: "2" },
    ]);
  });

  it("gives the same result whatever the chunk boundaries", () => {
    const whole = parseInPieces(TASKGATE_FRAMES, TASKGATE_FRAMES.length);
    for (const size of [1, 2, 3, 7, 16, 61]) {
      assert.deepEqual(parseInPieces(TASKGATE_FRAMES, size), whole, `chunks of ${size}`);
    }
  });

  it("accepts CRLF and CR line endings, also split between chunks", () => {
    const crlf = TASKGATE_FRAMES.replace(/\n/g, "\r\n");
    const cr = TASKGATE_FRAMES.replace(/\n/g, "\r");
    const whole = parseInPieces(TASKGATE_FRAMES, 1000);
    for (const size of [1, 2, 5, 1000]) {
      assert.deepEqual(parseInPieces(crlf, size), whole, `CRLF, chunks of ${size}`);
      assert.deepEqual(parseInPieces(cr, size), whole, `CR, chunks of ${size}`);
    }
  });

  it("joins multi-line data, drops a leading BOM, ignores unknown fields and an unfinished frame", () => {
    const items = parseInPieces("\uFEFFdata: a\ndata:b\nfoo: bar\ndata\n\nid: 9\ndata: cut off", 4);
    assert.deepEqual(items, [{ kind: "message", event: "message", data: "a\nb\n" }]);
  });

  it("ignores frames without data, bad retry values and ids containing NUL", () => {
    const items = parseInPieces("event: x\nid: 3\n\nretry: 1s\nid: a\u0000b\ndata: y\n\n", 3);
    assert.deepEqual(items, [{ kind: "message", event: "message", data: "y" }]);
  });

  it("reports the shutdown comment text", () => {
    const items = parseInPieces(": server shutting down; reconnect with Last-Event-ID: 7\n\n", 5);
    assert.deepEqual(items, [{ kind: "comment", text: "server shutting down; reconnect with Last-Event-ID: 7" }]);
  });
});
