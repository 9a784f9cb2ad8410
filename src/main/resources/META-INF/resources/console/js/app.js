// The console's shell: hash routing, the key gate, and the life cycle of a page view.
//
// Routes: #/tasks, #/tasks/<id>, #/approvals, #/submit, #/sessions, #/sessions/<id>, #/overview
// (a query after "?" in the hash carries filters, e.g. #/tasks?status=running).

import { auth, isQuiet, ApiError } from './api.js';
import { h, alertBox, fill, pageTitle } from './ui.js';
import * as keyPage from './pages/key.js';
import * as tasksPage from './pages/tasks.js';
import * as taskPage from './pages/task.js';
import * as submitPage from './pages/submit.js';
import * as approvalsPage from './pages/approvals.js';
import * as sessionsPage from './pages/sessions.js';
import * as overviewPage from './pages/overview.js';

const routes = [
  [/^\/tasks$/, tasksPage.render, 'Tasks', 'tasks'],
  [/^\/tasks\/([^/]+)$/, taskPage.render, 'Task', 'tasks'],
  [/^\/approvals$/, approvalsPage.render, 'Approvals', 'approvals'],
  [/^\/submit$/, submitPage.render, 'Submit', 'submit'],
  [/^\/sessions$/, sessionsPage.renderList, 'Sessions', 'sessions'],
  [/^\/sessions\/([^/]+)$/, sessionsPage.renderOne, 'Session', 'sessions'],
  [/^\/overview$/, overviewPage.render, 'Overview', 'overview'],
];

const main = document.getElementById('main');
const nav = document.getElementById('nav');
const forgetButton = document.getElementById('forget-key');

/**
 * One rendered page. Everything a page starts (requests, streams, timers, listeners) is tied to
 * its view and stops when the user navigates away or the key changes.
 */
export class View {
  constructor(root) {
    this.root = root;
    this.ctrl = new AbortController();
    this.cleanups = [];
  }

  get signal() { return this.ctrl.signal; }

  get closed() { return this.ctrl.signal.aborted; }

  onClose(fn) { this.cleanups.push(fn); }

  close() {
    this.ctrl.abort();
    this.cleanups.splice(0).forEach((fn) => fn());
  }

  /** Runs fn(); errors that matter are shown in `where` (default: the top of the page). */
  async run(fn, where) {
    try {
      return await fn();
    } catch (e) {
      if (!isQuiet(e) && !this.closed && !(e instanceof ApiError && e.status === 401)) {
        const offline = e instanceof TypeError && /fetch|network|load failed/i.test(e.message);
        this.error(offline ? 'The API could not be reached.' : e.message || String(e), where);
      }
      return undefined;
    }
  }

  error(message, where) {
    const box = alertBox(message);
    if (where) fill(where, box);
    else this.root.prepend(box);
  }

  /**
   * Calls fn every `ms` while the tab is visible (never two at once); returns a function that
   * triggers a call now. Hidden tabs make no requests; showing the tab again polls at once.
   */
  poll(ms, fn) {
    let timer = null;
    let running = false;
    const tick = async () => {
      clearTimeout(timer);
      if (this.closed || running || document.hidden) return;
      running = true;
      try { await fn(); } catch { /* fn shows its own errors */ }
      running = false;
      if (!this.closed && !document.hidden) timer = setTimeout(tick, ms);
    };
    const onVisible = () => { if (!document.hidden) tick(); };
    document.addEventListener('visibilitychange', onVisible);
    this.onClose(() => { clearTimeout(timer); document.removeEventListener('visibilitychange', onVisible); });
    timer = setTimeout(tick, ms);
    return tick;
  }
}

let current = null;
let navigated = false; // the first page load keeps the browser's default focus

function parseHash() {
  const raw = location.hash.replace(/^#/, '') || '/tasks';
  const i = raw.indexOf('?');
  const path = decodeURIComponent(i < 0 ? raw : raw.slice(0, i));
  return { path: path.replace(/\/+$/, '') || '/tasks', query: new URLSearchParams(i < 0 ? '' : raw.slice(i + 1)) };
}

function route() {
  current?.close();
  const root = document.createElement('div');
  current = new View(root);
  fill(main, root);

  const hasKey = Boolean(auth.key);
  nav.hidden = !hasKey;
  forgetButton.hidden = !hasKey;
  if (!hasKey) {
    document.title = 'API key · Taskgate console';
    keyPage.render(current, route);
    focusTitle();
    return;
  }

  const { path, query } = parseHash();
  const match = routes.find(([re]) => re.test(path));
  for (const a of nav.querySelectorAll('a')) {
    if (match && a.dataset.section === match[3]) a.setAttribute('aria-current', 'page');
    else a.removeAttribute('aria-current');
  }
  if (!match) {
    document.title = 'Not found · Taskgate console';
    root.append(pageTitle('Not found'), alertBox(`No page at #${path}.`), h('a', { href: '#/tasks' }, 'Go to the tasks'));
    return;
  }
  const [re, render, title] = match;
  document.title = `${title} · Taskgate console`;
  const params = path.match(re).slice(1);
  render(current, ...params, query);
  focusTitle();
}

/** After navigation, focus moves to the new page's heading (keyboard and screen-reader users). */
function focusTitle() {
  if (!navigated) return;
  const title = document.getElementById('page-title');
  title?.focus({ preventScroll: false });
}

let keyNotice = '';
/** The key form shows why it is there after a 401. */
export const takeKeyNotice = () => { const n = keyNotice; keyNotice = ''; return n; };

auth.onChange((reason) => {
  if (reason === 'rejected') keyNotice = 'The API answered 401 Unauthorized: the key is unknown or was revoked. Enter a valid key.';
  if (reason === 'forget') keyNotice = 'The key was forgotten.';
  navigated = true;
  route();
});

forgetButton.addEventListener('click', () => auth.forget('forget'));
// The skip link moves focus without touching the hash (the hash is the route).
document.querySelector('.skip').addEventListener('click', (ev) => { ev.preventDefault(); main.focus(); });
window.addEventListener('hashchange', () => { navigated = true; route(); });
if (!location.hash) history.replaceState(null, '', '#/tasks');
route();
