import { WaitTimeoutError } from "./errors.js";
import { Transport, linkSignal, type FetchLike, type HttpRequest, type HttpResponse } from "./http.js";
import { streamTaskEvents, toTaskEvent } from "./stream.js";
import {
  isTerminalStatus,
  type Approval,
  type ApprovalFilters,
  type ApprovalPage,
  type DecideOptions,
  type PauseOptions,
  type Settings,
  type CancelOptions,
  type CancelResult,
  type EventsOptions,
  type RawEventPage,
  type RequestOptions,
  type Session,
  type SessionFilters,
  type SessionPage,
  type StreamOptions,
  type SubmitParams,
  type Task,
  type TaskEvent,
  type TaskFilters,
  type TaskPage,
  type WaitOptions,
} from "./types.js";

export const VERSION = "0.1.0";
export const DEFAULT_BASE_URL = "http://localhost:8080";
const DEFAULT_TIMEOUT_MS = 30_000;
const DEFAULT_MAX_RETRIES = 3;
/** The server's default `taskgate.polling.max-wait-seconds`. */
const DEFAULT_LONG_POLL_SECONDS = 60;
/** Ids per `GET /api/v1/tasks?ids=` request. */
export const GET_MANY_BATCH = 100;

export interface TaskgateOptions {
  /** Sent as `X-API-Key`. Default: the `TASKGATE_API_KEY` environment variable (where there is one). */
  apiKey?: string;
  /** Default: `TASKGATE_URL`, else `http://localhost:8080`. */
  baseUrl?: string;
  /** Per-request timeout; for long polls it is added to the wait, for streams it covers the connect. Default 30000; 0 turns it off. */
  timeoutMs?: number;
  /** Retries after 429/503 answers and (for idempotent requests) network failures. Default 3. */
  maxRetries?: number;
  /** A `fetch` implementation; default the global one. */
  fetch?: FetchLike;
}

/** Reads an environment variable where there is a `process.env` (Node), and nothing in a browser. */
function env(name: string): string | undefined {
  try {
    const process = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process;
    const value = process?.env?.[name];
    return value === undefined || value === "" ? undefined : value;
  } catch {
    return undefined;
  }
}

