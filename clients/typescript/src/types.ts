/**
 * Types of the Taskgate REST API.
 *
 * Naming rule: objects that the server sends (Task, Usage, Session, CancelResult, list pages)
 * keep the documented JSON field names (`task_id`, `session_id`, `created_at`, ...), because the
 * documented JSON is the contract. They are handed out exactly as parsed, so fields added by a
 * later server version are there too (typed through the index signature) and never break the
 * client. Options that you pass to the client's methods are camelCase (`sessionId`,
 * `timeoutSeconds`), and the client maps them to the wire names. The one object the client builds
 * itself is {@link TaskEvent} (see there).
 */

/** `string & {}` keeps editor completion for the known values while accepting future ones. */
type Open<T extends string> = T | (string & {});

export type TaskStatus = Open<
  | "TASK_STATUS_UNSPECIFIED"
  | "TASK_STATUS_QUEUED"
  | "TASK_STATUS_RUNNING"
  | "TASK_STATUS_COMPLETED"
  | "TASK_STATUS_FAILED"
  | "TASK_STATUS_CANCELLED"
  | "TASK_STATUS_TIMEOUT"
  | "TASK_STATUS_PAUSED"
>;

/** Statuses that never change again. */
export const TERMINAL_STATUSES: ReadonlySet<string> = new Set([
  "TASK_STATUS_COMPLETED",
  "TASK_STATUS_FAILED",
  "TASK_STATUS_CANCELLED",
  "TASK_STATUS_TIMEOUT",
]);

export function isTerminalStatus(status: string): boolean {
  return TERMINAL_STATUSES.has(status);
}

/** True while a task is PAUSED: its tenant paused it, or a tool call waits for a decision. */
export function isPausedStatus(status: string): boolean {
  return status === "TASK_STATUS_PAUSED";
}

export type ApprovalStatus = Open<
  | "APPROVAL_STATUS_UNSPECIFIED"
  | "APPROVAL_STATUS_PENDING"
  | "APPROVAL_STATUS_APPROVED"
  | "APPROVAL_STATUS_REFUSED"
  | "APPROVAL_STATUS_EXPIRED"
>;

/** A tool call that waits (or waited) for a person's decision before it runs. */
export interface Approval {
  approval_id: string;
  task_id: string;
  tool: string;
  /** The call's arguments as the model wrote them (JSON text). */
  arguments: string;
  status: ApprovalStatus;
  /** The reviewer's feedback; absent without one. */
  feedback?: string;
  requested_at: string;
  /** Absent while pending. */
  decided_at?: string;
  [field: string]: unknown;
}

/** Why and since when a task is paused; set only while it is PAUSED. */
export interface Pause {
  since: string;
  /** The tenant's reason, or the approval the task waits for. */
  reason: string;
  /** Tool calls waiting for a decision, oldest first. */
  pending_approvals?: Approval[];
  [field: string]: unknown;
}

/** A tenant's defaults for its new tasks. */
export interface Settings {
  /** Tools whose calls wait for a decision in tasks that do not name their own (`"*"`: all). */
  require_approval: string[];
  [field: string]: unknown;
}

export interface ApprovalPage {
  approvals: Approval[];
  /** Absent on the last page. */
  next_page_token?: string;
  [field: string]: unknown;
}

/** How a task is returned: the documented `EXECUTION_MODE_*` names. */
export type ExecutionMode = Open<
  "EXECUTION_MODE_SIMPLE" | "EXECUTION_MODE_STANDARD" | "EXECUTION_MODE_COMPLEX"
>;

/** What the server accepts on submit and as a list filter: short names or the documented ones. */
export type ModeInput = Open<"simple" | "standard" | "complex"> | ExecutionMode;

export interface Usage {
  total_tokens: number;
  input_tokens?: number;
  output_tokens?: number;
  estimated_cost?: number;
  [field: string]: unknown;
}

/** A task as the API returns it (`GET /api/v1/tasks/{id}` and everywhere else a task appears). */
export interface Task {
  task_id: string;
  status: TaskStatus;
  /** Raw model output; absent until there is a result. */
  result?: string;
  /** `null` until the task completes; then `result` parsed as an object, or `{"result": "<text>"}`. */
  response?: Record<string, unknown> | null;
  /** `""` when there is no error. */
  error: string;
  /** RFC 3339, UTC, whole seconds. */
  created_at: string;
  updated_at: string;
  query: string;
  session_id: string;
  mode: ExecutionMode;
  model_used?: string;
  provider?: string;
  usage?: Usage;
  /** Set only while the task is PAUSED. */
  pause?: Pause;
  /** Tools whose calls wait for a decision (`"*"`: all); absent when none. */
  require_approval?: string[];
  [field: string]: unknown;
}

/** `POST /api/v1/tasks/{id}/cancel` answer. */
export interface CancelResult {
  success: boolean;
  message: string;
  task_id: string;
  status: TaskStatus;
  [field: string]: unknown;
}

export interface Session {
  session_id: string;
  task_count: number;
  usage?: Usage;
  first_activity_at: string;
  last_activity_at: string;
  [field: string]: unknown;
}

export interface TaskPage {
  tasks: Task[];
  /** Absent on the last page. */
  next_page_token?: string;
  [field: string]: unknown;
}

export interface SessionPage {
  sessions: Session[];
  next_page_token?: string;
  [field: string]: unknown;
}

/** A stored event as the API sends it (history pages and the `data:` of stream frames). */
export interface RawTaskEvent {
  task_id: string;
  seq: number;
  type: string;
  message: string;
  payload: unknown;
  timestamp: string;
  [field: string]: unknown;
}

export interface RawEventPage {
  events: RawTaskEvent[];
  /** Present when the page was full: pass it as `after` for the next page. */
  next_after?: number;
  [field: string]: unknown;
}

