/** The SSE stream against the running app: order, partial output, resume after cuts, closing. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { setTimeout as delay } from "node:timers/promises";
import { NotFoundError, TERMINAL_EVENT_TYPES, type TaskEvent } from "../src/index.js";
import { BASE_URL, client, slow } from "./helpers.js";
import { CuttingProxy } from "./proxy.js";

const T = { timeout: 180_000 };

async function until(condition: () => boolean, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  while (!condition() && Date.now() < end) {
    await delay(20);
  }
  return condition();
}

describe("stream", () => {
  it("delivers a STANDARD task's events in order, with parsed data, and ends after the terminal event", T, async () => {
    const tg = client();
    const task = await tg.submit({ query: "What is 1234 * 5678?", mode: "standard" });
    const events: TaskEvent[] = [];
    for await (const event of tg.stream(task.task_id)) {
      events.push(event);
    }
    assert.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
    const types = events.map((e) => e.type);
    for (const type of ["TASK_QUEUED", "TASK_STARTED", "TOOL_INVOKED", "TOOL_RESULT", "LLM_OUTPUT"]) {
      assert.ok(types.includes(type), `${type} in ${types}`);
    }
    assert.equal(types.at(-1), "TASK_COMPLETED");
    const invoked = events.find((e) => e.type === "TOOL_INVOKED")!;
    assert.equal(invoked.message, "calculator");
    assert.equal(invoked.data?.tool, "calculator");
    assert.equal(events.find((e) => e.type === "TOOL_RESULT")!.message, "7006652");
    assert.equal(events[1]!.data, null); // TASK_STARTED has no payload
    for (const event of events) {
      assert.equal(event.taskId, task.task_id);
      assert.match(event.timestamp, /^\d{4}-\d\d-\d\dT/);
    }
    assert.match(String(events.at(-1)!.data?.result), /7006652/);

    const history = await tg.events(task.task_id);
    assert.deepEqual(history.map((e) => [e.seq, e.type, e.message]), events.map((e) => [e.seq, e.type, e.message]));
    const resumed: number[] = [];
    for await (const event of tg.stream(task.task_id, { after: 3 })) {
      resumed.push(event.seq);
    }
    assert.deepEqual(resumed, events.slice(3).map((e) => e.seq));
  });

  it("includePartial adds LLM_PARTIAL pieces (seq 0) that add up to their call's LLM_OUTPUT", T, async () => {
    const tg = client();
    const task = await tg.submit({ query: "Tell me something about streaming text in small pieces", context: { simulate: { chunk_delay_ms: 60 } } });
    const events: TaskEvent[] = [];
    for await (const event of tg.stream(task.task_id, { includePartial: true })) {
      events.push(event);
    }
    const stored = events.filter((e) => e.seq > 0);
    assert.deepEqual(stored.map((e) => e.seq), stored.map((_, i) => i + 1));
    const partial = events.filter((e) => e.type === "LLM_PARTIAL");
    assert.ok(partial.length >= 2, `${partial.length} pieces`);
    assert.ok(partial.every((e) => e.seq === 0));
    const output = events.find((e) => e.type === "LLM_OUTPUT")!;
    const call = output.data?.call;
    const pieces = partial.filter((e) => e.data?.call === call).map((e) => e.message);
    assert.equal(pieces.join(""), output.message);
    assert.ok(events.indexOf(partial.at(-1)!) < events.indexOf(output), "no piece after its LLM_OUTPUT");
  });

  it("resumes a stream cut several times mid-way with no gap and no duplicate", T, async () => {
    const proxy = await CuttingProxy.start(BASE_URL);
    try {
      const tg = client();
      const viaProxy = client({ baseUrl: proxy.url });
      // A COMPLEX task: a plan, three sub-tasks and a synthesis, each model call taking 2.5 s, so the
      // events come over several seconds and most reconnects find the task still running.
      const task = await tg.submit({
        query: "Compare the capitals of France and Germany and compute 1234 * 5678",
        mode: "complex",
        context: slow(2_500),
      });
      const events: TaskEvent[] = [];
      const reasons: string[] = [];
      let dropScheduled = false;
      for await (const event of viaProxy.stream(task.task_id, { onReconnect: (info) => reasons.push(info.reason) })) {
        events.push(event);
        if (proxy.cuts < 5) {
          proxy.cutNextChunk(); // the next chunk the app sends (a frame, or the next answer's head) is cut in half
        }
        if (event.seq === 2 && !dropScheduled) {
          dropScheduled = true;
          setTimeout(() => proxy.dropAll(), 200); // and one drop while the stream waits for the model
        }
      }
      const seqs = events.map((e) => e.seq);
      const n = seqs.length;
      const duplicates = n - new Set(seqs).size;
      const max = Math.max(...seqs);
      const gaps = Array.from({ length: max }, (_, i) => i + 1).filter((s) => !seqs.includes(s)).length;
      console.log(`stream-resume: events=${n} gaps=${gaps} duplicates=${duplicates} reconnects=${reasons.length}`);

      assert.deepEqual(seqs, Array.from({ length: n }, (_, i) => i + 1));
      assert.equal(gaps, 0);
      assert.equal(duplicates, 0);
      assert.ok(TERMINAL_EVENT_TYPES.has(events.at(-1)!.type), events.at(-1)!.type);
      assert.ok(reasons.length >= 3, `reconnects: ${reasons.join(" | ")}`);
      assert.ok(proxy.cuts >= 3, `cuts: ${proxy.cuts}`);
      assert.equal(proxy.connections, reasons.length + 1);
      const history = await tg.events(task.task_id);
      assert.deepEqual(events.map((e) => [e.seq, e.type, e.message]), history.map((e) => [e.seq, e.type, e.message]));
    } finally {
      await proxy.close();
    }
  });

  it("skips events it already has when a resumed stream sends them again", T, async () => {
    const proxy = await CuttingProxy.start(BASE_URL);
    proxy.rewriteLastEventId = (seq) => Math.max(0, seq - 3); // every resume asks for 3 events too many
    try {
      const tg = client();
      const task = await tg.submit({ query: "What is 1234 * 5678?", mode: "standard", context: slow(1_500) });
      const seqs: number[] = [];
      let reconnects = 0;
      for await (const event of client({ baseUrl: proxy.url }).stream(task.task_id, { onReconnect: () => reconnects++ })) {
        seqs.push(event.seq);
        if (event.seq === 3 || event.seq === 5) {
          proxy.cutNextChunk();
        }
      }
      assert.deepEqual(seqs, Array.from({ length: seqs.length }, (_, i) => i + 1));
      assert.ok(reconnects >= 1 && proxy.rewrites >= 1, `reconnects=${reconnects} rewrites=${proxy.rewrites}`);
    } finally {
      await proxy.close();
    }
  });

  it("break out of the loop closes the HTTP connection", T, async () => {
    const proxy = await CuttingProxy.start(BASE_URL);
    const tg = client();
    const task = await tg.submit({ query: "Long job", context: slow(30_000) });
    try {
      for await (const event of client({ baseUrl: proxy.url }).stream(task.task_id)) {
        assert.equal(event.seq, 1);
        assert.equal(proxy.open, 1);
        break;
      }
      assert.ok(await until(() => proxy.open === 0, 3_000), "connection closed after break");
      assert.equal(proxy.cuts, 0);
    } finally {
      await tg.cancel(task.task_id);
      await proxy.close();
    }
  });

  it("an AbortSignal ends a stream and closes its connection", T, async () => {
    const proxy = await CuttingProxy.start(BASE_URL);
    const tg = client();
    const task = await tg.submit({ query: "Long job", context: slow(30_000) });
    try {
      const controller = new AbortController();
      const seen: number[] = [];
      const started = Date.now();
      const consume = (async () => {
        for await (const event of client({ baseUrl: proxy.url }).stream(task.task_id, { signal: controller.signal })) {
          seen.push(event.seq);
          if (event.seq === 1) {
            setTimeout(() => controller.abort(), 300);
          }
        }
      })();
      await assert.rejects(consume, { name: "AbortError" });
      assert.ok(Date.now() - started < 10_000);
      assert.deepEqual(seen.slice(0, 1), [1]);
      assert.ok(await until(() => proxy.open === 0, 3_000), "connection closed after abort");
    } finally {
      await tg.cancel(task.task_id);
      await proxy.close();
    }
  });

  it("a stream of an unknown task fails with NotFoundError without reconnecting", T, async () => {
    let reconnects = 0;
    const stream = client().stream("task_00000000000000000000000000", { onReconnect: () => reconnects++ });
    await assert.rejects(stream.next(), NotFoundError);
    assert.equal(reconnects, 0);
  });
});
