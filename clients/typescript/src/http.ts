/**
 * The HTTP layer under every endpoint method: URL building, the API key header, per-request
 * timeouts, AbortSignal linking, error mapping and bounded retries. It uses only `fetch`,
 * `AbortController`, `Headers`, timers and `TextDecoder`, so it runs in browsers and on Node 18+.
 */
import { ConnectionError, RateLimitedError, ServiceUnavailableError, TaskgateError, errorFromResponse } from "./errors.js";

export type FetchLike = (input: string, init?: RequestInit) => Promise<Response>;

export type QueryValue = string | number | boolean | Date | readonly string[] | undefined | null;

export interface HttpRequest {
  method: "GET" | "POST" | "PUT" | "PATCH" | "DELETE";
  /** Path below the base URL, already encoded, e.g. `/api/v1/tasks/task_01...`. */
  path: string;
  query?: Record<string, QueryValue>;
  /** Sent as JSON when defined. */
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
  /**
   * Whether repeating the request is harmless. Network failures and timeouts are retried only for
   * idempotent requests; 429 and 503 answers (the request was not carried out) always are.
   */
  idempotent: boolean;
  /** Overrides the client's per-request timeout. */
  timeoutMs?: number;
  /** Non-2xx statuses that are answers rather than errors (e.g. 304). */
  acceptStatuses?: readonly number[];
}

export interface HttpResponse<T = unknown> {
  status: number;
  headers: Headers;
  /** Parsed JSON; `undefined` when the answer had no body. */
  body: T;
}

export interface TransportOptions {
  apiKey: string | undefined;
  baseUrl: string;
  timeoutMs: number;
  maxRetries: number;
  fetch: FetchLike;
}

/** Longest `Retry-After` the client waits for by itself; a longer one is raised to the caller. */
export const MAX_RETRY_AFTER_MS = 60_000;
const BACKOFF_INITIAL_MS = 500;
const BACKOFF_MAX_MS = 8_000;

export class Transport {
  readonly baseUrl: string;
  readonly timeoutMs: number;
  readonly maxRetries: number;
  readonly #apiKey: string | undefined;
  readonly #fetch: FetchLike;

  constructor(options: TransportOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, "");
    this.timeoutMs = options.timeoutMs;
    this.maxRetries = options.maxRetries;
    this.#apiKey = options.apiKey;
    this.#fetch = options.fetch;
  }

  url(path: string, query?: Record<string, QueryValue>): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(query ?? {})) {
      if (value === undefined || value === null) {
        continue;
      }
      if (Array.isArray(value)) {
        if (value.length > 0) {
          params.set(name, value.join(","));
        }
      } else if (value instanceof Date) {
        params.set(name, value.toISOString());
      } else {
        params.set(name, String(value));
      }
    }
    const search = params.toString();
    return this.baseUrl + path + (search ? `?${search}` : "");
  }

  headers(extra?: Record<string, string>, json = false): Headers {
    const headers = new Headers({ Accept: "application/json" });
    if (json) {
      headers.set("Content-Type", "application/json");
    }
    if (this.#apiKey) {
      headers.set("X-API-Key", this.#apiKey);
    }
    for (const [name, value] of Object.entries(extra ?? {})) {
      headers.set(name, value);
    }
    return headers;
  }

  /** One request with retries; resolves with the parsed answer or rejects with a typed error. */
  async request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    for (let attempt = 0; ; attempt++) {
      let failure: TaskgateError;
      try {
        return await this.#once<T>(req);
      } catch (error) {
        if (!(error instanceof TaskgateError) || req.signal?.aborted) {
          throw error;
        }
        failure = error;
      }
      const delay = retryDelay(failure, attempt, req.idempotent);
      if (delay === undefined || attempt >= this.maxRetries) {
        throw failure;
      }
      await sleep(delay, req.signal);
    }
  }

  async #once<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    const call = linkSignal(req.signal, req.timeoutMs ?? this.timeoutMs);
    try {
      const hasBody = req.body !== undefined;
      const response = await this.#fetch(this.url(req.path, req.query), {
        method: req.method,
        headers: this.headers(req.headers, hasBody),
        body: hasBody ? JSON.stringify(req.body) : undefined,
        signal: call.signal,
      });
      const text = await response.text();
      const body = parseJson(text);
      if (response.ok || req.acceptStatuses?.includes(response.status)) {
        if (body === INVALID_JSON) {
          throw new TaskgateError(`The answer to ${req.method} ${req.path} is not JSON`, { status: response.status });
        }
        return { status: response.status, headers: response.headers, body: body as T };
      }
      throw errorFromResponse(response.status, body === INVALID_JSON ? text : body, retryAfterSeconds(response.headers));
    } catch (error) {
      throw call.translate(error, `${req.method} ${req.path}`);
    } finally {
      call.done();
    }
  }

  /**
   * Opens a streaming GET. Resolves once the headers of a 2xx answer arrived (the timeout covers
   * only that part); the caller reads `response.body` and must call `close()` when done.
   */
  async open(req: Omit<HttpRequest, "method" | "body" | "idempotent">): Promise<OpenStream> {
    const call = linkSignal(req.signal, req.timeoutMs ?? this.timeoutMs);
    try {
      const response = await this.#fetch(this.url(req.path, req.query), {
        method: "GET",
        headers: this.headers({ Accept: "text/event-stream", ...req.headers }),
        signal: call.signal,
      });
      if (!response.ok) {
        const text = await response.text();
        const body = parseJson(text);
        throw errorFromResponse(response.status, body === INVALID_JSON ? text : body, retryAfterSeconds(response.headers));
      }
      call.stopTimer();
      return {
        response,
        signal: call.signal,
        close: (reason?: unknown) => call.abort(reason),
        translate: (error: unknown) => call.translate(error, `GET ${req.path}`),
      };
    } catch (error) {
      call.done();
      throw call.translate(error, `GET ${req.path}`);
    }
  }
}

