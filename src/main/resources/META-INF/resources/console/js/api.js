// The API key and every call to the Taskgate REST API.
//
// The key lives in sessionStorage (this tab only, gone when it closes) and leaves the page only
// as the X-API-Key header of same-origin requests. Every request is made with cache: 'no-store',
// so the browser's HTTP cache never holds one key's answers where another key could get them,
// and a request whose key changed while it was in flight is dropped.

const STORAGE = 'taskgate.console.apiKey';
const listeners = new Set();

export const auth = {
  get key() {
    try { return sessionStorage.getItem(STORAGE) || ''; } catch { return ''; }
  },
  set(key) {
    sessionStorage.setItem(STORAGE, key);
    listeners.forEach((fn) => fn('set'));
  },
  /** reason: 'forget' (the user's button) or 'rejected' (a 401). */
  forget(reason = 'forget') {
    if (reason === 'rejected' && !this.key) return; // several requests saw the same 401
    sessionStorage.removeItem(STORAGE);
    listeners.forEach((fn) => fn(reason));
  },
  onChange(fn) { listeners.add(fn); },
};

export class ApiError extends Error {
  constructor(status, message) {
    super(message);
    this.name = 'ApiError';
    this.status = status;
  }
}

/** True for errors that only mean "this view or key went away": nothing to show. */
export const isQuiet = (e) => e?.name === 'AbortError' || e?.name === 'StaleKeyError';

function stale() {
  const e = new Error('The API key changed');
  e.name = 'StaleKeyError';
  return e;
}

/**
 * Builds "../api/v1/…?a=1&a=2" from a path and a params object (arrays repeat, empty values drop).
 * The API is addressed relative to /console/, so the console also works behind a path prefix.
 */
export function url(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) {
    for (const one of Array.isArray(v) ? v : [v]) if (one != null && one !== '') q.append(k, one);
  }
  const qs = q.toString();
  return `../api/v1${path}${qs ? `?${qs}` : ''}`;
}

/** Message of an error answer: the API's {"error": "..."} when there is one. */
async function errorOf(res) {
  let text = '';
  try { text = await res.text(); } catch { /* body unreadable */ }
  try {
    const body = JSON.parse(text);
    if (body && typeof body.error === 'string') return body.error;
  } catch { /* not JSON */ }
  return `HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}`;
}

/**
 * One request. Resolves {status, data, etag, headers}; data is the parsed JSON (null on 304).
 * Rejects with ApiError for 4xx/5xx; a 401 also forgets the key, which sends the console back
 * to the key form.
 */
export async function request(path, { method = 'GET', body, headers = {}, signal } = {}) {
  const key = auth.key;
  if (!key) throw new ApiError(401, 'No API key');
  const init = { method, signal, cache: 'no-store', credentials: 'omit', headers: { Accept: 'application/json', ...headers, 'X-API-Key': key } };
  if (body !== undefined) {
    init.headers['Content-Type'] = 'application/json';
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const res = await fetch(path, init);
  if (auth.key !== key) throw stale();
  if (res.status === 401) {
    auth.forget('rejected');
    throw new ApiError(401, await errorOf(res));
  }
  if (!res.ok && res.status !== 304) throw new ApiError(res.status, await errorOf(res));
  const data = res.status === 304 || res.status === 204 ? null : await res.json();
  if (auth.key !== key) throw stale();
  return { status: res.status, data, etag: res.headers.get('ETag'), headers: res.headers };
}

export const get = async (path, params, opts) => (await request(url(path, params), opts)).data;

/** Opens a fetch() for an SSE stream with the key header; the caller reads the body. */
export async function openStream(path, params, { lastEventId, signal } = {}) {
  const key = auth.key;
  if (!key) throw new ApiError(401, 'No API key');
  const headers = { Accept: 'text/event-stream', 'X-API-Key': key };
  if (lastEventId) headers['Last-Event-ID'] = lastEventId;
  const res = await fetch(url(path, params), { headers, signal, cache: 'no-store', credentials: 'omit' });
  if (auth.key !== key) {
    res.body?.cancel().catch(() => {});
    throw stale();
  }
  if (res.status === 401) {
    auth.forget('rejected');
    throw new ApiError(401, await errorOf(res));
  }
  if (!res.ok) throw new ApiError(res.status, await errorOf(res));
  return res;
}

/** A random UUID for Idempotency-Key; crypto.randomUUID needs a secure context, this does not. */
export function uuid() {
  const b = crypto.getRandomValues(new Uint8Array(16));
  b[6] = (b[6] & 0x0f) | 0x40;
  b[8] = (b[8] & 0x3f) | 0x80;
  const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
