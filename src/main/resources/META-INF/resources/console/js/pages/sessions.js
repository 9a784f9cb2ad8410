// #/sessions (the tenant's sessions, cursor pages) and #/sessions/<id> (one conversation: its
// turns oldest first, each task's query and answer, and the session's total tokens and cost).

import { get } from '../api.js';
import {
  h, fill, link, pageTitle, statusBadge, isTerminal, resultBlock, alertBox,
  fmtInt, fmtCost, fmtTime, fmtAge,
} from '../ui.js';

const PAGE_SIZE = 20;
const TURNS_PAGE = 20;

const usageText = (u) => (u ? `${fmtInt(u.total_tokens)} (${fmtInt(u.input_tokens)} in, ${fmtInt(u.output_tokens)} out)` : '—');

export function renderList(view) {
  const tokens = [''];
  let page = 0;
  let next = null;
  const tbody = h('tbody');
  const errorSlot = h('div');
  const prev = h('button', { type: 'button', id: 'sessions-prev', disabled: true }, '\u2190 Newer');
  const nextBtn = h('button', { type: 'button', id: 'sessions-next', disabled: true }, 'Older \u2192');
  const pageLabel = h('span', { class: 'muted' });

  const row = (s) => h('tr', { 'data-session-id': s.session_id },
    h('td', { 'data-label': 'Session' }, h('a', { href: link(`/sessions/${s.session_id}`) }, s.session_id)),
    h('td', { class: 'num', 'data-label': 'Tasks' }, fmtInt(s.task_count)),
    h('td', { class: 'num', 'data-label': 'Tokens' }, fmtInt(s.usage?.total_tokens)),
    h('td', { class: 'num', 'data-label': 'Cost' }, fmtCost(s.usage?.estimated_cost)),
    h('td', { 'data-label': 'Started' }, h('time', { datetime: s.first_activity_at, title: fmtTime(s.first_activity_at) }, `${fmtAge(s.first_activity_at)} ago`)),
    h('td', { 'data-label': 'Last activity' }, h('time', { datetime: s.last_activity_at, title: fmtTime(s.last_activity_at) }, `${fmtAge(s.last_activity_at)} ago`)));

  async function load() {
    const data = await get('/sessions', { limit: PAGE_SIZE, page_token: tokens[page] }, { signal: view.signal });
    const sessions = data.sessions || [];
    next = data.next_page_token || null;
    fill(tbody, sessions.length ? sessions.map(row) : h('tr', { class: 'empty' }, h('td', { colSpan: 6 }, 'No sessions yet.')));
    prev.disabled = page === 0;
    nextBtn.disabled = !next;
    fill(pageLabel, `Page ${page + 1}`);
    fill(errorSlot);
  }
  prev.addEventListener('click', () => { tokens.length = page; page -= 1; view.run(load, errorSlot); });
  nextBtn.addEventListener('click', () => { tokens[page + 1] = next; page += 1; view.run(load, errorSlot); });

  view.root.append(pageTitle('Sessions'), errorSlot,
    h('div', { class: 'table-wrap' }, h('table', { class: 'sessions', id: 'sessions-table' },
      h('caption', { class: 'visually-hidden' }, 'Sessions, the most recently started first'),
      h('thead', {}, h('tr', {}, ['Session', 'Tasks', 'Tokens', 'Cost', 'Started', 'Last activity']
        .map((c, i) => h('th', { scope: 'col', class: i > 0 && i < 4 ? 'num' : null }, c)))),
      tbody)),
    h('nav', { class: 'pager', 'aria-label': 'Pages' }, prev, pageLabel, nextBtn));
  view.run(load, errorSlot);
  view.poll(5000, () => (page === 0 ? view.run(load, errorSlot) : undefined));
}

