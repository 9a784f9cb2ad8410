// DOM and formatting helpers. Server text only ever reaches the page as text nodes or
// attribute values set through the DOM, never as HTML.

/**
 * Creates an element. attrs: properties/attributes ("class", "for", "data-*", "aria-*", on* handlers);
 * children: nodes, strings (as text) or arrays of them; null/undefined/false are skipped.
 */
export function h(tag, attrs = {}, ...children) {
  const el = document.createElement(tag);
  for (const [name, value] of Object.entries(attrs || {})) {
    if (value == null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') el.addEventListener(name.slice(2), value);
    else if (name === 'class') el.className = value;
    else if (name === 'text') el.textContent = value;
    else if (name in el && !name.includes('-') && name !== 'list' && name !== 'form') el[name] = value;
    else el.setAttribute(name, value === true ? '' : String(value));
  }
  append(el, children);
  return el;
}

function append(el, children) {
  for (const child of children) {
    if (child == null || child === false) continue;
    if (Array.isArray(child)) append(el, child);
    else el.append(child instanceof Node ? child : String(child));
  }
}

/** An element in the SVG namespace (for the chart). */
export function svg(tag, attrs = {}, ...children) {
  const el = document.createElementNS('http://www.w3.org/2000/svg', tag);
  for (const [name, value] of Object.entries(attrs)) if (value != null) el.setAttribute(name, String(value));
  append(el, children);
  return el;
}

/** Replaces all children of el. */
export function fill(el, ...children) {
  el.replaceChildren();
  append(el, children);
  return el;
}

export const STATUSES = ['QUEUED', 'RUNNING', 'PAUSED', 'COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'];
export const MODES = ['SIMPLE', 'STANDARD', 'COMPLEX'];

/** "TASK_STATUS_RUNNING" -> "RUNNING"; "EXECUTION_MODE_SIMPLE" -> "SIMPLE"; "APPROVAL_STATUS_PENDING" -> "PENDING". */
export const short = (value) => String(value || '').replace(/^(TASK_STATUS_|EXECUTION_MODE_|APPROVAL_STATUS_)/, '');

export const isTerminal = (status) => ['COMPLETED', 'FAILED', 'CANCELLED', 'TIMEOUT'].includes(short(status));

export function statusBadge(status) {
  const s = short(status) || 'UNKNOWN';
  return h('span', { class: `badge status-${s.toLowerCase()}`, 'data-status': s }, s);
}

const num = new Intl.NumberFormat('en-US');
export const fmtInt = (n) => (n == null ? '—' : num.format(n));

/** USD with enough digits for sub-cent model calls: $0, $0.0061, $12.40. */
export function fmtCost(c) {
  if (c == null) return '—';
  if (c === 0) return '$0';
  if (Math.abs(c) >= 1) return `$${c.toFixed(2)}`;
  return `$${Number(c.toPrecision(2))}`;
}

export function fmtTime(iso) {
  if (!iso) return '—';
  const d = new Date(iso);
  return Number.isNaN(d.getTime()) ? iso : d.toLocaleString();
}

/** "12 s", "5 min", "3 h", "2 d" since iso. */
export function fmtAge(iso, now = Date.now()) {
  const s = Math.max(0, Math.round((now - Date.parse(iso)) / 1000));
  if (Number.isNaN(s)) return '—';
  if (s < 60) return `${s} s`;
  if (s < 3600) return `${Math.floor(s / 60)} min`;
  if (s < 86400) return `${Math.floor(s / 3600)} h`;
  return `${Math.floor(s / 86400)} d`;
}

export function fmtDuration(ms) {
  if (ms == null || Number.isNaN(ms)) return '—';
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60000) return `${(ms / 1000).toFixed(1)} s`;
  return `${Math.floor(ms / 60000)} min ${Math.round((ms % 60000) / 1000)} s`;
}

/**
 * The task's result: a JSON object pretty-printed, anything else as plain text.
 * Both go in as textContent.
 */
export function resultBlock(result) {
  if (result == null) return h('p', { class: 'muted' }, 'No result yet.');
  let parsed;
  try { parsed = JSON.parse(result); } catch { parsed = undefined; }
  if (parsed !== null && typeof parsed === 'object' && !Array.isArray(parsed)) {
    return h('pre', { class: 'result json', 'data-kind': 'json' }, JSON.stringify(parsed, null, 2));
  }
  return h('pre', { class: 'result text', 'data-kind': 'text' }, result);
}

/** Any JSON value (or a string holding JSON) for display. */
export function prettyValue(value) {
  if (typeof value === 'string') {
    try { return JSON.stringify(JSON.parse(value), null, 2); } catch { return value; }
  }
  return JSON.stringify(value, null, 2);
}

/** A heading that receives focus after navigation. */
export const pageTitle = (text, ...extra) => h('h1', { tabIndex: -1, id: 'page-title' }, text, ...extra);

export const alertBox = (message, kind = 'error') =>
  h('div', { class: `alert ${kind}`, role: kind === 'error' ? 'alert' : 'status' }, message);

/** Builds a hash URL: link('/tasks', {status: 'running'}) -> "#/tasks?status=running". */
export function link(path, params = {}) {
  const q = new URLSearchParams();
  for (const [k, v] of Object.entries(params)) if (v != null && v !== '') q.set(k, v);
  const qs = q.toString();
  return `#${path}${qs ? `?${qs}` : ''}`;
}

/** A form field: label + control (+ hint), wired with for/id and aria-describedby. */
export function field(label, control, hint) {
  const wrap = h('div', { class: 'field' }, h('label', { for: control.id }, label), control);
  if (hint) {
    const hintEl = h('small', { id: `${control.id}-hint`, class: 'hint' }, hint);
    control.setAttribute('aria-describedby', hintEl.id);
    wrap.append(hintEl);
  }
  return wrap;
}

export function select(id, options, value = '') {
  return h('select', { id, name: id },
    options.map(([v, text]) => h('option', { value: v, selected: v === value }, text)));
}

/** ISO instant -> value for <input type="datetime-local"> in local time, and back. */
export function toLocalInput(iso) {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return '';
  const pad = (n) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

export function fromLocalInput(value) {
  if (!value) return '';
  const d = new Date(value);
  return Number.isNaN(d.getTime()) ? '' : d.toISOString().replace(/\.\d{3}Z$/, 'Z');
}
