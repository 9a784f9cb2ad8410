// A pending approval as a card: the tool, the arguments the model chose, a feedback field and
// Approve / Refuse buttons. Used on the task page and in the approvals inbox.

import { request, url, isQuiet, ApiError } from './api.js';
import { h, fill, link, alertBox, statusBadge, short, prettyValue, fmtAge, fmtTime } from './ui.js';

/** POST /tasks/{id}/approvals/{approval_id}; resolves with the decided approval. */
export async function decide(taskId, approvalId, approved, feedback, signal) {
  const body = { approved };
  if (feedback) body.feedback = feedback;
  const r = await request(url(`/tasks/${encodeURIComponent(taskId)}/approvals/${encodeURIComponent(approvalId)}`),
    { method: 'POST', body, signal });
  return r.data;
}

/**
 * One approval. While it is pending the card has a feedback field and the two buttons; once
 * decided (here or elsewhere: a 409 says so) it shows the outcome. onDecided(approval) is called
 * after a decision made here. withTask adds a link to the task (the inbox).
 */
export function approvalCard(a, { signal, onDecided, withTask = false } = {}) {
  const id = a.approval_id;
  const fb = h('textarea', { id: `feedback-${id}`, class: 'feedback', rows: 2, maxLength: 4000, placeholder: 'Optional; the model reads it with a refusal' });
  const msg = h('div', { 'aria-live': 'polite', class: 'approval-msg' });
  const approve = h('button', { type: 'button', class: 'primary approve', 'data-approval-id': id }, 'Approve');
  const refuse = h('button', { type: 'button', class: 'danger refuse', 'data-approval-id': id }, 'Refuse');
  const actions = h('div', { class: 'actions' }, approve, refuse);
  const badge = h('span', { class: 'approval-status' }, statusBadge(short(a.status)));
  const form = h('div', { class: 'decision' },
    h('label', { for: fb.id }, 'Feedback'), fb, actions);

  function showDecided(d) {
    fill(badge, statusBadge(short(d.status)));
    li.dataset.status = short(d.status);
    form.replaceWith(h('p', { class: 'muted decided' },
      `${short(d.status).charAt(0)}${short(d.status).slice(1).toLowerCase()}`,
      d.decided_at ? ` ${fmtTime(d.decided_at)}` : '',
      d.feedback ? [': ', h('q', {}, d.feedback)] : ''));
  }

  async function send(approved) {
    approve.disabled = true;
    refuse.disabled = true;
    fill(msg);
    try {
      const d = await decide(a.task_id, id, approved, fb.value.trim(), signal);
      showDecided(d);
      onDecided?.(d);
    } catch (e) {
      if (isQuiet(e)) return;
      if (e instanceof ApiError && e.status === 409) {
        fill(msg, alertBox('This approval was already decided or has expired.', 'info'));
        form.remove();
        onDecided?.(null);
        return;
      }
      fill(msg, alertBox(e.message || String(e)));
      approve.disabled = false;
      refuse.disabled = false;
    }
  }
  approve.addEventListener('click', () => send(true));
  refuse.addEventListener('click', () => send(false));

  const li = h('li', { class: 'approval', 'data-approval-id': id, 'data-task-id': a.task_id, 'data-status': short(a.status) },
    h('div', { class: 'approval-head' },
      badge,
      h('span', {}, 'Run ', h('span', { class: 'tool' }, a.tool), '?'),
      withTask
        ? h('a', { href: link(`/tasks/${a.task_id}`), class: 'task-link' }, 'Task ', h('code', {}, a.task_id))
        : h('time', { datetime: a.requested_at, title: fmtTime(a.requested_at), class: 'muted' }, `asked ${fmtAge(a.requested_at)} ago`)),
    h('div', {}, h('span', { class: 'muted' }, 'Arguments'), h('pre', { class: 'json arguments' }, prettyValue(a.arguments ?? ''))),
    withTask ? h('p', { class: 'muted' }, `Asked ${fmtAge(a.requested_at)} ago (${fmtTime(a.requested_at)})`) : null,
    short(a.status) === 'PENDING' ? form : null,
    msg);
  if (short(a.status) !== 'PENDING') showDecided(a);
  return li;
}
