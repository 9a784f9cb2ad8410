/**
 * Verifying webhook deliveries (the Standard Webhooks scheme) with WebCrypto only
 * (`globalThis.crypto.subtle`: Node 18+, browsers, Deno, edge runtimes).
 *
 * A delivery carries `webhook-id`, `webhook-timestamp` (seconds since the epoch) and
 * `webhook-signature`: a space-separated list of `v1,<base64 HMAC-SHA256>` of
 * `"{id}.{timestamp}.{body}"`, keyed by the base64-decoded secret after its `whsec_` prefix.
 * One matching signature is enough (there are several while a secret is being rotated).
 *
 * Pass the body exactly as received, before any JSON parsing: re-serialised JSON has other bytes.
 */
import { TaskgateError } from "./errors.js";

/** Deliveries signed more than this many seconds from now (either way) are refused. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;
const SECRET_PREFIX = "whsec_";

/** A delivery that is not authentic: a header is missing, the timestamp is out of tolerance, or no signature matches. */
export class WebhookVerificationError extends TaskgateError {
  constructor(message: string) {
    super(message, { status: 0 });
  }
}

/** `Headers`, a plain object (e.g. Node's `IncomingHttpHeaders`, names in any case) or a list of pairs. */
export type WebhookHeaders =
  | Headers
  | Record<string, string | string[] | undefined>
  | Iterable<readonly [string, string]>;

export interface VerifyWebhookOptions {
  /** Largest accepted difference between `webhook-timestamp` and now, in seconds. Default 300. */
  toleranceSeconds?: number;
  /** Now, in milliseconds since the epoch (for tests). Default `Date.now()`. */
  now?: number;
}

const encoder = new TextEncoder();

function subtle(): SubtleCrypto {
  const s = (globalThis as { crypto?: Crypto }).crypto?.subtle;
  if (!s) {
    throw new TypeError("WebCrypto (globalThis.crypto.subtle) is not available: Node 18+ or a browser in a secure context is needed");
  }
  return s;
}

function fromBase64(text: string): Uint8Array | undefined {
  try {
    const binary = atob(text);
    const bytes = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) {
      bytes[i] = binary.charCodeAt(i);
    }
    return bytes;
  } catch {
    return undefined;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const b of bytes) {
    binary += String.fromCharCode(b);
  }
  return btoa(binary);
}

function secretKey(secret: string | Uint8Array): Uint8Array {
  if (typeof secret !== "string") {
    return secret;
  }
  if (!secret) {
    throw new TypeError("The webhook secret must be a non-empty string");
  }
  const key = fromBase64(secret.startsWith(SECRET_PREFIX) ? secret.slice(SECRET_PREFIX.length) : secret);
  if (!key) {
    throw new TypeError("The webhook secret is not base64 after its 'whsec_' prefix");
  }
  return key;
}

function bodyBytes(body: string | Uint8Array | ArrayBuffer): Uint8Array {
  if (typeof body === "string") {
    return encoder.encode(body);
  }
  return body instanceof Uint8Array ? body : new Uint8Array(body);
}

function header(headers: WebhookHeaders, name: string): string | undefined {
  if (typeof (headers as Headers).get === "function" && typeof (headers as Headers).has === "function") {
    return (headers as Headers).get(name) ?? undefined;
  }
  const entries: Iterable<readonly [string, unknown]> =
    Symbol.iterator in (headers as object)
      ? (headers as Iterable<readonly [string, string]>)
      : Object.entries(headers as Record<string, unknown>);
  for (const [key, value] of entries) {
    if (key.toLowerCase() === name) {
      const one = Array.isArray(value) ? value[0] : value;
      return one === undefined || one === null ? undefined : String(one);
    }
  }
  return undefined;
}

function signedContent(id: string, timestamp: number, body: Uint8Array): Uint8Array {
  const prefix = encoder.encode(`${id}.${timestamp}.`);
  const content = new Uint8Array(prefix.length + body.length);
  content.set(prefix, 0);
  content.set(body, prefix.length);
  return content;
}

function hmacKey(key: Uint8Array, usage: "sign" | "verify"): Promise<CryptoKey> {
  return subtle().importKey("raw", key as Uint8Array<ArrayBuffer>, { name: "HMAC", hash: "SHA-256" }, false, [usage]);
}

/** The `webhook-signature` value (`v1,<base64>`) of a delivery; for tests of a receiver. */
export async function signWebhook(
  secret: string | Uint8Array,
  id: string,
  timestampSeconds: number,
  body: string | Uint8Array | ArrayBuffer,
): Promise<string> {
  const key = await hmacKey(secretKey(secret), "sign");
  const mac = await subtle().sign("HMAC", key, signedContent(id, Math.floor(timestampSeconds), bodyBytes(body)) as Uint8Array<ArrayBuffer>);
  return `v1,${toBase64(new Uint8Array(mac))}`;
}

/**
 * Checks a webhook delivery and resolves with its body parsed as JSON. Rejects with
 * {@link WebhookVerificationError} unless one `v1` signature matches (checked by
 * `crypto.subtle.verify`, which compares in constant time) and `webhook-timestamp` is within
 * the tolerance (default 300 s either way).
 */
export async function verifyWebhook(
  secret: string | Uint8Array,
  headers: WebhookHeaders,
  body: string | Uint8Array | ArrayBuffer,
  options: VerifyWebhookOptions = {},
): Promise<unknown> {
  const keyBytes = secretKey(secret);
  const raw = bodyBytes(body);
  const id = header(headers, "webhook-id");
  const stamp = header(headers, "webhook-timestamp");
  const signatures = header(headers, "webhook-signature");
  if (!id || !stamp || !signatures) {
    const missing = (
      [["webhook-id", id], ["webhook-timestamp", stamp], ["webhook-signature", signatures]] as const
    ).filter(([, v]) => !v).map(([n]) => n);
    throw new WebhookVerificationError(`Missing header(s): ${missing.join(", ")}`);
  }
  if (!/^\s*\d+\s*$/.test(stamp)) {
    throw new WebhookVerificationError("webhook-timestamp is not a number of seconds");
  }
  const timestamp = Number(stamp.trim());
  const tolerance = options.toleranceSeconds ?? WEBHOOK_TOLERANCE_SECONDS;
  const now = (options.now ?? Date.now()) / 1000;
  if (timestamp < now - tolerance) {
    throw new WebhookVerificationError("webhook-timestamp is too old");
  }
  if (timestamp > now + tolerance) {
    throw new WebhookVerificationError("webhook-timestamp is too new");
  }
  const key = await hmacKey(keyBytes, "verify");
  const content = signedContent(id, timestamp, raw) as Uint8Array<ArrayBuffer>;
  let matched = false;
  for (const candidate of signatures.split(" ")) {
    const comma = candidate.indexOf(",");
    if (comma < 0 || candidate.slice(0, comma) !== "v1") {
      continue;
    }
    const mac = fromBase64(candidate.slice(comma + 1));
    if (mac && mac.length === 32 && (await subtle().verify("HMAC", key, mac as Uint8Array<ArrayBuffer>, content))) {
      matched = true;
    }
  }
  if (!matched) {
    throw new WebhookVerificationError("No matching signature");
  }
  try {
    return JSON.parse(new TextDecoder("utf-8", { fatal: true }).decode(raw));
  } catch {
    throw new WebhookVerificationError("The signed body is not JSON");
  }
}
