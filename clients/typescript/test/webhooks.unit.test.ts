/**
 * verifyWebhook / signWebhook without a server. The reference vector was produced by the npm
 * package `standardwebhooks` 1.3.0: `new Webhook(SECRET).sign(MSG_ID, new Date(TS * 1000), BODY)`;
 * the other is computed here with node:crypto straight from the scheme's definition.
 */
import assert from "node:assert/strict";
import { createHmac } from "node:crypto";
import { describe, it } from "node:test";
import { TaskgateError, WebhookVerificationError, signWebhook, verifyWebhook } from "../src/index.js";

const SECRET = "whsec_MfKQ9r8GKYqrTwjUPD8ILPZIo2LaLaSw";
const MSG_ID = "msg_2KWPBgLlAfxdpx2AI54pPJ85f4W";
const TS = 1700000000;
const BODY = '{"type":"task.completed","data":{"task_id":"task_01KBDX3XQ1ZJ7V6M2C8G4H5N0R","status":"TASK_STATUS_COMPLETED"}}';
const REFERENCE_SIGNATURE = "v1,ZpCODlLNUL6+GiwyC1ARprkNz4KjBBrUv1Dy5t1nMM8=";
const AT = { now: TS * 1000 };

const headers = (signature: string, id = MSG_ID, ts = TS): Record<string, string> => ({
  "webhook-id": id,
  "webhook-timestamp": String(ts),
  "webhook-signature": signature,
});

async function rejects(promise: Promise<unknown>, message: RegExp): Promise<void> {
  await assert.rejects(promise, (error: unknown) => {
    assert.ok(error instanceof WebhookVerificationError, String(error));
    assert.ok(error instanceof TaskgateError);
    assert.match((error as Error).message, message);
    return true;
  });
}

describe("verifyWebhook", () => {
  it("agrees with the scheme's definition, computed with node:crypto", async () => {
    const key = Buffer.from(SECRET.slice("whsec_".length), "base64");
    const expected = `v1,${createHmac("sha256", key).update(`${MSG_ID}.${TS}.${BODY}`).digest("base64")}`;
    assert.equal(await signWebhook(SECRET, MSG_ID, TS, BODY), expected);
    const event = (await verifyWebhook(SECRET, headers(expected), BODY, AT)) as { data: { status: string } };
    assert.equal(event.data.status, "TASK_STATUS_COMPLETED");
  });

  it("accepts the reference implementation's signature", async () => {
    assert.equal(await signWebhook(SECRET, MSG_ID, TS, BODY), REFERENCE_SIGNATURE);
    const event = await verifyWebhook(SECRET, headers(REFERENCE_SIGNATURE), new TextEncoder().encode(BODY), { now: (TS + 299) * 1000 });
    assert.deepEqual(event, {
      type: "task.completed",
      data: { task_id: "task_01KBDX3XQ1ZJ7V6M2C8G4H5N0R", status: "TASK_STATUS_COMPLETED" },
    });
  });

  it("reads Headers, objects with names in any case, and pairs; one matching signature of several is enough", async () => {
    const listed = `v1,bm90IGl0 v2,whatever ${REFERENCE_SIGNATURE}`;
    await verifyWebhook(SECRET, new Headers(headers(listed)), BODY, AT);
    const upper = Object.fromEntries(Object.entries(headers(REFERENCE_SIGNATURE)).map(([k, v]) => [k.toUpperCase(), [v]]));
    await verifyWebhook(SECRET, upper, BODY, AT);
    await verifyWebhook(SECRET, Object.entries(headers(REFERENCE_SIGNATURE)), BODY, AT);
  });

  it("uses the current time by default", async () => {
    const now = Math.floor(Date.now() / 1000);
    const signature = await signWebhook(SECRET, MSG_ID, now, BODY);
    await verifyWebhook(SECRET, headers(signature, MSG_ID, now), BODY);
  });

  it("refuses any change of body, id, timestamp, secret or signature", async () => {
    await rejects(verifyWebhook(SECRET, headers(REFERENCE_SIGNATURE), BODY.replace("COMPLETED", "FAILED"), AT), /No matching signature/);
    await rejects(verifyWebhook(SECRET, headers(REFERENCE_SIGNATURE, "msg_other"), BODY, AT), /No matching signature/);
    await rejects(verifyWebhook(SECRET, headers(REFERENCE_SIGNATURE, MSG_ID, TS + 1), BODY, AT), /No matching signature/);
    const other = `whsec_${Buffer.from("another secret of 24 byt").toString("base64")}`;
    await rejects(verifyWebhook(other, headers(REFERENCE_SIGNATURE), BODY, AT), /No matching signature/);
    await rejects(verifyWebhook(SECRET, headers(`v1,${Buffer.alloc(32).toString("base64")}`), BODY, AT), /No matching signature/);
    await rejects(verifyWebhook(SECRET, headers(`v2,${REFERENCE_SIGNATURE.slice(3)}`), BODY, AT), /No matching signature/);
  });

  it("enforces the timestamp tolerance", async () => {
    await rejects(verifyWebhook(SECRET, headers(REFERENCE_SIGNATURE), BODY, { now: (TS + 301) * 1000 }), /too old/);
    await rejects(verifyWebhook(SECRET, headers(REFERENCE_SIGNATURE), BODY, { now: (TS - 301) * 1000 }), /too new/);
    await verifyWebhook(SECRET, headers(REFERENCE_SIGNATURE), BODY, { now: (TS + 3000) * 1000, toleranceSeconds: 3600 });
    await rejects(verifyWebhook(SECRET, { ...headers(REFERENCE_SIGNATURE), "webhook-timestamp": "yesterday" }, BODY, AT), /not a number/);
  });

  it("names missing headers and refuses a secret that is not base64", async () => {
    await rejects(verifyWebhook(SECRET, { "webhook-timestamp": String(TS) }, BODY, AT), /webhook-id, webhook-signature/);
    await assert.rejects(verifyWebhook("whsec_not base64!", headers(REFERENCE_SIGNATURE), BODY, AT), TypeError);
  });
});
