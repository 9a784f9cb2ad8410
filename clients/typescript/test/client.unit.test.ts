/** Client behaviour that needs no server: configuration, key hiding, error mapping, Retry-After. */
import assert from "node:assert/strict";
import { describe, it } from "node:test";
import { inspect } from "node:util";
import {
  BadRequestError,
  ConflictError,
  NotFoundError,
  PayloadTooLargeError,
  RateLimitedError,
  ServerError,
  ServiceUnavailableError,
  Taskgate,
  TaskgateError,
  UnauthorizedError,
  UnprocessableEntityError,
  errorFromResponse,
  randomKey,
} from "../src/index.js";
import { retryAfterSeconds, retryDelay } from "../src/http.js";

describe("configuration", () => {
  it("defaults to http://localhost:8080 when neither the option nor TASKGATE_URL is set", () => {
    const saved = process.env.TASKGATE_URL;
    try {
      delete process.env.TASKGATE_URL;
      assert.equal(new Taskgate().baseUrl, "http://localhost:8080");
      assert.equal(new Taskgate({ baseUrl: "http://a:1/" }).baseUrl, "http://a:1");
    } finally {
      if (saved !== undefined) {
        process.env.TASKGATE_URL = saved;
      }
    }
  });

  it("never shows the API key in JSON.stringify, util.inspect, String or its own keys", () => {
    const secret = "sk_secret_do_not_print_42";
    const client = new Taskgate({ baseUrl: "http://localhost:1", apiKey: secret });
    for (const text of [JSON.stringify(client), inspect(client, { showHidden: true, depth: 10 }), String(client), Object.keys(client).join()]) {
      assert.ok(!text.includes(secret), text);
    }
    assert.ok(inspect(client).includes("localhost:1"));
  });

  it("generates UUID idempotency keys", () => {
    const keys = new Set(Array.from({ length: 50 }, randomKey));
    assert.equal(keys.size, 50);
    for (const key of keys) {
      assert.match(key, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
  });
});

describe("errors", () => {
  it("maps statuses to typed errors with the server's message", () => {
    const cases: [number, new (...args: never[]) => TaskgateError][] = [
      [400, BadRequestError],
      [401, UnauthorizedError],
      [404, NotFoundError],
      [409, ConflictError],
      [413, PayloadTooLargeError],
      [422, UnprocessableEntityError],
      [429, RateLimitedError],
      [503, ServiceUnavailableError],
      [500, ServerError],
      [502, ServerError],
    ];
    for (const [status, type] of cases) {
      const error = errorFromResponse(status, { error: `message ${status}` }, 3);
      assert.ok(error instanceof type, `${status} -> ${error.name}`);
      assert.ok(error instanceof TaskgateError);
      assert.equal(error.status, status);
      assert.equal(error.message, `message ${status}`);
      assert.equal(error.name, type.name);
    }
    assert.ok(errorFromResponse(503, {}, undefined) instanceof ServerError);
    assert.equal((errorFromResponse(429, {}, 7) as RateLimitedError).retryAfter, 7);
    const odd = errorFromResponse(415, "<html>", undefined);
    assert.equal(odd.constructor, TaskgateError);
    assert.equal(odd.message, "HTTP 415");
  });

  it("retries 429/503 after Retry-After, connection failures only when idempotent, others never", () => {
    assert.equal(retryDelay(errorFromResponse(429, {}, 2), 0, false), 2000);
    assert.equal(retryDelay(errorFromResponse(503, {}, 1), 0, false), 1000);
    assert.equal(retryDelay(errorFromResponse(429, {}, 3600), 0, true), undefined);
    assert.equal(retryDelay(errorFromResponse(500, {}, undefined), 0, true), undefined);
    assert.equal(retryDelay(errorFromResponse(404, {}, undefined), 0, true), undefined);
    const delays = [0, 1, 2, 3, 10].map((attempt) => retryDelay(errorFromResponse(429, {}, undefined), attempt, false)!);
    assert.ok(delays[0]! >= 250 && delays[0]! <= 500, String(delays));
    assert.ok(delays[4]! <= 8000, String(delays));
  });

  it("reads Retry-After as seconds or an HTTP date", () => {
    assert.equal(retryAfterSeconds(new Headers({ "Retry-After": "5" })), 5);
    assert.equal(retryAfterSeconds(new Headers()), undefined);
    const inTenSeconds = new Date(Date.now() + 10_000).toUTCString();
    const fromDate = retryAfterSeconds(new Headers({ "Retry-After": inTenSeconds }))!;
    assert.ok(fromDate >= 9 && fromDate <= 11, String(fromDate));
  });
});
