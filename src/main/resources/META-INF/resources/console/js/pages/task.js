// #/tasks/<id>: one task, live.
//
// Two requests keep the page current while the task is unfinished, both holding no server
// thread: the SSE event stream (timeline, model calls, live output) and a long poll
// (GET ?wait=30 with If-None-Match) for the task itself. A status event on the stream also
// refreshes the task at once, so whichever hears of a change first shows it.

import { request, url, isQuiet, ApiError } from '../api.js';
import { followTask } from '../sse.js';
import { eventItem, partialItem } from '../timeline.js';
import { approvalCard } from '../approvals.js';
import {
  h, fill, link, pageTitle, alertBox, statusBadge, short, isTerminal, resultBlock,
  fmtInt, fmtCost, fmtTime, fmtDuration,
} from '../ui.js';

const STATUS_OF_EVENT = {
  TASK_STARTED: 'RUNNING', TASK_COMPLETED: 'COMPLETED', TASK_FAILED: 'FAILED',
  TASK_CANCELLED: 'CANCELLED', TASK_TIMEOUT: 'TIMEOUT', TASK_PAUSED: 'PAUSED', APPROVAL_REQUESTED: 'PAUSED',
};
/** Events after which the task itself (status, pause, pending approvals) is read again. */
const REFRESH_ON = new Set(['TASK_RESUMED', 'APPROVAL_DECIDED', 'TASK_RESTARTED']);
const STREAM_STATES = {
  connecting: 'Connecting…', live: 'Live', reconnecting: 'Reconnecting…', ended: 'Complete', failed: 'Stream unavailable',
};

