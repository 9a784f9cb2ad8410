/** 429 answers from the app's real limiter: the typed error, and the client's own retry after Retry-After. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RateLimitedError, Taskgate, UnauthorizedError, randomKey } from "../src/index.js";
import { BASE_URL, recordingFetch } from "./helpers.js";

const UNKNOWN_TASK = "task_00000000000000000000000000";

/** `count` requests at once; the errors they end with. */
async function burst(client: Taskgate, count: number): Promise<unknown[]> {
  const outcomes = await Promise.allSettled(Array.from({ length: count }, () => client.get(UNKNOWN_TASK)));
  return outcomes.map((o) => (o.status === "rejected" ? o.reason : undefined));
}

describe("rate limits", () => {
  // An unknown key has a bucket of its own (keyed by its hash), so this leaves the test keys alone.
  // Every request it makes is answered 401 once it gets through the limiter.
  it("raises RateLimitedError with retryAfter, and retries by itself honouring Retry-After", { timeout: 120_000 }, async () => {
    const probeKey = `sk_rate_probe_${randomKey()}`;
    const noRetry = new Taskgate({ baseUrl: BASE_URL, apiKey: probeKey, maxRetries: 0 });

    // Bursts over the bucket's size (100 by default) until the limiter answers 429.
    let limited: RateLimitedError[] = [];
    for (let round = 0; round < 5 && limited.length === 0; round++) {
      const errors = await burst(noRetry, 150);
      const other = errors.find((e) => !(e instanceof RateLimitedError || e instanceof UnauthorizedError));
      assert.equal(other, undefined, String(other));
      limited = errors.filter((e): e is RateLimitedError => e instanceof RateLimitedError);
    }
    assert.ok(limited.length >= 1, "no 429 after 5 bursts of 150 requests");
    assert.equal(limited[0]!.status, 429);
    assert.ok((limited[0]!.retryAfter ?? 0) >= 1, String(limited[0]!.retryAfter));
    assert.match(limited[0]!.message, /^Rate limit exceeded/);

    // A retrying client while the bucket is empty: it is limited too, waits Retry-After and gets
    // through. Requests with an unknown key share the client address's small unauthenticated
    // bucket (30 at once, 120 a minute by default), so only a few requests compete for it.
    const { fetch, requests } = recordingFetch();
    const retrying = new Taskgate({ baseUrl: BASE_URL, apiKey: probeKey, maxRetries: 8, fetch });
    const [, results] = await Promise.all([
      burst(noRetry, 10),
      Promise.allSettled(Array.from({ length: 3 }, () => retrying.get(UNKNOWN_TASK))),
    ]);
    for (const result of results) {
      assert.equal(result.status, "rejected");
      assert.ok(result.reason instanceof UnauthorizedError, String(result.reason)); // through the limiter
    }
    assert.ok(requests.some((r) => r.status === 429), "at least one request was limited and retried");
    assert.ok(requests.length > 3);
  });
});
