// #/submit: the submit form. The context JSON is checked as it is typed; the API's own message
// is shown for a 4xx; a 202 opens the new task's page.
//
// Each submission carries an Idempotency-Key. Sending the very same body again after a network
// error or a 5xx reuses the key, so a retry can never create a second task.

import { request, url, uuid, isQuiet } from '../api.js';
import { h, fill, field, select, pageTitle, alertBox, link } from '../ui.js';

const EXAMPLES = [
  ['Slow (60 s)', { simulate: { delay_ms: 60000 } }],
  ['Streams slowly', { simulate: { chunk_delay_ms: 400 } }],
  ['Fails', { simulate: { error: 'LLM service unavailable: connection timeout' } }],
  ['JSON result', { simulate: { result: '{"answer": "Paris"}' } }],
];

/** The context text as an object, or an error message. */
export function parseContext(text) {
  if (!text.trim()) return { value: undefined };
  try {
    const value = JSON.parse(text);
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return { error: 'The context must be a JSON object, e.g. {"key": "value"}.' };
    return { value };
  } catch (e) {
    return { error: `Not valid JSON: ${e.message}` };
  }
}

export function render(view, query) {
  const q = h('textarea', { id: 's-query', name: 'query', rows: 4, required: true, placeholder: 'What is 1234 * 5678?' });
  const mode = select('s-mode', [['simple', 'Simple: one model call'], ['standard', 'Standard: model with tools'], ['complex', 'Complex: planned sub-tasks']]);
  const session = h('input', {
    id: 's-session', type: 'text', value: query.get('session_id') || '', pattern: '[A-Za-z0-9._:@\\-]{1,128}',
    maxLength: 128, autocomplete: 'off', spellcheck: false, placeholder: 'new session',
  });
  const provider = select('s-provider', [['', 'Default'], ['local', 'local'], ['openai', 'openai'], ['anthropic', 'anthropic']]);
  const model = h('input', { id: 's-model', type: 'text', autocomplete: 'off', spellcheck: false, placeholder: 'provider default' });
  const tier = select('s-tier', [['', 'None'], ['small', 'small'], ['medium', 'medium'], ['large', 'large']]);
  const timeout = h('input', { id: 's-timeout', type: 'number', min: 1, max: 3600, step: 1, inputMode: 'numeric', placeholder: '300' });
  const context = h('textarea', { id: 's-context', rows: 4, spellcheck: false, class: 'mono', placeholder: '{"simulate": {"delay_ms": 5000}}' });
  const contextError = h('small', { id: 's-context-error', class: 'field-error', 'aria-live': 'polite' });
  context.setAttribute('aria-describedby', contextError.id);
  const modelError = h('small', { id: 's-model-error', class: 'field-error', 'aria-live': 'polite' });
  tier.setAttribute('aria-describedby', modelError.id);
  const message = h('div', { id: 'submit-message' });
  const button = h('button', { type: 'submit', class: 'primary', id: 'submit-task' }, 'Submit task');

  const checkContext = () => {
    const { error } = parseContext(context.value);
    context.setCustomValidity(error || '');
    context.setAttribute('aria-invalid', error ? 'true' : 'false');
    fill(contextError, error || '');
    return !error;
  };
  const checkModel = () => {
    const error = tier.value && (provider.value || model.value.trim()) ? 'A tier cannot be combined with a provider or model.' : '';
    tier.setCustomValidity(error);
    fill(modelError, error);
    return !error;
  };
  context.addEventListener('input', checkContext);
  [tier, provider, model].forEach((el) => el.addEventListener('input', checkModel));

  const examples = h('div', { class: 'examples' }, h('span', { class: 'muted' }, 'Simulation (local model): '),
    EXAMPLES.map(([label, value]) => h('button', {
      type: 'button', class: 'small',
      onclick: () => { context.value = JSON.stringify(value); checkContext(); },
    }, label)));

  const form = h('form', { class: 'card', id: 'submit-form', novalidate: true },
    field('Query', q),
    h('div', { class: 'grid' },
      field('Mode', mode),
      field('Session', session, 'Leave empty for a new session. Letters, digits and . _ : @ -'),
      field('Timeout (seconds)', timeout, '1 to 3600; default 300.')),
    h('fieldset', {}, h('legend', {}, 'Model (optional)'),
      h('div', { class: 'grid' }, field('Provider', provider), field('Model', model), field('Tier', tier)),
      modelError),
    h('div', { class: 'field' }, h('label', { for: context.id }, 'Context (JSON object, optional)'), context, contextError, examples),
    h('div', { class: 'actions' }, button),
    message);

  let last = null; // {body, key} of the last attempt that may have reached the server

  form.addEventListener('submit', async (ev) => {
    ev.preventDefault();
    fill(message);
    const okModel = checkModel();
    const okContext = checkContext();
    if (!form.checkValidity() || !okModel || !okContext) {
      form.reportValidity();
      return;
    }
    const body = { query: q.value, mode: mode.value };
    if (session.value.trim()) body.session_id = session.value.trim();
    if (timeout.value) body.timeout_seconds = Number(timeout.value);
    if (provider.value) body.provider = provider.value;
    if (model.value.trim()) body.model = model.value.trim();
    if (tier.value) body.model_tier = tier.value;
    const ctx = parseContext(context.value).value;
    if (ctx) body.context = ctx;

    const text = JSON.stringify(body);
    const key = last?.body === text ? last.key : uuid();
    last = { body: text, key };
    button.disabled = true;
    try {
      const r = await request(url('/tasks'), { method: 'POST', body: text, headers: { 'Idempotency-Key': key }, signal: view.signal });
      last = null;
      location.hash = link(`/tasks/${r.data.task_id}`);
    } catch (e) {
      if (isQuiet(e)) return;
      if (e.status && e.status < 500) last = null; // rejected: nothing was created
      const box = alertBox(e.status ? `${e.message} (HTTP ${e.status})` : `The request failed: ${e.message}`);
      box.tabIndex = -1;
      fill(message, box);
      box.focus();
    } finally {
      button.disabled = false;
    }
  });

  view.root.append(pageTitle('Submit a task'), form);
}