export function render(view, taskId) {
  const path = `/tasks/${encodeURIComponent(taskId)}`;
  let task = null;
  let etag = null;
  let status = '';
  let lastSeq = 0;
  let t0 = null;
  let streamCtrl = null;
  const partials = new Map(); // call -> live box
  const calls = []; // LLM_OUTPUT events

  const statusSlot = h('span', { id: 'task-status', class: 'status-slot', 'aria-live': 'polite' });
  const facts = h('dl', { class: 'facts' });
  const querySlot = h('pre', { class: 'text query-text', id: 'task-query' });
  const resultSlot = h('div', { id: 'task-result' });
  const errorSlot = h('div', { id: 'task-error' });
  const usageSlot = h('div', { id: 'task-usage', class: 'table-wrap' });
  const notice = h('div', { 'aria-live': 'polite' });
  const timeline = h('ol', { class: 'timeline', id: 'timeline', 'aria-label': 'Events' });
  const streamState = h('span', { class: 'muted', id: 'stream-state' });
  const liveToggle = h('input', { type: 'checkbox', id: 'live-output' });

  // ---- controls: Cancel now; Pause / Resume / Approve / Refuse will sit beside it ----
  const cancelButton = h('button', { type: 'button', id: 'cancel-task', class: 'danger', hidden: true }, 'Cancel task');
  const confirmBox = h('div', { class: 'confirm', id: 'cancel-confirm', hidden: true, role: 'group', 'aria-labelledby': 'cancel-q' },
    h('p', { id: 'cancel-q' }, 'Cancel this task? It stops at once and cannot be resumed.'),
    h('button', { type: 'button', class: 'danger', id: 'cancel-yes', onclick: () => cancel() }, 'Yes, cancel it'),
    h('button', { type: 'button', id: 'cancel-no', onclick: () => { confirmBox.hidden = true; cancelButton.focus(); } }, 'Keep it running'));
  cancelButton.addEventListener('click', () => { confirmBox.hidden = false; confirmBox.querySelector('#cancel-no').focus(); });
  const pauseReason = h('input', { type: 'text', id: 'pause-reason', maxLength: 1000, placeholder: 'Reason (optional)', 'aria-label': 'Pause reason', hidden: true });
  const pauseButton = h('button', { type: 'button', id: 'pause-task', hidden: true, onclick: () => pauseOrResume('pause') }, 'Pause');
  const resumeButton = h('button', { type: 'button', id: 'resume-task', class: 'primary', hidden: true, onclick: () => pauseOrResume('resume') }, 'Resume');
  // showControls() decides which controls apply to a status.
  const controls = h('div', { class: 'task-controls', id: 'task-controls', 'data-slot': 'task-controls' },
    pauseReason, pauseButton, resumeButton, cancelButton);

  // ---- the pause: since when, why, and the tool calls waiting for a decision ----
  const pauseBox = h('section', { class: 'pause-box', id: 'task-pause', hidden: true, 'aria-labelledby': 'pause-h' });
  const approvalList = h('ol', { class: 'approvals', id: 'pending-approvals', 'aria-label': 'Pending approvals' });
  const approvalCards = new Map(); // approval_id -> card (kept across refreshes: typed feedback stays)

  function showControls() {
    const open = status && !isTerminal(status);
    cancelButton.hidden = !open;
    if (!open) confirmBox.hidden = true;
    pauseButton.hidden = !(status === 'QUEUED' || status === 'RUNNING');
    pauseReason.hidden = pauseButton.hidden;
    resumeButton.hidden = status !== 'PAUSED';
  }

  function showPause(t) {
    const p = t.pause;
    const pending = p?.pending_approvals || [];
    pauseBox.hidden = !p;
    if (p) {
      fill(pauseBox,
        h('h2', { id: 'pause-h' }, 'Paused'),
        h('p', { id: 'pause-reason-text' }, p.reason || 'Paused'),
        h('p', { class: 'muted', id: 'pause-since' }, 'Since ', h('time', { datetime: p.since }, fmtTime(p.since)),
          pending.length ? ` \u00b7 ${pending.length} tool call${pending.length > 1 ? 's' : ''} waiting for a decision` : ''),
        pending.length ? approvalList : null);
    }
    const ids = new Set(pending.map((a) => a.approval_id));
    for (const [id, card] of approvalCards) {
      if (!ids.has(id) && !card.decidedHere) { card.remove(); approvalCards.delete(id); }
    }
    for (const a of pending) {
      if (approvalCards.has(a.approval_id)) continue;
      const card = approvalCard(a, { signal: view.signal, onDecided: () => { card.decidedHere = true; refresh(); } });
      approvalCards.set(a.approval_id, card);
      approvalList.append(card);
    }
    // Cards decided here leave once the task no longer waits on them.
    if (!pending.length) { approvalCards.forEach((c) => c.remove()); approvalCards.clear(); }
  }

  function showStatus(s) {
    if (!s || s === status) return;
    if (isTerminal(status)) return; // final statuses never change
    status = s;
    fill(statusSlot, statusBadge(s));
    showControls();
  }

  function fact(term, value) {
    return [h('dt', {}, term), h('dd', {}, value)];
  }

  function showTask(t) {
    task = t;
    showStatus(short(t.status));
    showPause(t);
    const terminal = isTerminal(t.status);
    fill(facts,
      fact('Task', h('code', {}, t.task_id)),
      fact('Session', t.session_id ? h('a', { href: link(`/sessions/${t.session_id}`) }, t.session_id) : '—'),
      fact('Mode', short(t.mode).toLowerCase() || '—'),
      fact('Model', t.model_used ? `${t.model_used} (${t.provider || '?'})` : '—'),
      fact('Created', fmtTime(t.created_at)),
      fact('Updated', fmtTime(t.updated_at)),
      terminal ? fact('Took', fmtDuration(Date.parse(t.updated_at) - Date.parse(t.created_at))) : null);
    querySlot.textContent = t.query || '';
    fill(resultSlot, h('h2', {}, 'Result'),
      t.result == null && terminal ? h('p', { class: 'muted' }, 'No result.') : resultBlock(t.result));
    fill(errorSlot, t.error ? [h('h2', {}, 'Error'), alertBox(t.error)] : null);
    showUsage();
  }

  function showUsage() {
    const u = task?.usage;
    const anyCost = calls.some((c) => c.payload?.cost != null);
    const rows = calls.map((ev) => {
      const p = ev.payload || {};
      return h('tr', {},
        h('td', { 'data-label': 'Event' }, `#${ev.seq}`),
        h('td', { 'data-label': 'Purpose' }, (p.purpose || '—').toLowerCase()),
        h('td', { 'data-label': 'Model' }, `${p.model || '?'} (${p.provider || '?'})`),
        h('td', { class: 'num', 'data-label': 'Input' }, fmtInt(p.input_tokens)),
        h('td', { class: 'num', 'data-label': 'Output' }, fmtInt(p.output_tokens)),
        h('td', { class: 'num', 'data-label': 'Cost' }, fmtCost(p.cost)));
    });
    if (!rows.length) rows.push(h('tr', { class: 'empty' }, h('td', { colSpan: 6 }, 'No model call yet.')));
    fill(usageSlot,
      h('table', { class: 'usage' },
        h('caption', {}, 'Model calls'),
        h('thead', {}, h('tr', {}, ['Event', 'Purpose', 'Model', 'Input', 'Output', 'Cost']
          .map((c, i) => h('th', { scope: 'col', class: i > 2 ? 'num' : null }, c)))),
        h('tbody', {}, rows),
        h('tfoot', {}, h('tr', {},
          h('th', { scope: 'row', colSpan: 3 }, `Task total${u ? ` \u00b7 ${fmtInt(u.total_tokens)} tokens` : ''}`),
          h('td', { class: 'num', 'data-label': 'Input' }, fmtInt(u?.input_tokens)),
          h('td', { class: 'num', 'data-label': 'Output' }, fmtInt(u?.output_tokens)),
          h('td', { class: 'num', 'data-label': 'Cost', id: 'task-cost' }, fmtCost(u?.estimated_cost))))),
      calls.length && !anyCost
        ? h('p', { class: 'hint' }, 'The events do not report a cost per call; the total is the task\u2019s estimated cost.')
        : null);
  }

  // ---- reading the task ----
  async function fetchTask(wait) {
    const r = await request(url(path, wait ? { wait } : {}), {
      headers: etag ? { 'If-None-Match': etag } : {}, signal: view.signal,
    });
    if (r.status === 200) {
      etag = r.etag;
      showTask(r.data);
    }
    // The stream announced the end before this read saw it (the server may answer from memory
    // for up to a second): read again, so the result and usage follow the status.
    if (isTerminal(status) && !isTerminal(short(task?.status))) refresh();
  }

  let refreshTimer = null;
  const refresh = () => {
    clearTimeout(refreshTimer);
    refreshTimer = setTimeout(() => view.run(() => fetchTask(0), notice), 50);
  };
  view.onClose(() => clearTimeout(refreshTimer));

  async function longPoll() {
    let delay = 1000;
    while (!view.closed && !isTerminal(status)) {
      try {
        await fetchTask(30);
        delay = 1000;
      } catch (e) {
        if (isQuiet(e) || view.closed || (e instanceof ApiError && e.status < 500 && e.status !== 429)) return;
        await new Promise((r) => { setTimeout(r, delay); });
        delay = Math.min(delay * 2, 15000);
      }
    }
  }

  // ---- the event stream ----
  function onEvent(ev) {
    if (ev.type === 'LLM_PARTIAL') {
      const call = ev.payload?.call || '?';
      let box = partials.get(call);
      if (!box) {
        box = partialItem(call);
        partials.set(call, box);
        timeline.append(box);
      }
      box.addText(ev.message || '');
      return;
    }
    if (ev.seq <= lastSeq) return;
    lastSeq = ev.seq;
    if (t0 == null) t0 = Date.parse(ev.timestamp);
    const item = eventItem(ev, t0);
    const firstPartial = partials.size ? timeline.querySelector('.partial') : null;
    timeline.insertBefore(item, firstPartial);
    if (ev.type === 'LLM_OUTPUT') {
      partials.get(ev.payload?.call)?.remove();
      partials.delete(ev.payload?.call);
      calls.push(ev);
      showUsage();
      refresh();
    }
    const s = STATUS_OF_EVENT[ev.type];
    if (s) {
      showStatus(s);
      refresh();
    } else if (REFRESH_ON.has(ev.type)) {
      refresh();
    }
  }

  function startStream() {
    streamCtrl?.abort();
    streamCtrl = new AbortController();
    const ctrl = streamCtrl;
    view.signal.addEventListener('abort', () => ctrl.abort(), { once: true });
    if (!liveToggle.checked) {
      partials.forEach((box) => box.remove());
      partials.clear();
    }
    followTask(taskId, {
      after: lastSeq,
      includePartial: liveToggle.checked,
      signal: ctrl.signal,
      onEvent,
      onState: (state, err) => {
        if (ctrl.signal.aborted) return;
        fill(streamState, STREAM_STATES[state] || state, err ? ` (${err.message})` : '');
        streamState.dataset.state = state;
      },
    });
  }
  liveToggle.addEventListener('change', startStream);

  async function cancel() {
    cancelButton.disabled = true;
    try {
      const r = await request(url(`${path}/cancel`), { method: 'POST', body: { reason: 'Cancelled from the console' }, signal: view.signal });
      fill(notice, alertBox(r.data?.message || 'Task cancelled', 'info'));
      showStatus(short(r.data?.status));
      refresh();
    } catch (e) {
      if (!isQuiet(e)) fill(notice, alertBox(e.message));
    } finally {
      cancelButton.disabled = false;
      confirmBox.hidden = true;
    }
  }

  async function pauseOrResume(action) {
    const button = action === 'pause' ? pauseButton : resumeButton;
    button.disabled = true;
    try {
      const reason = action === 'pause' ? pauseReason.value.trim() : '';
      const r = await request(url(`${path}/${action}`), { method: 'POST', body: reason ? { reason } : {}, signal: view.signal });
      if (action === 'pause') pauseReason.value = '';
      fill(notice);
      showTask(r.data);
      (action === 'pause' ? resumeButton : pauseButton).focus();
    } catch (e) {
      if (!isQuiet(e)) fill(notice, alertBox(e.message));
    } finally {
      button.disabled = false;
    }
  }

  // ---- layout ----
  view.root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/tasks' }, 'Tasks'), ' / ', h('code', {}, taskId)),
    h('div', { class: 'page-head' }, pageTitle('Task ', statusSlot), controls),
    confirmBox, notice, pauseBox);

  view.run(async () => {
    try {
      await fetchTask(0);
    } catch (e) {
      if (e.status === 404) e.message = 'Task not found: no task has this id for this API key.';
      throw e;
    }
    view.root.append(
      facts,
      h('section', { 'aria-labelledby': 'q-h' }, h('h2', { id: 'q-h' }, 'Query'), querySlot),
      resultSlot, errorSlot,
      h('section', { 'aria-labelledby': 'u-h' }, h('h2', { id: 'u-h' }, 'Usage and cost'), usageSlot),
      h('section', { 'aria-labelledby': 'tl-h', id: 'events' },
        h('div', { class: 'section-head' }, h('h2', { id: 'tl-h' }, 'Event timeline'),
          h('label', { class: 'check' }, liveToggle, ' Live output'), streamState),
        timeline));
    startStream();
    longPoll();
  }, notice);
}
