export { Taskgate, VERSION, DEFAULT_BASE_URL, GET_MANY_BATCH, randomKey, type TaskgateOptions } from "./client.js";
export {
  TaskgateError,
  BadRequestError,
  UnauthorizedError,
  NotFoundError,
  ConflictError,
  PayloadTooLargeError,
  UnprocessableEntityError,
  RateLimitedError,
  ServerError,
  ServiceUnavailableError,
  ConnectionError,
  WaitTimeoutError,
  StreamError,
  errorFromResponse,
  type TaskgateErrorInit,
} from "./errors.js";
export type { FetchLike, HttpRequest, HttpResponse, QueryValue } from "./http.js";
export { SseParser, type SseItem, type SseMessage, type SseComment, type SseRetry } from "./sse.js";
export * from "./types.js";
export {
  verifyWebhook,
  signWebhook,
  WebhookVerificationError,
  WEBHOOK_TOLERANCE_SECONDS,
  type WebhookHeaders,
  type VerifyWebhookOptions,
} from "./webhooks.js";
