/** 429 answers from the app's real limiter: the typed error, and the client's own retry after Retry-After. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { RateLimitedError, Taskgate, UnauthorizedError, randomKey } from "../src/index.js";
import { BASE_URL, recordingFetch } from "./helpers.js";

describe("rate limits", () => {
  // An unknown key has a bucket of its own (keyed by its hash), so this leaves the test keys alone.
  it("raises RateLimitedError with retryAfter, and retries by itself honouring Retry-After", { timeout: 120_000 }, async () => {
    const probeKey = `sk_rate_probe_${randomKey()}`;
    const noRetry = new Taskgate({ baseUrl: BASE_URL, apiKey: probeKey, maxRetries: 0 });
    const outcomes = await Promise.allSettled(Array.from({ length: 130 }, () => noRetry.get("task_00000000000000000000000000")));
    const errors = outcomes.map((o) => (o.status === "rejected" ? o.reason : undefined));
    const limited = errors.filter((e): e is RateLimitedError => e instanceof RateLimitedError);
    assert.ok(errors.every((e) => e instanceof RateLimitedError || e instanceof UnauthorizedError), String(errors.find((e) => !(e instanceof RateLimitedError || e instanceof UnauthorizedError))));
    assert.ok(limited.length >= 10, `${limited.length} of 130 limited`);
    assert.equal(limited[0]!.status, 429);
    assert.ok((limited[0]!.retryAfter ?? 0) >= 1, String(limited[0]!.retryAfter));
    assert.match(limited[0]!.message, /^Rate limit exceeded/);

    const { fetch, requests } = recordingFetch();
    const retrying = new Taskgate({ baseUrl: BASE_URL, apiKey: probeKey, maxRetries: 4, fetch });
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => retrying.get("task_00000000000000000000000000")));
    for (const result of results) {
      assert.equal(result.status, "rejected");
      assert.ok(result.reason instanceof UnauthorizedError, String(result.reason)); // got through the limiter
    }
    assert.ok(requests.some((r) => r.status === 429), "at least one request was limited and retried");
  });
});