export type TaskEventType = Open<
  | "TASK_QUEUED"
  | "TASK_STARTED"
  | "LLM_OUTPUT"
  | "LLM_PARTIAL"
  | "TOOL_INVOKED"
  | "TOOL_RESULT"
  | "SUBTASK_STARTED"
  | "SUBTASK_COMPLETED"
  | "TASK_COMPLETED"
  | "TASK_FAILED"
  | "TASK_CANCELLED"
  | "TASK_TIMEOUT"
  | "TASK_RESTARTED"
  | "TASK_PAUSED"
  | "TASK_RESUMED"
  | "APPROVAL_REQUESTED"
  | "APPROVAL_DECIDED"
>;

/** Event types after which a task's stream ends. */
export const TERMINAL_EVENT_TYPES: ReadonlySet<string> = new Set([
  "TASK_COMPLETED",
  "TASK_FAILED",
  "TASK_CANCELLED",
  "TASK_TIMEOUT",
]);

/**
 * One step of a task, as delivered by {@link Taskgate.stream} and {@link Taskgate.events}.
 *
 * Built by the client from the API's event JSON: `taskId` is `task_id` and `data` is `payload`
 * (an object, or `null` when the event has none). `seq` starts at 1 and has no gaps; live-only
 * `LLM_PARTIAL` events have `seq` 0. `raw` is the JSON exactly as received.
 */
export interface TaskEvent {
  type: TaskEventType;
  message: string;
  seq: number;
  data: Record<string, unknown> | null;
  taskId: string;
  timestamp: string;
  raw: RawTaskEvent;
}

// ---- method options ----

/** Every call accepts an `AbortSignal`. */
export interface RequestOptions {
  signal?: AbortSignal;
}

export interface SubmitParams extends RequestOptions {
  query: string;
  /** `simple` (default), `standard`, `complex`, or `EXECUTION_MODE_*`. */
  mode?: ModeInput;
  sessionId?: string;
  /** A free-form JSON object passed to the model (and `simulate` switches of the local model). */
  context?: Record<string, unknown>;
  /** 1 to 3600; the server default is 300. */
  timeoutSeconds?: number;
  provider?: string;
  model?: string;
  /** `small`, `medium` or `large`; not together with `provider`/`model`. */
  modelTier?: string;
  /** Sent as `Idempotency-Key`. A random UUID is used when not given, so retries are safe. */
  idempotencyKey?: string;
  /** Tools whose calls wait for a person's decision: `["calculator"]`, `["*"]` (all), `[]` (none). Default: the tenant's setting. */
  requireApproval?: string[];
  /** How long one wait for a decision or a resume may last before the task times out (server default 24 h). */
  approvalTimeoutSeconds?: number;
}

export interface PauseOptions extends RequestOptions {
  /** Up to 1000 characters; shown in the task's `pause.reason` and its TASK_PAUSED event. */
  reason?: string;
}

export interface DecideOptions extends RequestOptions {
  /** The reviewer's feedback; the model reads it with a refusal. */
  feedback?: string;
}

export interface ApprovalFilters extends RequestOptions {
  /** `pending` (default), `approved`, `refused`, `expired` (or `APPROVAL_STATUS_*`); `null` for all. */
  status?: string | null;
  /** Only this task's approvals. */
  taskId?: string;
  /** Page size, 1-100 (server default 20). Iteration still covers all pages. */
  limit?: number;
  pageToken?: string;
}

export interface WaitOptions extends RequestOptions {
  /** Give up after this long with a {@link WaitTimeoutError}. Default: no limit. */
  timeoutMs?: number;
  /** `?wait=` of each long poll, at most the server's `max-wait-seconds`. Default 60. */
  longPollSeconds?: number;
}

export interface StreamOptions extends RequestOptions {
  /** Start after this stored event (`seq`); 0 (default) replays from the first event. */
  after?: number;
  /** Also deliver live `LLM_PARTIAL` pieces (seq 0, never replayed). */
  includePartial?: boolean;
  /** Reconnect attempts in a row without a new event before giving up. Default 12 (about 75-150 s of outage). */
  maxReconnects?: number;
  /** Reconnect once nothing (not even a heartbeat) arrived for this long. Default 45000 (three heartbeats). */
  idleTimeoutMs?: number;
  /** Called before each reconnect, e.g. for logging. */
  onReconnect?: (info: ReconnectInfo) => void;
}

export interface ReconnectInfo {
  /** Reconnect attempts in a row so far, including this one. */
  attempt: number;
  /** The `Last-Event-ID` that is sent. */
  lastSeq: number;
  delayMs: number;
  /** Why the previous connection ended. */
  reason: string;
}

export interface CancelOptions extends RequestOptions {
  reason?: string;
  /** Sent as `Idempotency-Key`; a random UUID when not given. */
  idempotencyKey?: string;
}

export interface TaskFilters extends RequestOptions {
  /** One status or several; documented names (`TASK_STATUS_RUNNING`) or short ones (`running`). */
  status?: string | string[];
  sessionId?: string;
  mode?: ModeInput;
  /** Exclusive bounds, RFC 3339 strings or Dates. */
  createdAfter?: string | Date;
  createdBefore?: string | Date;
  /** Page size, 1-100 (server default 20). Iteration still covers all pages. */
  limit?: number;
  /** Start from this page (a `next_page_token` from an earlier page). */
  pageToken?: string;
}

export interface SessionFilters extends RequestOptions {
  limit?: number;
  pageToken?: string;
}

export interface EventsOptions extends RequestOptions {
  /** Only events with a larger `seq`. Default 0. */
  after?: number;
  /** Page size, 1-1000 (server default 100). `events()` still returns all pages. */
  limit?: number;
}
