/**
 * A task's event stream (`GET /api/v1/tasks/{id}/stream`, Server-Sent Events) as an async
 * iterator that resumes by itself.
 *
 * The position is the `seq` of the last stored event delivered. After a network drop, an end
 * without the terminal event (e.g. the server's "shutting down" comment before a restart), an
 * idle connection or a 429/5xx answer, it reconnects with `Last-Event-ID: <seq>` after a backoff
 * and skips any event it already delivered, so nothing is lost or repeated. Live `LLM_PARTIAL`
 * events (seq 0) are delivered but never move the position. It ends after the terminal event.
 * Ending the iteration early (`break`, `return`, a thrown error) or aborting the signal closes
 * the HTTP connection.
 */
import { ConnectionError, RateLimitedError, ServiceUnavailableError, StreamError, TaskgateError } from "./errors.js";
import { backoff, sleep, type OpenStream, type Transport } from "./http.js";
import { SseParser } from "./sse.js";
import { TERMINAL_EVENT_TYPES, type RawTaskEvent, type StreamOptions, type TaskEvent } from "./types.js";

const DEFAULT_MAX_RECONNECTS = 12;
const DEFAULT_IDLE_TIMEOUT_MS = 45_000;
/** Until the server's `retry:` hint is known. */
const DEFAULT_RECONNECT_MS = 1_000;
const MAX_RECONNECT_MS = 15_000;

export async function* streamTaskEvents(
  transport: Transport,
  path: string,
  options: StreamOptions = {},
): AsyncGenerator<TaskEvent, void, undefined> {
  const { signal } = options;
  const maxReconnects = options.maxReconnects ?? DEFAULT_MAX_RECONNECTS;
  const idleTimeoutMs = options.idleTimeoutMs ?? DEFAULT_IDLE_TIMEOUT_MS;
  let lastSeq = options.after ?? 0;
  let failures = 0;
  let reconnectMs = DEFAULT_RECONNECT_MS;

  for (;;) {
    signal?.throwIfAborted();
    let reason: string;
    let minDelayMs = 0;
    let lastError: unknown;
    let stream: OpenStream | undefined;
    let idle: ReturnType<typeof setTimeout> | undefined;
    try {
      stream = await transport.open({
        path,
        query: { include_partial: options.includePartial ? true : undefined },
        headers: lastSeq > 0 ? { "Last-Event-ID": String(lastSeq) } : {},
        signal,
      });
      const body = stream.response.body;
      if (body === null) {
        throw new ConnectionError(`GET ${path}: the answer has no body`);
      }
      const reader = body.getReader();
      const decoder = new TextDecoder();
      const parser = new SseParser(); // a new parser per connection: a frame cut mid-way is dropped
      const current = stream;
      const armIdle = () => {
        if (idle !== undefined) {
          clearTimeout(idle);
        }
        if (idleTimeoutMs > 0) {
          idle = setTimeout(() => current.close(new ConnectionError(`nothing received for ${idleTimeoutMs} ms`)), idleTimeoutMs);
        }
      };
      armIdle();
      reason = "the stream ended before the terminal event";
      for (;;) {
        const { done, value } = await reader.read();
        if (done) {
          break;
        }
        armIdle();
        for (const item of parser.feed(decoder.decode(value, { stream: true }))) {
          if (item.kind === "retry") {
            reconnectMs = item.ms;
            continue;
          }
          if (item.kind === "comment") {
            if (item.text.startsWith("server shutting down")) {
              reason = "the server is shutting down";
            }
            continue;
          }
          const event = toTaskEvent(parseEventJson(item.data, path));
          if (event.seq > 0) {
            if (event.seq <= lastSeq) {
              continue; // already delivered before a reconnect
            }
            lastSeq = event.seq;
          }
          failures = 0;
          yield event;
          if (TERMINAL_EVENT_TYPES.has(event.type)) {
            return;
          }
        }
      }
    } catch (error) {
      const translated = stream ? stream.translate(error) : error;
      if (signal?.aborted) {
        throw signal.reason;
      }
      if (!(translated instanceof TaskgateError) || !resumable(translated)) {
        throw translated;
      }
      lastError = translated;
      reason = translated.message;
      if ((translated instanceof RateLimitedError || translated instanceof ServiceUnavailableError) && translated.retryAfter !== undefined) {
        minDelayMs = translated.retryAfter * 1000;
      }
    } finally {
      if (idle !== undefined) {
        clearTimeout(idle);
      }
      stream?.close(); // also on break/return of the consumer: closes the connection
    }

    failures++;
    if (failures > maxReconnects) {
      throw new StreamError(`Stream of ${path} not resumed after ${maxReconnects} attempts: ${reason}`, lastSeq, lastError);
    }
    const delayMs = Math.max(minDelayMs, backoff(failures - 1, reconnectMs, Math.max(reconnectMs, MAX_RECONNECT_MS)));
    options.onReconnect?.({ attempt: failures, lastSeq, delayMs, reason });
    await sleep(delayMs, signal);
  }
}

/** Connection failures, 429 and 5xx are worth a reconnect; other answers (401, 404, 400) are final. */
function resumable(error: TaskgateError): boolean {
  return error.status === 0 || error.status === 429 || error.status >= 500;
}

function parseEventJson(data: string, path: string): RawTaskEvent {
  try {
    return JSON.parse(data) as RawTaskEvent;
  } catch (error) {
    throw new TaskgateError(`GET ${path}: an event's data is not JSON`, { status: 200, cause: error });
  }
}

/** The client's event shape, from the API's event JSON. */
export function toTaskEvent(raw: RawTaskEvent): TaskEvent {
  return {
    type: raw.type,
    message: raw.message ?? "",
    seq: typeof raw.seq === "number" ? raw.seq : Number(raw.seq ?? 0),
    data: payloadObject(raw.payload),
    taskId: raw.task_id,
    timestamp: raw.timestamp,
    raw,
  };
}

function payloadObject(payload: unknown): Record<string, unknown> | null {
  if (payload !== null && typeof payload === "object") {
    return payload as Record<string, unknown>;
  }
  if (typeof payload === "string") {
    try {
      const parsed: unknown = JSON.parse(payload);
      if (parsed !== null && typeof parsed === "object") {
        return parsed as Record<string, unknown>;
      }
    } catch {
      // not JSON: only in raw
    }
  }
  return null;
}
