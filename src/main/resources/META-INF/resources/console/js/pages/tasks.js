// #/tasks: the task list with filters, cursor paging and live rows.
//
// Filters live in the URL (#/tasks?status=running&session_id=…); the cursor stack of the pages
// seen so far lives in memory. The page on screen is re-read every 2 s while the tab is visible,
// and only when it can change: the first page (new tasks appear there) or a page that still
// shows unfinished tasks. Rows are updated in place, so focus and scroll position stay put.

import { get } from '../api.js';
import {
  h, fill, field, select, link, pageTitle, statusBadge, short, isTerminal,
  fmtInt, fmtCost, fmtAge, fmtTime, toLocalInput, fromLocalInput, STATUSES, MODES,
} from '../ui.js';

const PAGE_SIZE = 25;
const POLL_MS = 2000;

const STATUS_OPTIONS = [['', 'Any status'], ['queued,running,paused', 'Unfinished'],
  ...STATUSES.map((s) => [s.toLowerCase(), s.charAt(0) + s.slice(1).toLowerCase()])];
const MODE_OPTIONS = [['', 'Any mode'], ...MODES.map((m) => [m.toLowerCase(), m.charAt(0) + m.slice(1).toLowerCase()])];

/** Table columns: header, cell content, cell class. The query cell (the link) is last. */
export const COLUMNS = [
  ['Status', (t) => statusBadge(t.status)],
  ['Mode', (t) => short(t.mode).toLowerCase() || '—'],
  ['Model', (t) => (t.model_used ? h('span', { title: t.provider || '' }, t.model_used) : '—')],
  ['Tokens', (t) => h('span', { title: t.usage ? `${fmtInt(t.usage.input_tokens)} in / ${fmtInt(t.usage.output_tokens)} out` : '' }, fmtInt(t.usage?.total_tokens)), 'num'],
  ['Cost', (t) => fmtCost(t.usage?.estimated_cost), 'num'],
  ['Age', (t) => h('time', { datetime: t.created_at, title: fmtTime(t.created_at) }, fmtAge(t.created_at)), 'num age'],
  ['Query', (t) => h('a', { href: link(`/tasks/${t.task_id}`), class: 'query' }, oneLine(t.query)), 'query-cell'],
];

const oneLine = (q = '') => (q.length > 140 ? `${q.slice(0, 140)}…` : q).replace(/\s+/g, ' ');

export function headerRow() {
  return h('tr', {}, COLUMNS.map(([name, , cls]) => h('th', { scope: 'col', class: cls }, name)));
}

/** Fills (or refills) a row's cells; the query link is kept when the row already has one. */
export function fillRow(tr, task) {
  const cells = [...tr.children];
  COLUMNS.forEach(([name, content, cls], i) => {
    if (cells[i] && i === COLUMNS.length - 1) return;
    const td = cells[i] || tr.appendChild(h('td', { class: cls, 'data-label': name }));
    fill(td, content(task));
  });
  tr.dataset.status = short(task.status);
  tr.json = JSON.stringify(task);
  return tr;
}

/**
 * Puts `tasks` into `tbody` in order, reusing the row of each task id that is already there:
 * unchanged rows are not touched (except their age), changed ones are refilled in place.
 */
export function syncRows(tbody, tasks, emptyText) {
  const existing = new Map([...tbody.querySelectorAll('tr[data-task-id]')].map((tr) => [tr.dataset.taskId, tr]));
  const rows = tasks.map((t) => {
    const tr = existing.get(t.task_id) || h('tr', { 'data-task-id': t.task_id });
    if (tr.json !== JSON.stringify(t)) fillRow(tr, t);
    else fill(tr.querySelector('.age'), COLUMNS[5][1](t));
    return tr;
  });
  if (!rows.length) rows.push(h('tr', { class: 'empty' }, h('td', { colSpan: COLUMNS.length }, emptyText)));
  let cursor = tbody.firstChild;
  for (const tr of rows) {
    if (tr === cursor) cursor = cursor.nextSibling;
    else tbody.insertBefore(tr, cursor);
  }
  while (cursor) {
    const next = cursor.nextSibling;
    cursor.remove();
    cursor = next;
  }
}