export interface OpenStream {
  response: Response;
  /** Aborted when the stream is closed, by `close()` or by the caller's signal. */
  signal: AbortSignal;
  /** Closes the HTTP connection (idempotent). */
  close(reason?: unknown): void;
  /** Maps a read failure to the caller's abort reason or a {@link ConnectionError}. */
  translate(error: unknown): unknown;
}

/**
 * How long to wait before retrying, or `undefined` when the failure is not retried: 429 and 503
 * always (the server did not act on the request), honouring `Retry-After`; connection failures
 * and timeouts only for idempotent requests. Exponential backoff with jitter otherwise.
 */
export function retryDelay(error: TaskgateError, attempt: number, idempotent: boolean): number | undefined {
  if (error instanceof RateLimitedError || error instanceof ServiceUnavailableError) {
    if (error.retryAfter !== undefined) {
      const ms = error.retryAfter * 1000;
      return ms <= MAX_RETRY_AFTER_MS ? Math.max(ms, 50) : undefined;
    }
    return backoff(attempt);
  }
  if (error instanceof ConnectionError && idempotent) {
    return backoff(attempt);
  }
  return undefined;
}

/** Exponential backoff with jitter: about 0.5 s, 1 s, 2 s, ... up to `maxMs`. */
export function backoff(attempt: number, initialMs = BACKOFF_INITIAL_MS, maxMs = BACKOFF_MAX_MS): number {
  const ceiling = Math.min(maxMs, initialMs * 2 ** Math.max(0, attempt));
  return Math.round(ceiling / 2 + Math.random() * (ceiling / 2));
}

/** `Retry-After` as seconds: delta-seconds or an HTTP date. */
export function retryAfterSeconds(headers: Headers): number | undefined {
  const value = headers.get("Retry-After");
  if (value === null || value.trim() === "") {
    return undefined;
  }
  if (/^\s*\d+\s*$/.test(value)) {
    return Number(value);
  }
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000));
}

/** Waits `ms`, or rejects with the signal's reason as soon as it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) {
      reject(signal.reason);
      return;
    }
    const onAbort = () => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, ms);
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

const INVALID_JSON: unique symbol = Symbol("invalid JSON");

function parseJson(text: string): unknown {
  if (text === "") {
    return undefined;
  }
  try {
    return JSON.parse(text);
  } catch {
    return INVALID_JSON;
  }
}

interface LinkedSignal {
  signal: AbortSignal;
  abort(reason?: unknown): void;
  /** Ends the timeout but keeps following the caller's signal. */
  stopTimer(): void;
  /** Releases the timer and the listener on the caller's signal. */
  done(): void;
  /** The caller's abort reason if it aborted, a ConnectionError for a timeout or network error. */
  translate(error: unknown, what: string): unknown;
}

/**
 * An AbortSignal that follows the caller's signal and fires after `timeoutMs` (0: never).
 * Written by hand because `AbortSignal.any` is not available on Node 18.
 */
export function linkSignal(outer: AbortSignal | undefined, timeoutMs: number): LinkedSignal {
  const controller = new AbortController();
  let timedOut = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const onAbort = () => controller.abort(outer?.reason);
  if (outer?.aborted) {
    controller.abort(outer.reason);
  } else {
    outer?.addEventListener("abort", onAbort, { once: true });
  }
  if (timeoutMs > 0 && !controller.signal.aborted) {
    timer = setTimeout(() => {
      timedOut = true;
      controller.abort(new ConnectionError(`No answer within ${timeoutMs} ms`));
    }, timeoutMs);
  }
  const stopTimer = () => {
    if (timer !== undefined) {
      clearTimeout(timer);
      timer = undefined;
    }
  };
  return {
    signal: controller.signal,
    abort: (reason?: unknown) => {
      stopTimer();
      outer?.removeEventListener("abort", onAbort);
      if (!controller.signal.aborted) {
        controller.abort(reason);
      }
    },
    stopTimer,
    done: () => {
      stopTimer();
      outer?.removeEventListener("abort", onAbort);
    },
    translate: (error: unknown, what: string) => {
      if (outer?.aborted) {
        return outer.reason;
      }
      if (error instanceof TaskgateError) {
        return error;
      }
      if (timedOut) {
        return new ConnectionError(`${what}: no answer within ${timeoutMs} ms`, error);
      }
      const detail = error instanceof Error ? (error.cause instanceof Error ? error.cause.message : error.message) : String(error);
      return new ConnectionError(`${what} failed: ${detail}`, error);
    },
  };
}
