// #/approvals: the tenant's approvals inbox (GET /approvals?status=pending, oldest first), each
// with its tool, arguments, a link to its task and Approve / Refuse. The status filter lives in
// the URL (#/approvals?status=refused). The first page is re-read every 2 s while the tab is
// visible; cards already on screen are kept (a feedback being typed is not lost), new ones are
// added, ones decided elsewhere leave, and ones decided here stay with their outcome.

import { get } from '../api.js';
import { approvalCard } from '../approvals.js';
import { h, fill, field, select, link, pageTitle } from '../ui.js';

const PAGE_SIZE = 20;
const POLL_MS = 2000;
const STATUS_OPTIONS = [['pending', 'Pending'], ['approved', 'Approved'], ['refused', 'Refused'], ['expired', 'Expired'], ['', 'Any status']];

export function render(view, query) {
  const status = query.has('status') ? query.get('status') : 'pending';
  const tokens = [''];
  let page = 0;
  let next = null;
  const cards = new Map(); // approval_id -> {el, decidedHere}
  const list = h('ol', { class: 'approvals', id: 'approvals-list', 'aria-label': 'Approvals' });
  const empty = h('p', { class: 'muted', id: 'approvals-empty', hidden: true },
    status === 'pending' ? 'No tool call is waiting for a decision.' : 'No approvals.');
  const errorSlot = h('div');
  const prev = h('button', { type: 'button', id: 'approvals-prev', disabled: true }, '\u2190 Earlier');
  const nextBtn = h('button', { type: 'button', id: 'approvals-next', disabled: true }, 'Later \u2192');
  const pageLabel = h('span', { class: 'muted' });
  const statusSelect = select('a-status', STATUS_OPTIONS, status);
  statusSelect.addEventListener('change', () => { location.hash = link('/approvals', { status: statusSelect.value || 'all' }); });

  async function load() {
    const data = await get('/approvals', { status: status === 'all' ? '' : status, limit: PAGE_SIZE, page_token: tokens[page] },
      { signal: view.signal });
    const approvals = data.approvals || [];
    next = data.next_page_token || null;
    const seen = new Set();
    const ordered = approvals.map((a) => {
      seen.add(a.approval_id);
      let entry = cards.get(a.approval_id);
      if (!entry) {
        entry = { el: null, decidedHere: false };
        entry.el = approvalCard(a, { signal: view.signal, withTask: true, onDecided: () => { entry.decidedHere = true; } });
        cards.set(a.approval_id, entry);
      }
      return entry.el;
    });
    for (const [id, entry] of cards) {
      if (!seen.has(id) && !entry.decidedHere) {
        entry.el.remove();
        cards.delete(id);
      }
    }
    // Cards decided here keep their place; the others follow the server's order.
    let anchor = null;
    for (const el of ordered) {
      if (el.parentNode !== list || el.previousElementSibling !== anchor) list.insertBefore(el, anchor ? anchor.nextSibling : list.firstChild);
      anchor = el;
    }
    empty.hidden = list.children.length > 0;
    prev.disabled = page === 0;
    nextBtn.disabled = !next;
    fill(pageLabel, `Page ${page + 1}`);
    fill(errorSlot);
  }

  function turn(to) {
    page = to;
    cards.forEach((entry) => entry.el.remove());
    cards.clear();
    view.run(load, errorSlot);
  }
  prev.addEventListener('click', () => { tokens.length = page; turn(page - 1); });
  nextBtn.addEventListener('click', () => { tokens[page + 1] = next; turn(page + 1); });

  view.root.append(pageTitle('Approvals'),
    h('p', { class: 'muted' }, 'Tool calls of your tasks that wait for a person\u2019s decision, oldest first. Approving runs the tool; refusing tells the model, with your feedback.'),
    h('div', { class: 'filters' }, field('Status', statusSelect)),
    errorSlot, list, empty,
    h('nav', { class: 'pager', 'aria-label': 'Pages' }, prev, pageLabel, nextBtn));
  view.run(load, errorSlot);
  view.poll(POLL_MS, () => (page === 0 ? view.run(load, errorSlot) : undefined));
}
