/** Shared test settings: the running Taskgate, its two keys, and a fetch that records requests. */
import { Taskgate, type TaskgateOptions } from "../src/index.js";

export const BASE_URL = process.env.TASKGATE_URL || "http://localhost:8080";
export const API_KEY = process.env.TASKGATE_API_KEY || "sk_test_123456";
export const OTHER_API_KEY = process.env.TASKGATE_OTHER_API_KEY || "sk_test_other_tenant";

export function client(options: TaskgateOptions = {}): Taskgate {
  return new Taskgate({ baseUrl: BASE_URL, apiKey: API_KEY, ...options });
}

export function otherClient(options: TaskgateOptions = {}): Taskgate {
  return new Taskgate({ baseUrl: BASE_URL, apiKey: OTHER_API_KEY, ...options });
}

/** A session id no earlier run used, so assertions about a session see only this run's tasks. */
export function uniqueSession(name: string): string {
  return `sdk-ts-${name}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}

export interface Recorded {
  method: string;
  url: URL;
  headers: Headers;
  status?: number;
}

/** The real global fetch, with every request and its answer's status recorded (nothing is faked). */
export function recordingFetch(): { fetch: typeof fetch; requests: Recorded[] } {
  const requests: Recorded[] = [];
  const recording = async (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const entry: Recorded = {
      method: init?.method ?? "GET",
      url: new URL(String(input)),
      headers: new Headers(init?.headers),
    };
    requests.push(entry);
    const response = await fetch(input, init);
    entry.status = response.status;
    return response;
  };
  return { fetch: recording as typeof fetch, requests };
}

/** A slow task: stays RUNNING for `ms`. */
export const slow = (ms: number) => ({ simulate: { delay_ms: ms } });