export function render(view, query) {
  const filters = {
    status: query.get('status') || '',
    session_id: query.get('session_id') || '',
    mode: query.get('mode') || '',
    created_after: query.get('created_after') || '',
    created_before: query.get('created_before') || '',
  };
  const tokens = ['']; // page_token of each page seen; tokens[i] reads page i
  let page = 0;
  let next = null;
  let shown = [];

  // ---- filters ----
  const status = select('f-status', STATUS_OPTIONS, filters.status);
  const mode = select('f-mode', MODE_OPTIONS, filters.mode);
  const session = h('input', { id: 'f-session', type: 'text', value: filters.session_id, pattern: '[A-Za-z0-9._:@\\-]{1,128}', autocomplete: 'off', spellcheck: false });
  const after = h('input', { id: 'f-after', type: 'datetime-local', value: toLocalInput(filters.created_after) });
  const before = h('input', { id: 'f-before', type: 'datetime-local', value: toLocalInput(filters.created_before) });
  const form = h('form', { class: 'filters', role: 'search', 'aria-label': 'Filter tasks' },
    field('Status', status), field('Mode', mode), field('Session', session),
    field('Created after', after), field('Created before', before),
    h('div', { class: 'filter-actions' },
      h('button', { type: 'submit' }, 'Apply'),
      h('a', { href: '#/tasks', class: 'button-link' }, 'Clear')));
  form.addEventListener('submit', (ev) => {
    ev.preventDefault();
    location.hash = link('/tasks', {
      status: status.value, mode: mode.value, session_id: session.value.trim(),
      created_after: fromLocalInput(after.value), created_before: fromLocalInput(before.value),
    });
  });

  // ---- table and pager ----
  const tbody = h('tbody');
  const table = h('table', { class: 'tasks', id: 'tasks-table', 'aria-busy': 'true' },
    h('caption', { class: 'visually-hidden' }, 'Tasks, newest first'), h('thead', {}, headerRow()), tbody);
  const prev = h('button', { type: 'button', id: 'page-prev', disabled: true }, '\u2190 Newer');
  const nextBtn = h('button', { type: 'button', id: 'page-next', disabled: true }, 'Older \u2192');
  const pageLabel = h('span', { class: 'muted' });
  const liveLabel = h('span', { class: 'live muted', id: 'tasks-live' });
  const errorSlot = h('div');

  async function load() {
    const data = await get('/tasks', { ...filters, limit: PAGE_SIZE, page_token: tokens[page] }, { signal: view.signal });
    shown = data.tasks || [];
    next = data.next_page_token || null;
    syncRows(tbody, shown, page === 0 ? 'No tasks match.' : 'No tasks on this page.');
    table.setAttribute('aria-busy', 'false');
    prev.disabled = page === 0;
    nextBtn.disabled = !next;
    fill(pageLabel, `Page ${page + 1}`);
    fill(liveLabel, `Live \u00b7 updated ${new Date().toLocaleTimeString()}`);
    fill(errorSlot);
  }

  const goto = (i) => view.run(async () => {
    page = i;
    table.setAttribute('aria-busy', 'true');
    tbody.replaceChildren();
    await load();
  }, errorSlot);
  prev.addEventListener('click', () => { tokens.length = page; goto(page - 1); });
  nextBtn.addEventListener('click', () => { tokens[page + 1] = next; goto(page + 1); });

  view.root.append(
    h('div', { class: 'page-head' }, pageTitle('Tasks'), h('a', { href: '#/submit', class: 'button-link primary' }, 'Submit a task')),
    form, errorSlot,
    h('div', { class: 'table-wrap' }, table),
    h('nav', { class: 'pager', 'aria-label': 'Pages' }, prev, pageLabel, nextBtn, liveLabel));

  view.run(load, errorSlot);
  view.poll(POLL_MS, () => {
    if (page === 0 || shown.some((t) => !isTerminal(t.status))) return view.run(load, errorSlot);
    syncRows(tbody, shown, 'No tasks on this page.'); // ages only
    return undefined;
  });
}