/** `crypto.randomUUID()` where available (browsers in secure contexts, Node 19+); a v4 UUID otherwise. */
export function randomKey(): string {
  const crypto = (globalThis as { crypto?: Crypto }).crypto;
  if (typeof crypto?.randomUUID === "function") {
    return crypto.randomUUID();
  }
  const bytes = new Uint8Array(16);
  if (typeof crypto?.getRandomValues === "function") {
    crypto.getRandomValues(bytes);
  } else {
    for (let i = 0; i < bytes.length; i++) {
      bytes[i] = Math.floor(Math.random() * 256);
    }
  }
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

const seg = encodeURIComponent;

/**
 * The Taskgate client. Every method takes an optional `AbortSignal`.
 *
 * Adding an endpoint is one method that describes its request to `request()` (which handles the
 * key, timeouts, retries and typed errors) and returns the documented JSON; see README "Extending".
 */
export class Taskgate {
  readonly baseUrl: string;
  /** Kept in a private field so that it never shows in `JSON.stringify` or `console.log` of the client. */
  readonly #http: Transport;

  constructor(options: TaskgateOptions = {}) {
    const fetchImpl = options.fetch ?? (globalThis.fetch ? globalThis.fetch.bind(globalThis) : undefined);
    if (!fetchImpl) {
      throw new TypeError("No global fetch: pass options.fetch (Node 18+ and browsers have one)");
    }
    this.#http = new Transport({
      apiKey: options.apiKey ?? env("TASKGATE_API_KEY"),
      baseUrl: options.baseUrl ?? env("TASKGATE_URL") ?? DEFAULT_BASE_URL,
      timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
      maxRetries: options.maxRetries ?? DEFAULT_MAX_RETRIES,
      fetch: fetchImpl,
    });
    this.baseUrl = this.#http.baseUrl;
  }

  // ---- tasks ----

  /** `POST /api/v1/tasks`: submits a task and returns it (QUEUED). Safe to retry: it always carries an `Idempotency-Key`. */
  async submit(params: SubmitParams): Promise<Task> {
    const body = {
      query: params.query,
      mode: params.mode,
      session_id: params.sessionId,
      context: params.context,
      timeout_seconds: params.timeoutSeconds,
      provider: params.provider,
      model: params.model,
      model_tier: params.modelTier,
      require_approval: params.requireApproval,
      approval_timeout_seconds: params.approvalTimeoutSeconds,
    };
    const res = await this.request<Task>({
      method: "POST",
      path: "/api/v1/tasks",
      body,
      headers: { "Idempotency-Key": params.idempotencyKey ?? randomKey() },
      idempotent: true,
      signal: params.signal,
    });
    return res.body;
  }

  /** `GET /api/v1/tasks/{id}`. */
  async get(id: string, options: RequestOptions = {}): Promise<Task> {
    const res = await this.request<Task>({ method: "GET", path: `/api/v1/tasks/${seg(id)}`, idempotent: true, signal: options.signal });
    return res.body;
  }

  /**
   * Resolves with the task once it is terminal. Reads the task once, then long polls
   * (`?wait=` with `If-None-Match`: each request is answered as soon as the task differs from
   * the copy the client has), so there is no fixed-interval polling. Rejects with
   * {@link WaitTimeoutError} (holding the last copy) after `timeoutMs`.
   */
  async wait(id: string, options: WaitOptions = {}): Promise<Task> {
    const longPoll = options.longPollSeconds ?? DEFAULT_LONG_POLL_SECONDS;
    const deadline = options.timeoutMs === undefined ? Infinity : Date.now() + options.timeoutMs;
    const limit = linkSignal(options.signal, options.timeoutMs ?? 0);
    const path = `/api/v1/tasks/${seg(id)}`;
    let task: Task | undefined;
    try {
      let res = await this.request<Task>({ method: "GET", path, idempotent: true, signal: limit.signal });
      task = res.body;
      let etag = res.headers.get("ETag");
      while (!isTerminalStatus(task.status)) {
        const waitS = Math.max(1, Math.min(longPoll, Math.ceil((deadline - Date.now()) / 1000)));
        res = await this.request<Task>({
          method: "GET",
          path,
          query: { wait: waitS },
          // Without an ETag (e.g. a browser that is not allowed to read it) the server answers status changes.
          headers: etag ? { "If-None-Match": etag } : {},
          acceptStatuses: [304],
          idempotent: true,
          timeoutMs: this.#http.timeoutMs > 0 ? waitS * 1000 + this.#http.timeoutMs : 0,
          signal: limit.signal,
        });
        if (res.status !== 304 && res.body) {
          task = res.body;
          etag = res.headers.get("ETag") ?? etag;
        }
      }
      return task;
    } catch (error) {
      if (!options.signal?.aborted && Date.now() >= deadline - 5) {
        throw new WaitTimeoutError(`Task ${id} did not finish within ${options.timeoutMs} ms`, task);
      }
      throw error;
    } finally {
      limit.done();
    }
  }

  /**
   * `GET /api/v1/tasks/{id}/stream` as an async iterable of events, resumed by itself after
   * drops; ends after the terminal event. `for await (const event of client.stream(id)) { ... }`
   */
  stream(id: string, options: StreamOptions = {}): AsyncGenerator<TaskEvent, void, undefined> {
    return streamTaskEvents(this.#http, `/api/v1/tasks/${seg(id)}/stream`, options);
  }

  /** `GET /api/v1/tasks/{id}/events`: the stored events after `after` (all pages). */
  async events(id: string, options: EventsOptions = {}): Promise<TaskEvent[]> {
    const events: TaskEvent[] = [];
    let after = options.after ?? 0;
    for (;;) {
      const res = await this.request<RawEventPage>({
        method: "GET",
        path: `/api/v1/tasks/${seg(id)}/events`,
        query: { after, limit: options.limit },
        idempotent: true,
        signal: options.signal,
      });
      events.push(...res.body.events.map(toTaskEvent));
      if (res.body.next_after === undefined || res.body.next_after === null || res.body.events.length === 0) {
        return events;
      }
      after = res.body.next_after;
    }
  }

  /** `POST /api/v1/tasks/{id}/cancel`. A finished task raises {@link ConflictError}. */
  async cancel(id: string, options: CancelOptions = {}): Promise<CancelResult> {
    const res = await this.request<CancelResult>({
      method: "POST",
      path: `/api/v1/tasks/${seg(id)}/cancel`,
      body: options.reason === undefined ? {} : { reason: options.reason },
      headers: options.idempotencyKey ? { "Idempotency-Key": options.idempotencyKey } : {},
      idempotent: true, // cancelling twice answers "Task already cancelled"
      signal: options.signal,
    });
    return res.body;
  }

  // ---- pause, resume and approvals ----

  /**
   * `POST /api/v1/tasks/{id}/pause`: the task stops at its next step boundary and is returned
   * PAUSED, with `pause`. Harmless to repeat; a finished task raises {@link ConflictError}.
   */
  async pause(id: string, options: PauseOptions = {}): Promise<Task> {
    return this.#pauseOrResume(id, "pause", options);
  }

  /**
   * `POST /api/v1/tasks/{id}/resume`: the task goes on where it stopped (it stays PAUSED while a
   * tool call waits for a decision). Harmless to repeat; a finished task raises {@link ConflictError}.
   */
  async resume(id: string, options: PauseOptions = {}): Promise<Task> {
    return this.#pauseOrResume(id, "resume", options);
  }

  async #pauseOrResume(id: string, action: "pause" | "resume", options: PauseOptions): Promise<Task> {
    const res = await this.request<Task>({
      method: "POST",
      path: `/api/v1/tasks/${seg(id)}/${action}`,
      body: options.reason === undefined ? {} : { reason: options.reason },
      idempotent: true, // a repeat answers the task as it is
      signal: options.signal,
    });
    return res.body;
  }

  /**
   * `POST /api/v1/tasks/{id}/approvals/{approvalId}`: approves (the tool runs) or refuses (the
   * model is told, with the feedback) a pending tool call. Deciding twice raises {@link ConflictError}.
   */
  async decide(id: string, approvalId: string, approved: boolean, options: DecideOptions = {}): Promise<Approval> {
    if (typeof approved !== "boolean") {
      throw new TypeError("approved must be true or false");
    }
    const res = await this.request<Approval>({
      method: "POST",
      path: `/api/v1/tasks/${seg(id)}/approvals/${seg(approvalId)}`,
      body: options.feedback === undefined ? { approved } : { approved, feedback: options.feedback },
      idempotent: false, // a repeat after a lost answer would be a 409, not the decision
      signal: options.signal,
    });
    return res.body;
  }

  /** `decide(id, approvalId, true, options)`. */
  approve(id: string, approvalId: string, options: DecideOptions = {}): Promise<Approval> {
    return this.decide(id, approvalId, true, options);
  }

  /** `decide(id, approvalId, false, options)`. */
  refuse(id: string, approvalId: string, options: DecideOptions = {}): Promise<Approval> {
    return this.decide(id, approvalId, false, options);
  }

  /**
   * `GET /api/v1/approvals`: the tenant's approvals, oldest request first, page after page; by
   * default the pending ones (a reviewer's inbox). `for await (const a of client.approvals()) ...`
   */
  async *approvals(filters: ApprovalFilters = {}): AsyncGenerator<Approval, void, undefined> {
    yield* this.#pages(async (token) => {
      const page = await this.approvalsPage({ ...filters, pageToken: token });
      return { items: page.approvals, next: page.next_page_token };
    }, filters.pageToken);
  }

  /** One page of `GET /api/v1/approvals`. */
  async approvalsPage(filters: ApprovalFilters = {}): Promise<ApprovalPage> {
    const status = filters.status === undefined ? "pending" : filters.status;
    const res = await this.request<ApprovalPage>({
      method: "GET",
      path: "/api/v1/approvals",
      query: {
        status: status ? status.replace(/^APPROVAL_STATUS_/i, "").toLowerCase() : undefined,
        task_id: filters.taskId,
        limit: filters.limit,
        page_token: filters.pageToken,
      },
      idempotent: true,
      signal: filters.signal,
    });
    return res.body;
  }

  /** `GET /api/v1/settings`: the tenant's defaults for new tasks. */
  async getSettings(options: RequestOptions = {}): Promise<Settings> {
    const res = await this.request<Settings>({ method: "GET", path: "/api/v1/settings", idempotent: true, signal: options.signal });
    return res.body;
  }

  /** `PUT /api/v1/settings`: `requireApproval` applies to tasks that do not name their own (`[]`: off). */
  async updateSettings(settings: { requireApproval: string[] }, options: RequestOptions = {}): Promise<Settings> {
    if (!Array.isArray(settings.requireApproval)) {
      throw new TypeError('requireApproval must be an array of tool names, e.g. ["calculator"] or ["*"]');
    }
    const res = await this.request<Settings>({
      method: "PUT",
      path: "/api/v1/settings",
      body: { require_approval: settings.requireApproval },
      idempotent: true, // replaces the whole settings object
      signal: options.signal,
    });
    return res.body;
  }

  /** `GET /api/v1/tasks`: every matching task, newest first, fetching page after page as you iterate. */
  async *list(filters: TaskFilters = {}): AsyncGenerator<Task, void, undefined> {
    yield* this.#pages(async (token) => {
      const page = await this.listPage({ ...filters, pageToken: token });
      return { items: page.tasks, next: page.next_page_token };
    }, filters.pageToken);
  }

  /** One page of `GET /api/v1/tasks`. */
  async listPage(filters: TaskFilters = {}): Promise<TaskPage> {
    const res = await this.request<TaskPage>({
      method: "GET",
      path: "/api/v1/tasks",
      query: taskQuery(filters),
      idempotent: true,
      signal: filters.signal,
    });
    return res.body;
  }

  /**
   * Several tasks by id (`GET /api/v1/tasks?ids=...`, up to 100 ids per request). Only the
   * caller's tasks come back; unknown ids are left out. Needs a server with the `ids` filter.
   */
  async getMany(ids: readonly string[], options: RequestOptions = {}): Promise<Task[]> {
    const unique = [...new Set(ids)];
    const tasks: Task[] = [];
    for (let i = 0; i < unique.length; i += GET_MANY_BATCH) {
      const batch = unique.slice(i, i + GET_MANY_BATCH);
      const res = await this.request<TaskPage>({
        method: "GET",
        path: "/api/v1/tasks",
        query: { ids: batch },
        idempotent: true,
        signal: options.signal,
      });
      tasks.push(...res.body.tasks);
    }
    return tasks;
  }

  // ---- sessions ----

  /** `GET /api/v1/sessions`: every session, the most recently started first (all pages). */
  async *sessions(filters: SessionFilters = {}): AsyncGenerator<Session, void, undefined> {
    yield* this.#pages(async (token) => {
      const res = await this.request<SessionPage>({
        method: "GET",
        path: "/api/v1/sessions",
        query: { limit: filters.limit, page_token: token },
        idempotent: true,
        signal: filters.signal,
      });
      return { items: res.body.sessions, next: res.body.next_page_token };
    }, filters.pageToken);
  }

  /** `GET /api/v1/sessions/{id}`. */
  async session(id: string, options: RequestOptions = {}): Promise<Session> {
    const res = await this.request<Session>({ method: "GET", path: `/api/v1/sessions/${seg(id)}`, idempotent: true, signal: options.signal });
    return res.body;
  }

  /** `GET /api/v1/sessions/{id}/tasks`: the session's tasks with the same filters as `list` (all pages). */
  async *sessionTasks(id: string, filters: Omit<TaskFilters, "sessionId"> = {}): AsyncGenerator<Task, void, undefined> {
    yield* this.#pages(async (token) => {
      const res = await this.request<TaskPage>({
        method: "GET",
        path: `/api/v1/sessions/${seg(id)}/tasks`,
        query: taskQuery({ ...filters, pageToken: token }),
        idempotent: true,
        signal: filters.signal,
      });
      return { items: res.body.tasks, next: res.body.next_page_token };
    }, filters.pageToken);
  }

  // ---- the low-level call every method above goes through ----

  /**
   * Sends one request to the API with the client's key, timeout, retries and error mapping, and
   * returns the parsed JSON answer. For endpoints this version has no method for yet.
   */
  request<T>(req: HttpRequest): Promise<HttpResponse<T>> {
    return this.#http.request<T>(req);
  }

  async *#pages<T>(
    fetchPage: (token: string | undefined) => Promise<{ items: T[]; next: string | undefined }>,
    firstToken: string | undefined,
  ): AsyncGenerator<T, void, undefined> {
    let token = firstToken;
    for (;;) {
      const page = await fetchPage(token);
      yield* page.items;
      if (!page.next) {
        return;
      }
      token = page.next;
    }
  }

  /** Shows the base URL only: the API key never appears in logs. */
  toJSON(): { baseUrl: string } {
    return { baseUrl: this.baseUrl };
  }

  [Symbol.for("nodejs.util.inspect.custom")](): string {
    return `Taskgate { baseUrl: '${this.baseUrl}' }`;
  }
}

function taskQuery(filters: TaskFilters): HttpRequest["query"] {
  return {
    status: filters.status,
    session_id: filters.sessionId,
    mode: filters.mode,
    created_after: filters.createdAfter,
    created_before: filters.createdBefore,
    limit: filters.limit,
    page_token: filters.pageToken,
  };
}
