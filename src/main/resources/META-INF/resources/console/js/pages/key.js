// The key form: shown whenever the tab has no key (first visit, "Forget key", or after a 401).

import { auth, url } from '../api.js';
import { h, field, pageTitle, alertBox, fill } from '../ui.js';
import { takeKeyNotice } from '../app.js';

export function render(view) {
  const notice = takeKeyNotice();
  const input = h('input', {
    id: 'api-key', name: 'api-key', type: 'password', required: true,
    autocomplete: 'off', spellcheck: false, autocapitalize: 'off',
  });
  const message = h('div', { class: 'form-message', 'aria-live': 'polite' });
  const button = h('button', { type: 'submit', class: 'primary' }, 'Use this key');

  const form = h('form', { class: 'card narrow', id: 'key-form' },
    field('API key', input, 'Kept in this tab only (sessionStorage) and sent only as the X-API-Key header.'),
    h('div', { class: 'actions' }, button),
    message);

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    const key = input.value.trim();
    if (!key) return;
    button.disabled = true;
    fill(message, 'Checking the key…');
    try {
      // One cheap authenticated call before the key is kept.
      const res = await fetch(url('/tasks', { limit: 1 }), {
        headers: { 'X-API-Key': key, Accept: 'application/json' }, cache: 'no-store', credentials: 'omit', signal: view.signal,
      });
      if (res.status === 401) {
        fill(message, alertBox('This key was rejected (401 Unauthorized).'));
        input.focus();
        return;
      }
      if (!res.ok) {
        fill(message, alertBox(`The API answered HTTP ${res.status}; try again.`));
        return;
      }
      input.value = '';
      auth.set(key); // re-renders the current route
    } catch (e) {
      if (e.name !== 'AbortError') fill(message, alertBox('The API could not be reached.'));
    } finally {
      button.disabled = false;
    }
  });

  view.root.append(
    pageTitle('Taskgate console'),
    notice ? alertBox(notice, notice.includes('401') ? 'error' : 'info') : null,
    h('p', { class: 'lead' }, 'Paste an API key to see and run this tenant\u2019s tasks.'),
    form);
  queueMicrotask(() => input.focus());
}
