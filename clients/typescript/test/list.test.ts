/** Listing with cursor pages, sessions, event history and getMany against the running app. */
import assert from "node:assert/strict";
import { before, describe, it } from "node:test";
import type { Session, Task } from "../src/index.js";
import { client, otherClient, recordingFetch, uniqueSession } from "./helpers.js";

const T = { timeout: 120_000 };

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
  }
  return out;
}

describe("list and sessions", () => {
  const sessionId = uniqueSession("paging");
  const submitted: Task[] = [];

  before(async () => {
    const tg = client();
    for (let i = 0; i < 5; i++) {
      submitted.push(await tg.submit({ query: `Paging task ${i}`, sessionId, context: { simulate: { result: `answer ${i}` } } }));
    }
    for (const task of submitted) {
      await tg.wait(task.task_id, { timeoutMs: 60_000 });
    }
  });

  it("iterates over every page of GET /api/v1/tasks (5 tasks, limit 2: 3 pages)", T, async () => {
    const { fetch, requests } = recordingFetch();
    const tasks = await collect(client({ fetch }).list({ sessionId, limit: 2 }));
    const expected = submitted.map((t) => t.task_id).reverse(); // newest first
    assert.deepEqual(tasks.map((t) => t.task_id), expected);
    assert.equal(requests.length, 3);
    assert.equal(requests[0]!.url.searchParams.get("page_token"), null);
    for (const request of requests) {
      assert.equal(request.url.searchParams.get("limit"), "2");
      assert.equal(request.url.searchParams.get("session_id"), sessionId);
    }
    assert.ok(requests[1]!.url.searchParams.get("page_token"));
    assert.ok(requests[2]!.url.searchParams.get("page_token"));
    for (const task of tasks) {
      assert.equal(task.status, "TASK_STATUS_COMPLETED");
    }
  });

  it("passes status, mode and date filters; a page can be read on its own", T, async () => {
    const tg = client();
    const completed = await collect(tg.list({ sessionId, status: ["completed", "TASK_STATUS_FAILED"], mode: "simple", limit: 3 }));
    assert.equal(completed.length, 5);
    assert.deepEqual(await collect(tg.list({ sessionId, status: "running" })), []);
    assert.deepEqual(await collect(tg.list({ sessionId, mode: "complex" })), []);
    const future = new Date(Date.now() + 3_600_000);
    assert.deepEqual(await collect(tg.list({ sessionId, createdAfter: future })), []);
    assert.equal((await collect(tg.list({ sessionId, createdBefore: future }))).length, 5);

    const first = await tg.listPage({ sessionId, limit: 4 });
    assert.equal(first.tasks.length, 4);
    assert.ok(first.next_page_token);
    const rest = await collect(tg.list({ sessionId, limit: 4, pageToken: first.next_page_token }));
    assert.deepEqual(rest.map((t) => t.task_id), [submitted[0]!.task_id]);
  });

  it("reads sessions: the list, one session and its tasks (paged)", T, async () => {
    const tg = client();
    let found: Session | undefined;
    for await (const session of tg.sessions({ limit: 50 })) {
      if (session.session_id === sessionId) {
        found = session;
        break;
      }
    }
    assert.ok(found, "the session is listed");
    const session = await tg.session(sessionId);
    assert.equal(session.session_id, sessionId);
    assert.equal(session.task_count, 5);
    assert.ok((session.usage?.total_tokens ?? 0) > 0);
    assert.ok(session.first_activity_at <= session.last_activity_at);

    const { fetch, requests } = recordingFetch();
    const tasks = await collect(client({ fetch }).sessionTasks(sessionId, { limit: 2 }));
    assert.deepEqual(tasks.map((t) => t.task_id), submitted.map((t) => t.task_id).reverse());
    assert.equal(requests.length, 3);
    assert.deepEqual(await collect(tg.sessionTasks(sessionId, { status: "cancelled" })), []);
  });

  it("reads a task's stored events, all pages, and after a given seq", T, async () => {
    const tg = client();
    const id = submitted[0]!.task_id;
    const all = await tg.events(id);
    assert.deepEqual(all.map((e) => e.seq), all.map((_, i) => i + 1));
    assert.equal(all[0]!.type, "TASK_QUEUED");
    assert.equal(all.at(-1)!.type, "TASK_COMPLETED");
    assert.equal(all[0]!.taskId, id);
    assert.equal(all[0]!.data?.session_id, sessionId);
    const paged = await tg.events(id, { limit: 1 });
    assert.deepEqual(paged.map((e) => e.seq), all.map((e) => e.seq));
    const later = await tg.events(id, { after: 2 });
    assert.deepEqual(later.map((e) => e.seq), all.slice(2).map((e) => e.seq));
  });
});

// GET /api/v1/tasks?ids=... is a server feature that is not released yet: these tests fail
// against a server that ignores the `ids` filter (it then lists the newest tasks instead).
describe("getMany (GET /api/v1/tasks?ids=)", () => {
  it("returns exactly the caller's tasks among the ids; unknown and foreign ids are absent", T, async () => {
    const tg = client();
    const a = await tg.submit({ query: "getMany a" });
    const b = await tg.submit({ query: "getMany b" });
    const notAsked = await tg.submit({ query: "getMany not asked" });
    const foreign = await otherClient().submit({ query: "getMany foreign" });
    const unknown = "task_00000000000000000000000000";

    const { fetch, requests } = recordingFetch();
    const tasks = await client({ fetch }).getMany([a.task_id, unknown, b.task_id, foreign.task_id]);
    assert.equal(requests.length, 1);
    assert.equal(requests[0]!.url.searchParams.get("ids"), [a.task_id, unknown, b.task_id, foreign.task_id].join(","));
    assert.deepEqual(tasks.map((t) => t.task_id).sort(), [a.task_id, b.task_id].sort());
    assert.ok(!tasks.some((t) => t.task_id === notAsked.task_id));
    assert.deepEqual(await tg.getMany([]), []);
  });

  it("splits more than 100 ids into requests of at most 100", T, async () => {
    const tg = client();
    const a = await tg.submit({ query: "getMany batch a" });
    const b = await tg.submit({ query: "getMany batch b" });
    const unknown = Array.from({ length: 148 }, (_, i) => `task_0000000000000000000000${String(i).padStart(4, "0")}`);
    const ids = [a.task_id, ...unknown.slice(0, 120), b.task_id, ...unknown.slice(120)];

    const { fetch, requests } = recordingFetch();
    const tasks = await client({ fetch }).getMany(ids);
    assert.equal(requests.length, 2);
    assert.deepEqual(requests.map((r) => r.url.searchParams.get("ids")!.split(",").length), [100, 50]);
    assert.deepEqual(tasks.map((t) => t.task_id).sort(), [a.task_id, b.task_id].sort());
  });
});
