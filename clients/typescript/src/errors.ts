import type { Task } from "./types.js";

export interface TaskgateErrorInit {
  status: number;
  /** The parsed error body, `{"error": "..."}`, when there was one. */
  body?: unknown;
  /** `Retry-After` of the answer, in seconds. */
  retryAfter?: number;
  cause?: unknown;
}

/**
 * Every error the client raises, except an abort (which rejects with the signal's reason, as
 * `fetch` does). `status` is the HTTP status, or 0 when no HTTP answer was received.
 * `message` is the server's `error` text when it sent one.
 */
export class TaskgateError extends Error {
  readonly status: number;
  readonly body: unknown;

  constructor(message: string, init: TaskgateErrorInit) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = new.target.name;
    this.status = init.status;
    this.body = init.body;
  }
}

/** 400: malformed request, blank query, unknown mode/model, bad filter or id. */
export class BadRequestError extends TaskgateError {}
/** 401: the API key is missing or unknown. */
export class UnauthorizedError extends TaskgateError {}
/** 404: no such task or session, or it belongs to another tenant. */
export class NotFoundError extends TaskgateError {}
/** 409: e.g. cancelling a task that has already finished. */
export class ConflictError extends TaskgateError {}
/** 413: the query or the body is too large. */
export class PayloadTooLargeError extends TaskgateError {}
/** 422: an `Idempotency-Key` reused with a different request. */
export class UnprocessableEntityError extends TaskgateError {}

/** 429: over the key's rate limit. `retryAfter` is the server's `Retry-After`, in seconds. */
export class RateLimitedError extends TaskgateError {
  readonly retryAfter: number | undefined;
  constructor(message: string, init: TaskgateErrorInit) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}

/** Any 5xx answer. */
export class ServerError extends TaskgateError {}

/** 503: the service cannot take the request now (e.g. a worker-only replica); retried by the client. */
export class ServiceUnavailableError extends ServerError {
  readonly retryAfter: number | undefined;
  constructor(message: string, init: TaskgateErrorInit) {
    super(message, init);
    this.retryAfter = init.retryAfter;
  }
}

/** No HTTP answer: the connection failed or the per-request timeout passed (`status` 0). */
export class ConnectionError extends TaskgateError {
  constructor(message: string, cause?: unknown) {
    super(message, { status: 0, cause });
  }
}

/** `wait()` reached its `timeoutMs` before the task finished; `task` is the last copy seen. */
export class WaitTimeoutError extends TaskgateError {
  readonly task: Task | undefined;
  constructor(message: string, task: Task | undefined) {
    super(message, { status: 0 });
    this.task = task;
  }
}

/** A stream could not be resumed within its reconnect attempts. */
export class StreamError extends TaskgateError {
  readonly lastSeq: number;
  constructor(message: string, lastSeq: number, cause?: unknown) {
    super(message, { status: 0, cause });
    this.lastSeq = lastSeq;
  }
}

/** Maps an HTTP error answer to its typed error. */
export function errorFromResponse(status: number, body: unknown, retryAfter: number | undefined): TaskgateError {
  const serverMessage =
    body !== null && typeof body === "object" && typeof (body as { error?: unknown }).error === "string"
      ? (body as { error: string }).error
      : undefined;
  const message = serverMessage ?? `HTTP ${status}`;
  const init: TaskgateErrorInit = { status, body, retryAfter };
  switch (status) {
    case 400:
      return new BadRequestError(message, init);
    case 401:
      return new UnauthorizedError(message, init);
    case 404:
      return new NotFoundError(message, init);
    case 409:
      return new ConflictError(message, init);
    case 413:
      return new PayloadTooLargeError(message, init);
    case 422:
      return new UnprocessableEntityError(message, init);
    case 429:
      return new RateLimitedError(message, init);
    case 503:
      return new ServiceUnavailableError(message, init);
    default:
      return status >= 500 ? new ServerError(message, init) : new TaskgateError(message, init);
  }
}