function turn(task) {
  return h('li', { class: 'turn', 'data-task-id': task.task_id },
    h('div', { class: 'turn-head' },
      statusBadge(task.status),
      h('time', { datetime: task.created_at, class: 'muted' }, fmtTime(task.created_at)),
      h('a', { href: link(`/tasks/${task.task_id}`) }, 'Open task')),
    h('div', { class: 'bubble user' }, h('span', { class: 'who' }, 'Query'), h('pre', { class: 'text' }, task.query || '')),
    h('div', { class: 'bubble answer' }, h('span', { class: 'who' }, 'Answer'),
      task.error ? alertBox(task.error) : null,
      task.result != null ? resultBlock(task.result) : (task.error ? null : h('p', { class: 'muted' }, isTerminal(task.status) ? 'No result.' : 'Working…'))));
}

export function renderOne(view, sessionId) {
  const turns = new Map(); // task_id -> {task, el}
  let older = null; // page_token for earlier turns
  const summary = h('dl', { class: 'facts', id: 'session-summary' });
  const list = h('ol', { class: 'turns', id: 'session-turns' });
  const errorSlot = h('div');
  const earlier = h('button', { type: 'button', id: 'session-earlier', hidden: true }, 'Load earlier turns');

  function showSummary(s) {
    const pair = (t, v) => [h('dt', {}, t), h('dd', {}, v)];
    fill(summary,
      pair('Tasks', fmtInt(s.task_count)),
      pair('Tokens', usageText(s.usage)),
      pair('Cost', h('span', { id: 'session-cost' }, fmtCost(s.usage?.estimated_cost))),
      pair('First activity', fmtTime(s.first_activity_at)),
      pair('Last activity', fmtTime(s.last_activity_at)));
  }

  function merge(tasks) {
    for (const t of tasks) {
      const json = JSON.stringify(t);
      const had = turns.get(t.task_id);
      if (had?.json === json) continue;
      const el = turn(t);
      if (had) had.el.replaceWith(el);
      turns.set(t.task_id, { task: t, json, el });
    }
    const ordered = [...turns.values()].sort((a, b) => (a.task.task_id < b.task.task_id ? -1 : 1));
    ordered.forEach(({ el }, i) => { if (list.children[i] !== el) list.insertBefore(el, list.children[i] || null); });
  }

  async function loadNewest() {
    const enc = encodeURIComponent(sessionId);
    const [s, page] = await Promise.all([
      get(`/sessions/${enc}`, {}, { signal: view.signal }),
      get(`/sessions/${enc}/tasks`, { limit: TURNS_PAGE }, { signal: view.signal }),
    ]);
    showSummary(s);
    if (turns.size === 0) {
      older = page.next_page_token || null;
      earlier.hidden = !older;
    }
    merge(page.tasks || []);
    fill(errorSlot);
  }

  earlier.addEventListener('click', () => view.run(async () => {
    const page = await get(`/sessions/${encodeURIComponent(sessionId)}/tasks`, { limit: TURNS_PAGE, page_token: older }, { signal: view.signal });
    older = page.next_page_token || null;
    earlier.hidden = !older;
    merge(page.tasks || []);
  }, errorSlot));

  view.root.append(
    h('p', { class: 'crumbs' }, h('a', { href: '#/sessions' }, 'Sessions'), ' / ', h('code', {}, sessionId)),
    h('div', { class: 'page-head' }, pageTitle('Session ', h('code', {}, sessionId)),
      h('div', { class: 'task-controls' },
        h('a', { class: 'button-link', href: link('/tasks', { session_id: sessionId }) }, 'In task list'),
        h('a', { class: 'button-link primary', href: link('/submit', { session_id: sessionId }) }, 'Continue session'))),
    errorSlot, summary, h('h2', {}, 'Turns'), earlier, list);

  view.run(loadNewest, errorSlot);
  view.poll(2000, () => {
    const busy = [...turns.values()].some(({ task }) => !isTerminal(task.status));
    return busy ? view.run(loadNewest, errorSlot) : undefined;
  });
}
