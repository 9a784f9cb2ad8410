// #/overview: the last 24 hours, computed in the browser from the list endpoint. The tasks are
// read newest first in pages of 100 (created_after = now - 24 h), at most CAP of them (or
// #/overview?cap=N, up to MAX_CAP); the page says so when the cap cut the window short.

import { get } from '../api.js';
import { barChart } from '../chart.js';
import { h, fill, link, pageTitle, statusBadge, short, fmtInt, fmtCost, STATUSES } from '../ui.js';

export const CAP = 2000;
const MAX_CAP = 10000;
const HOURS = 24;
const HOUR = 3600 * 1000;

const METRICS = {
  cost: { label: 'Cost (USD)', value: (t) => t.usage?.estimated_cost || 0, format: fmtCost },
  tokens: { label: 'Tokens', value: (t) => t.usage?.total_tokens || 0, format: (v) => fmtInt(Math.round(v)) },
  tasks: { label: 'Tasks', value: () => 1, format: (v) => fmtInt(Math.round(v)) },
};

/** Reads up to `cap` tasks created after `since`; returns {tasks, capped}. */
async function readWindow(since, cap, signal, progress) {
  const tasks = [];
  let token = '';
  do {
    const limit = Math.min(100, cap - tasks.length);
    const page = await get('/tasks', { created_after: since, limit, page_token: token }, { signal });
    tasks.push(...(page.tasks || []));
    token = page.next_page_token || '';
    progress(tasks.length);
  } while (token && tasks.length < cap);
  return { tasks, capped: Boolean(token) };
}

/** Hourly buckets: the current hour and the 23 before it. */
export function hourly(tasks, metric, now = Date.now()) {
  const end = Math.floor(now / HOUR) * HOUR + HOUR;
  const start = end - HOURS * HOUR;
  const sums = new Array(HOURS).fill(0);
  for (const t of tasks) {
    const i = Math.floor((Date.parse(t.created_at) - start) / HOUR);
    if (i >= 0 && i < HOURS) sums[i] += metric.value(t);
  }
  return sums.map((value, i) => {
    const from = new Date(start + i * HOUR);
    const label = `${String(from.getHours()).padStart(2, '0')}:00`;
    return { label, value, tip: `${label}\u2013${String((from.getHours() + 1) % 24).padStart(2, '0')}:00: ${metric.format(value)}` };
  });
}

export function render(view, query) {
  const asked = Number.parseInt(query.get('cap'), 10);
  const cap = asked >= 1 ? Math.min(asked, MAX_CAP) : CAP;
  const status = h('p', { class: 'muted', id: 'overview-state', 'aria-live': 'polite' });
  const cards = h('ul', { class: 'cards', id: 'status-counts' });
  const totals = h('p', { id: 'overview-totals' });
  const capNote = h('div', { id: 'overview-cap' });
  const metricSelect = h('select', { id: 'o-metric' },
    Object.entries(METRICS).map(([k, m]) => h('option', { value: k }, m.label)));
  const chartSlot = h('figure', { class: 'chart-box', id: 'overview-chart' });
  const refreshBtn = h('button', { type: 'button', id: 'overview-refresh' }, 'Refresh');
  let data = null;

  function drawChart() {
    if (!data) return;
    const metric = METRICS[metricSelect.value];
    const bars = hourly(data.tasks, metric, data.at);
    fill(chartSlot,
      barChart({ bars, format: metric.format, labelEvery: 3, title: `${metric.label} per hour, last 24 hours` }),
      h('figcaption', { class: 'muted' }, `${metric.label} per hour of creation, last 24 hours (local time).`),
      h('details', {}, h('summary', {}, 'Chart data'),
        h('table', { class: 'compact' },
          h('thead', {}, h('tr', {}, h('th', { scope: 'col' }, 'Hour'), h('th', { scope: 'col', class: 'num' }, metric.label))),
          h('tbody', {}, bars.map((b) => h('tr', {}, h('td', {}, b.label), h('td', { class: 'num' }, metric.format(b.value))))))));
  }

  async function load() {
    refreshBtn.disabled = true;
    const at = Date.now();
    const since = new Date(at - HOURS * HOUR).toISOString().replace(/\.\d{3}Z$/, 'Z');
    fill(status, 'Reading tasks…');
    try {
      const { tasks, capped } = await readWindow(since, cap, view.signal, (n) => fill(status, `Reading tasks… ${fmtInt(n)}`));
      data = { tasks, at };
      const counts = Object.fromEntries(STATUSES.map((s) => [s, 0]));
      let tokens = 0;
      let cost = 0;
      for (const t of tasks) {
        counts[short(t.status)] = (counts[short(t.status)] || 0) + 1;
        tokens += t.usage?.total_tokens || 0;
        cost += t.usage?.estimated_cost || 0;
      }
      fill(cards, STATUSES.map((s) => h('li', { class: 'count-card', 'data-status': s },
        h('a', { href: link('/tasks', { status: s.toLowerCase(), created_after: since }) },
          h('span', { class: 'count' }, fmtInt(counts[s])), statusBadge(s)))));
      fill(totals, `${fmtInt(tasks.length)} tasks \u00b7 ${fmtInt(tokens)} tokens \u00b7 ${fmtCost(cost)} estimated cost`);
      fill(capNote, capped
        ? h('div', { class: 'alert info', role: 'status' }, `Capped: only the newest ${fmtInt(cap)} tasks of the last 24 hours are counted; the window holds more.`)
        : null);
      fill(status, `Computed at ${new Date(at).toLocaleTimeString()} from ${fmtInt(tasks.length)} tasks created in the last 24 hours.`);
      drawChart();
    } finally {
      refreshBtn.disabled = false;
    }
  }

  metricSelect.addEventListener('change', drawChart);
  refreshBtn.addEventListener('click', () => view.run(load));

  view.root.append(
    h('div', { class: 'page-head' }, pageTitle('Overview'), refreshBtn),
    status, capNote,
    h('section', { 'aria-labelledby': 'sc-h' }, h('h2', { id: 'sc-h' }, 'Tasks by status'), cards, totals),
    h('section', { 'aria-labelledby': 'ch-h' },
      h('div', { class: 'section-head' }, h('h2', { id: 'ch-h' }, 'Over time'),
        h('label', { for: 'o-metric' }, 'Show '), metricSelect),
      chartSlot));
  view.run(load);
}
