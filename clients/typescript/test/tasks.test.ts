/** Submit, get, wait, cancel, idempotency, typed errors and tenant isolation against the running app. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  Taskgate,
  UnauthorizedError,
  UnprocessableEntityError,
  WaitTimeoutError,
  randomKey,
  type Task,
} from "../src/index.js";
import { API_KEY, BASE_URL, client, otherClient, recordingFetch, slow, uniqueSession } from "./helpers.js";

const T = { timeout: 120_000 };
const TASK_ID = /^task_[0-9A-HJKMNP-TV-Z]{26}$/;

describe("submit, get and wait", () => {
  it("submits a task, waits for it and reads it back with the documented fields", T, async () => {
    const tg = client();
    const sessionId = uniqueSession("basic");
    const queued = await tg.submit({ query: "What is the capital of France?", sessionId, mode: "simple" });
    assert.match(queued.task_id, TASK_ID);
    assert.equal(queued.status, "TASK_STATUS_QUEUED");
    assert.equal(queued.mode, "EXECUTION_MODE_SIMPLE");
    assert.equal(queued.session_id, sessionId);
    assert.equal(queued.query, "What is the capital of France?");
    assert.equal(queued.error, "");
    assert.equal(queued.response, null);
    assert.match(queued.created_at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);

    const done = await tg.wait(queued.task_id, { timeoutMs: 90_000 });
    assert.equal(done.status, "TASK_STATUS_COMPLETED");
    assert.match(done.result ?? "", /local model/);
    assert.equal(typeof done.response?.result, "string");
    assert.equal(done.model_used, "taskgate-local-1");
    assert.equal(done.provider, "local");
    assert.ok((done.usage?.total_tokens ?? 0) > 0);

    assert.deepEqual(await tg.get(queued.task_id), done);
  });

  it("passes mode, context, timeout and a JSON result through", T, async () => {
    const tg = client();
    const task = await tg.submit({
      query: "Capital of France as JSON",
      mode: "EXECUTION_MODE_STANDARD",
      timeoutSeconds: 120,
      context: { simulate: { result: '{"answer": "Paris"}' } },
    });
    assert.equal(task.mode, "EXECUTION_MODE_STANDARD");
    const done = await tg.wait(task.task_id, { timeoutMs: 60_000 });
    assert.equal(done.status, "TASK_STATUS_COMPLETED");
    assert.deepEqual(done.response, { answer: "Paris" });
  });

  it("reports failed and timed-out tasks as terminal", T, async () => {
    const tg = client();
    const failing = await tg.submit({ query: "Hi", context: { simulate: { error: "LLM service unavailable: connection timeout" } } });
    const late = await tg.submit({ query: "Hi", timeoutSeconds: 2, context: slow(10_000) });
    const failed = await tg.wait(failing.task_id, { timeoutMs: 60_000 });
    assert.equal(failed.status, "TASK_STATUS_FAILED");
    assert.equal(failed.error, "LLM service unavailable: connection timeout");
    const timedOut = await tg.wait(late.task_id, { timeoutMs: 60_000 });
    assert.equal(timedOut.status, "TASK_STATUS_TIMEOUT");
    assert.match(timedOut.error, /timeout of 2 seconds/);
  });

  it("waits with long polls (?wait= and If-None-Match), one request per change, not a sleep loop", T, async () => {
    const { fetch, requests } = recordingFetch();
    const tg = client({ fetch });
    const task = await tg.submit({ query: "Summarise this report", context: slow(3_000) });
    requests.length = 0;
    const started = Date.now();
    const done = await tg.wait(task.task_id, { timeoutMs: 60_000 });
    assert.equal(done.status, "TASK_STATUS_COMPLETED");
    assert.ok(Date.now() - started >= 2_500);
    // One read, then long polls: QUEUED -> RUNNING -> COMPLETED is at most one answer per change.
    assert.ok(requests.length >= 2 && requests.length <= 4, `${requests.length} requests`);
    for (const request of requests) {
      assert.equal(request.url.pathname, `/api/v1/tasks/${task.task_id}`);
    }
    assert.equal(requests[0]!.url.searchParams.get("wait"), null);
    for (const request of requests.slice(1)) {
      assert.ok(Number(request.url.searchParams.get("wait")) >= 1, request.url.search);
      assert.match(request.headers.get("If-None-Match") ?? "", /^".+"$/);
    }
  });

  it("wait gives up after timeoutMs with WaitTimeoutError holding the last task", T, async () => {
    const tg = client();
    const task = await tg.submit({ query: "Long job", context: slow(30_000) });
    try {
      const started = Date.now();
      const error = await tg.wait(task.task_id, { timeoutMs: 2_000 }).catch((e: unknown) => e);
      assert.ok(error instanceof WaitTimeoutError, String(error));
      assert.ok(Date.now() - started < 5_000, `${Date.now() - started} ms`);
      assert.equal(error.task?.task_id, task.task_id);
    } finally {
      await tg.cancel(task.task_id);
    }
  });

  it("an AbortSignal cancels a wait at once", T, async () => {
    const tg = client();
    const task = await tg.submit({ query: "Long job", context: slow(30_000) });
    try {
      const controller = new AbortController();
      const started = Date.now();
      setTimeout(() => controller.abort(), 500);
      await assert.rejects(tg.wait(task.task_id, { signal: controller.signal }), { name: "AbortError" });
      assert.ok(Date.now() - started < 3_000, `${Date.now() - started} ms`);
      const reason = new Error("stop now");
      await assert.rejects(tg.get(task.task_id, { signal: AbortSignal.abort(reason) }), reason);
    } finally {
      await tg.cancel(task.task_id);
    }
  });
});

describe("idempotency", () => {
  it("the same Idempotency-Key answers the same task; another body with it is a 422", T, async () => {
    const tg = client();
    const key = randomKey();
    const first = await tg.submit({ query: "Idempotent question", idempotencyKey: key });
    const second = await tg.submit({ query: "Idempotent question", idempotencyKey: key });
    assert.equal(second.task_id, first.task_id);
    const error = await tg.submit({ query: "Another question", idempotencyKey: key }).catch((e: unknown) => e);
    assert.ok(error instanceof UnprocessableEntityError, String(error));
    assert.equal(error.status, 422);
    assert.match(error.message, /Idempotency-Key was already used/);
  });

  it("sends a fresh UUID Idempotency-Key on every submit that has none", T, async () => {
    const { fetch, requests } = recordingFetch();
    const tg = client({ fetch });
    const a = await tg.submit({ query: "Key one" });
    const b = await tg.submit({ query: "Key one" });
    assert.notEqual(a.task_id, b.task_id);
    const keys = requests.map((r) => r.headers.get("Idempotency-Key"));
    assert.equal(keys.length, 2);
    assert.notEqual(keys[0], keys[1]);
    for (const key of keys) {
      assert.match(key ?? "", /^[0-9a-f-]{36}$/);
    }
  });
});

describe("cancel", () => {
  it("cancels a slow task with a reason; cancelling again is harmless; a finished task is a 409", T, async () => {
    const tg = client();
    const task = await tg.submit({ query: "Long job", context: slow(30_000) });
    const result = await tg.cancel(task.task_id, { reason: "no longer needed" });
    assert.deepEqual(
      { success: result.success, task_id: result.task_id, status: result.status },
      { success: true, task_id: task.task_id, status: "TASK_STATUS_CANCELLED" },
    );
    assert.equal((await tg.cancel(task.task_id)).message, "Task already cancelled");
    const cancelled = await tg.wait(task.task_id, { timeoutMs: 10_000 });
    assert.equal(cancelled.status, "TASK_STATUS_CANCELLED");
    assert.equal(cancelled.error, "Task cancelled by user: no longer needed");

    const quick = await tg.submit({ query: "Quick one" });
    await tg.wait(quick.task_id, { timeoutMs: 60_000 });
    const error = await tg.cancel(quick.task_id).catch((e: unknown) => e);
    assert.ok(error instanceof ConflictError, String(error));
    assert.equal(error.status, 409);
    assert.equal(error.message, "Task has already completed and cannot be cancelled");
  });
});

describe("typed errors", () => {
  it("maps 401, 404, 400 and 413 answers to their errors with the server's message", T, async () => {
    const tg = client();
    const unauthorized = await new Taskgate({ baseUrl: BASE_URL, apiKey: "sk_wrong_key" }).get("task_01M8T8JCV8HKKJBN1Q1KMQ33YK").catch((e: unknown) => e);
    assert.ok(unauthorized instanceof UnauthorizedError, String(unauthorized));
    assert.deepEqual([unauthorized.status, unauthorized.message], [401, "Unauthorized"]);

    const missing = await tg.get("task_00000000000000000000000000").catch((e: unknown) => e);
    assert.ok(missing instanceof NotFoundError, String(missing));
    assert.deepEqual([missing.status, missing.message], [404, "Task not found"]);
    await assert.rejects(tg.session(uniqueSession("missing")), { name: "NotFoundError", message: "Session not found" });

    for (const params of [{ query: "  " }, { query: "Hi", mode: "bogus" }, { query: "Hi", timeoutSeconds: 0 }, { query: "Hi", sessionId: "bad id!" }]) {
      const bad = await tg.submit(params).catch((e: unknown) => e);
      assert.ok(bad instanceof BadRequestError, `${JSON.stringify(params)}: ${String(bad)}`);
      assert.equal(bad.status, 400);
      assert.ok(bad.message.length > 0);
    }
    await assert.rejects(tg.listPage({ limit: 1000 }), BadRequestError);

    const tooLarge = await tg.submit({ query: "x".repeat(40_000) }).catch((e: unknown) => e);
    assert.ok(tooLarge instanceof PayloadTooLargeError, String(tooLarge));
    assert.equal(tooLarge.status, 413);
  });

  it("reads TASKGATE_URL and TASKGATE_API_KEY from the environment", T, async () => {
    const saved = { url: process.env.TASKGATE_URL, key: process.env.TASKGATE_API_KEY };
    try {
      process.env.TASKGATE_URL = BASE_URL;
      process.env.TASKGATE_API_KEY = API_KEY;
      const page = await new Taskgate().listPage({ limit: 1 });
      assert.ok(Array.isArray(page.tasks));
      process.env.TASKGATE_API_KEY = "sk_not_a_key";
      await assert.rejects(new Taskgate().listPage({ limit: 1 }), UnauthorizedError);
    } finally {
      for (const [name, value] of [["TASKGATE_URL", saved.url], ["TASKGATE_API_KEY", saved.key]] as const) {
        if (value === undefined) {
          delete process.env[name];
        } else {
          process.env[name] = value;
        }
      }
    }
  });
});

describe("tenant isolation", () => {
  it("another tenant's key sees NotFound for the task, its events, stream, cancel and session", T, async () => {
    const tg = client();
    const other = otherClient();
    const sessionId = uniqueSession("isolation");
    const task = await tg.submit({ query: "Private question", sessionId });
    await tg.wait(task.task_id, { timeoutMs: 60_000 });

    await assert.rejects(other.get(task.task_id), NotFoundError);
    await assert.rejects(other.wait(task.task_id, { timeoutMs: 5_000 }), NotFoundError);
    await assert.rejects(other.cancel(task.task_id), NotFoundError);
    await assert.rejects(other.events(task.task_id), NotFoundError);
    await assert.rejects(other.session(sessionId), NotFoundError);
    const stream = other.stream(task.task_id);
    await assert.rejects(stream.next(), NotFoundError);

    const seen: Task[] = [];
    for await (const t of other.list({ sessionId })) {
      seen.push(t);
    }
    assert.deepEqual(seen, []);
    assert.equal((await tg.get(task.task_id)).task_id, task.task_id);
  });
});
