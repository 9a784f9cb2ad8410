// One task's event timeline: a list item per stored event, and a growing box per model call
// whose live pieces (LLM_PARTIAL) are arriving.

import { h, prettyValue, fmtInt, fmtDuration, fmtTime } from './ui.js';

const LABELS = {
  TASK_QUEUED: 'Queued',
  TASK_STARTED: 'Started',
  LLM_OUTPUT: 'Model output',
  TOOL_INVOKED: 'Tool call',
  TOOL_RESULT: 'Tool result',
  SUBTASK_STARTED: 'Sub-task started',
  SUBTASK_COMPLETED: 'Sub-task completed',
  TASK_COMPLETED: 'Completed',
  TASK_FAILED: 'Failed',
  TASK_CANCELLED: 'Cancelled',
  TASK_TIMEOUT: 'Timed out',
  TASK_RESTARTED: 'Restarted',
  TASK_PAUSED: 'Paused',
  TASK_RESUMED: 'Resumed',
  APPROVAL_REQUESTED: 'Approval requested',
  APPROVAL_DECIDED: 'Approval decided',
};

const preview = (text = '', n = 120) => {
  const one = String(text).replace(/\s+/g, ' ').trim();
  return one.length > n ? `${one.slice(0, n)}…` : one;
};

/** A collapsible block of text: the summary is a one-line preview. */
const more = (label, text, open = false) => h('details', { open },
  h('summary', {}, h('span', { class: 'muted' }, `${label}: `), preview(text)),
  h('pre', { class: 'text' }, text));

function body(ev) {
  const p = ev.payload || {};
  switch (ev.type) {
    case 'TASK_QUEUED':
      return h('p', {}, `Mode ${p.mode || '—'}, session `, h('code', {}, p.session_id || '—'));
    case 'LLM_OUTPUT':
      return [
        h('p', {}, `${p.purpose ? `${p.purpose.toLowerCase()} \u00b7 ` : ''}${p.provider || '?'} / ${p.model || '?'} \u00b7 `,
          `${fmtInt(p.input_tokens)} in, ${fmtInt(p.output_tokens)} out tokens`),
        more('Output', ev.message),
      ];
    case 'TOOL_INVOKED':
      return [h('p', {}, h('strong', {}, p.tool || ev.message), ' called with'),
        h('pre', { class: 'json' }, prettyValue(p.arguments ?? {}))];
    case 'TOOL_RESULT':
      return [h('p', {}, h('strong', {}, p.tool || 'tool'), ' returned'),
        h('pre', { class: 'text' }, prettyValue(p.result ?? ev.message))];
    case 'SUBTASK_STARTED':
      return h('p', {}, ev.message);
    case 'SUBTASK_COMPLETED':
      return [p.subtask ? h('p', {}, p.subtask) : null, more('Answer', ev.message)];
    case 'TASK_PAUSED':
      return h('p', {}, p.reason || ev.message);
    case 'TASK_RESUMED':
      return h('p', {}, ev.message && ev.message !== 'Task resumed' ? `${ev.message} \u00b7 ` : '',
        p.paused_seconds != null ? `after ${fmtDuration(p.paused_seconds * 1000)} paused` : '');
    case 'APPROVAL_REQUESTED':
      return [h('p', {}, h('strong', {}, p.tool || '?'), ' waits for a decision, with',
        p.approval_id ? [' (', h('code', {}, p.approval_id), ')'] : ''),
        h('pre', { class: 'json' }, prettyValue(p.arguments ?? {}))];
    case 'APPROVAL_DECIDED':
      return h('p', {}, h('span', { class: `badge status-${p.approved ? 'approved' : 'refused'}` }, p.approved ? 'APPROVED' : 'REFUSED'),
        ' ', h('strong', {}, p.tool || '?'), p.feedback ? [' \u00b7 feedback: ', h('q', {}, p.feedback)] : '');
    case 'TASK_RESTARTED':
      return h('p', {}, ev.message);
    case 'TASK_STARTED':
    case 'TASK_COMPLETED':
      return null;
    case 'TASK_FAILED':
    case 'TASK_CANCELLED':
    case 'TASK_TIMEOUT':
      return h('p', { class: 'error-text' }, ev.message);
    default:
      return [h('p', {}, ev.message), ev.payload != null ? h('pre', { class: 'json' }, prettyValue(ev.payload)) : null];
  }
}

/** A stored event; t0 is the first event's time, for the "+1.2 s" offsets. */
export function eventItem(ev, t0) {
  const offset = t0 == null ? null : Date.parse(ev.timestamp) - t0;
  return h('li', { class: `event type-${ev.type.toLowerCase()}`, 'data-seq': ev.seq, 'data-type': ev.type },
    h('div', { class: 'event-head' },
      h('span', { class: 'seq' }, `#${ev.seq}`),
      h('span', { class: 'event-type' }, LABELS[ev.type] || ev.type),
      h('time', { datetime: ev.timestamp, title: fmtTime(ev.timestamp), class: 'muted' },
        offset == null ? fmtTime(ev.timestamp) : `+${fmtDuration(offset)}`)),
    h('div', { class: 'event-body' }, body(ev)));
}

/** The live box of one model call; its addText(text) adds a piece. */
export function partialItem(call) {
  const pre = h('pre', { class: 'text live-text', 'aria-live': 'off' });
  const li = h('li', { class: 'event partial', 'data-call': call },
    h('div', { class: 'event-head' },
      h('span', { class: 'seq' }, '\u2026'),
      h('span', { class: 'event-type' }, 'Live output'),
      h('span', { class: 'muted' }, 'model is writing')),
    h('div', { class: 'event-body' }, pre));
  li.addText = (text) => { pre.textContent += text; };
  return li;
}
