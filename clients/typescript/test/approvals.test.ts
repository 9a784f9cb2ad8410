/**
 * Pause, resume, approvals and tenant settings against the running app. The built-in model asks
 * for the calculator for arithmetic in STANDARD mode (docs/approvals.md).
 */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { BadRequestError, ConflictError, NotFoundError, type Approval, type Taskgate, type Task } from "../src/index.js";
import { client, otherClient, slow, uniqueSession } from "./helpers.js";

const T = { timeout: 120_000 };
const QUERY = "What is 17 * 23?";

async function collect<T>(items: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of items) {
    out.push(item);
  }
  return out;
}

async function untilPaused(tg: Taskgate, id: string, timeoutMs = 60_000): Promise<Task> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const task = await tg.get(id);
    if (task.status === "TASK_STATUS_PAUSED" && task.pause) {
      return task;
    }
    assert.ok(!["TASK_STATUS_COMPLETED", "TASK_STATUS_FAILED", "TASK_STATUS_CANCELLED", "TASK_STATUS_TIMEOUT"].includes(task.status),
      `${id} ended as ${task.status} before pausing`);
    assert.ok(Date.now() < deadline, `${id} did not pause in time`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

describe("approvals", () => {
  it("a calculator call waits for approval, announced on the stream; approving runs it", T, async () => {
    const tg = client();
    const task = await tg.submit({ query: QUERY, mode: "standard", sessionId: uniqueSession("approve"), requireApproval: ["calculator"], approvalTimeoutSeconds: 600 });
    assert.deepEqual(task.require_approval, ["calculator"]);
    let approvalId = "";
    for await (const event of tg.stream(task.task_id)) {
      if (event.type === "APPROVAL_REQUESTED") {
        assert.equal(event.data?.tool, "calculator");
        approvalId = String(event.data?.approval_id);
        break;
      }
    }
    const paused = await untilPaused(tg, task.task_id);
    assert.equal(paused.pause?.reason, "Waiting for approval to run calculator");
    const pending = paused.pause?.pending_approvals ?? [];
    assert.equal(pending.length, 1);
    const approval = pending[0] as Approval;
    assert.equal(approval.approval_id, approvalId);
    assert.equal(approval.status, "APPROVAL_STATUS_PENDING");
    assert.deepEqual(JSON.parse(approval.arguments), { expression: "17 * 23" });

    const inbox = await collect(tg.approvals());
    assert.ok(inbox.some((a) => a.approval_id === approvalId));
    assert.ok(inbox.every((a) => a.status === "APPROVAL_STATUS_PENDING"));

    const decided = await tg.approve(task.task_id, approvalId, { feedback: "fine" });
    assert.equal(decided.status, "APPROVAL_STATUS_APPROVED");
    assert.equal(decided.feedback, "fine");
    const done = await tg.wait(task.task_id, { timeoutMs: 60_000 });
    assert.equal(done.status, "TASK_STATUS_COMPLETED");
    assert.match(done.result ?? "", /17 \* 23 = 391/);
    await assert.rejects(tg.refuse(task.task_id, approvalId), ConflictError);

    const types = (await tg.events(task.task_id)).map((e) => e.type);
    const order = ["APPROVAL_REQUESTED", "TASK_PAUSED", "APPROVAL_DECIDED", "TASK_RESUMED", "TOOL_INVOKED", "TASK_COMPLETED"];
    assert.deepEqual(types.filter((t) => order.includes(t)), order);
    const approved = await collect(tg.approvals({ status: "APPROVAL_STATUS_APPROVED", taskId: task.task_id }));
    assert.deepEqual(approved.map((a) => a.approval_id), [approvalId]);
  });

  it("refusing tells the model, with the feedback, and the tool never runs", T, async () => {
    const tg = client();
    const task = await tg.submit({ query: QUERY, mode: "standard", requireApproval: ["*"] });
    const approval = (await untilPaused(tg, task.task_id)).pause!.pending_approvals![0]!;
    const refused = await tg.decide(task.task_id, approval.approval_id, false, { feedback: "use the spreadsheet instead" });
    assert.equal(refused.status, "APPROVAL_STATUS_REFUSED");
    assert.equal(refused.feedback, "use the spreadsheet instead");
    const done = await tg.wait(task.task_id, { timeoutMs: 60_000 });
    assert.match(done.result ?? "", /I could not compute 17 \* 23/);
    assert.ok(!(await tg.events(task.task_id)).some((e) => e.type === "TOOL_INVOKED"));
  });

  it("pages through the inbox; cancelled tasks' approvals expire", T, async () => {
    const tg = client();
    const tasks = await Promise.all([1, 2, 3].map(() => tg.submit({ query: QUERY, mode: "standard", requireApproval: ["calculator"] })));
    const ids: string[] = [];
    try {
      for (const t of tasks) {
        ids.push((await untilPaused(tg, t.task_id)).pause!.pending_approvals![0]!.approval_id);
      }
      const seen = (await collect(tg.approvals({ limit: 1 }))).map((a) => a.approval_id);
      assert.ok(ids.every((id) => seen.includes(id)));
      assert.equal(new Set(seen).size, seen.length);
      const page = await tg.approvalsPage({ limit: 1 });
      assert.equal(page.approvals.length, 1);
      assert.ok(page.next_page_token);
    } finally {
      for (const t of tasks) {
        await tg.cancel(t.task_id);
      }
    }
    const expired = (await collect(tg.approvals({ status: "expired" }))).map((a) => a.approval_id);
    assert.ok(ids.every((id) => expired.includes(id)));
  });

  it("another tenant sees none of it; unknown tools and approvals are errors", T, async () => {
    const tg = client();
    await assert.rejects(tg.submit({ query: "q", requireApproval: ["calculater"] }), (e: unknown) =>
      e instanceof BadRequestError && /require_approval: unknown tool/.test(e.message));
    const task = await tg.submit({ query: QUERY, mode: "standard", requireApproval: ["calculator"] });
    const approval = (await untilPaused(tg, task.task_id)).pause!.pending_approvals![0]!;
    try {
      const other = otherClient();
      await assert.rejects(other.pause(task.task_id), NotFoundError);
      await assert.rejects(other.approve(task.task_id, approval.approval_id), NotFoundError);
      assert.ok(!(await collect(other.approvals())).some((a) => a.approval_id === approval.approval_id));
      await assert.rejects(tg.approve(task.task_id, "apr_01KBDX3Y9K8M2P4N5S7T9W2V"), NotFoundError);
    } finally {
      await tg.cancel(task.task_id);
    }
  });
});

describe("pause and resume", () => {
  it("pauses at a step boundary, keeps the first reason, resumes and completes", T, async () => {
    const tg = client();
    const sessionId = uniqueSession("pause");
    const task = await tg.submit({ query: QUERY, mode: "standard", sessionId, context: slow(1000) });
    const paused = await tg.pause(task.task_id, { reason: "checking the budget" });
    assert.equal(paused.status, "TASK_STATUS_PAUSED");
    assert.equal(paused.pause?.reason, "checking the budget");
    assert.match(paused.pause?.since ?? "", /^\d{4}-\d\d-\d\dT/);
    assert.equal((await tg.pause(task.task_id, { reason: "again" })).pause?.reason, "checking the budget");
    const listed = await collect(tg.list({ status: "paused", sessionId }));
    assert.deepEqual(listed.map((t) => t.task_id), [task.task_id]);
    await new Promise((r) => setTimeout(r, 2000));
    assert.equal((await tg.get(task.task_id)).status, "TASK_STATUS_PAUSED");
    const resumed = await tg.resume(task.task_id);
    assert.equal(resumed.status, "TASK_STATUS_RUNNING");
    assert.equal(resumed.pause, undefined);
    const done = await tg.wait(task.task_id, { timeoutMs: 60_000 });
    assert.match(done.result ?? "", /391/);
    const types = (await tg.events(task.task_id)).map((e) => e.type);
    assert.ok(types.indexOf("TASK_PAUSED") < types.indexOf("TASK_RESUMED"));
    await assert.rejects(tg.pause(task.task_id), ConflictError);
    await assert.rejects(tg.resume(task.task_id), ConflictError);
  });
});

describe("settings", () => {
  it("a tenant default applies to tasks that name no tools of their own", T, async () => {
    // The second tenant's settings, so that the first tenant's other tests are not affected.
    const tg = otherClient();
    const before = await tg.getSettings();
    assert.ok(Array.isArray(before.require_approval));
    try {
      assert.deepEqual((await tg.updateSettings({ requireApproval: ["calculator"] })).require_approval, ["calculator"]);
      assert.deepEqual((await tg.getSettings()).require_approval, ["calculator"]);
      const task = await tg.submit({ query: QUERY, mode: "standard" });
      assert.deepEqual(task.require_approval, ["calculator"]);
      const approval = (await untilPaused(tg, task.task_id)).pause!.pending_approvals![0]!;
      await tg.approve(task.task_id, approval.approval_id);
      assert.equal((await tg.wait(task.task_id, { timeoutMs: 60_000 })).status, "TASK_STATUS_COMPLETED");
      const optedOut = await tg.submit({ query: QUERY, mode: "standard", requireApproval: [] });
      assert.equal((await tg.wait(optedOut.task_id, { timeoutMs: 60_000 })).status, "TASK_STATUS_COMPLETED");
    } finally {
      await tg.updateSettings({ requireApproval: before.require_approval });
    }
    await assert.rejects(tg.updateSettings({ requireApproval: ["calculater"] }), BadRequestError);
  });
});
