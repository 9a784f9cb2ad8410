// Server-Sent Events over fetch(). EventSource cannot send the X-API-Key header, so the stream
// is read from a ReadableStream and parsed here (the WHATWG "event stream" format), and a
// dropped stream is reopened with Last-Event-ID, which the server resumes from without loss
// or repetition.

import { openStream, ApiError, isQuiet } from './api.js';

const TERMINAL = new Set(['TASK_COMPLETED', 'TASK_FAILED', 'TASK_CANCELLED', 'TASK_TIMEOUT']);

/** An incremental SSE parser: push() text as it arrives; onFrame({event, data, id}) per frame. */
export class SseParser {
  constructor(onFrame) {
    this.onFrame = onFrame;
    this.buf = '';
    this.data = [];
    this.event = '';
    this.lastId = '';
    this.retry = null;
  }

  push(text) {
    this.buf += text;
    let m;
    while ((m = /\r\n|\r|\n/.exec(this.buf))) {
      if (m[0] === '\r' && m.index === this.buf.length - 1) break; // a "\r\n" cut in two
      const line = this.buf.slice(0, m.index);
      this.buf = this.buf.slice(m.index + m[0].length);
      this.line(line);
    }
  }

  line(line) {
    if (line === '') return this.dispatch();
    if (line.startsWith(':')) return undefined; // comment, e.g. heartbeat
    const i = line.indexOf(':');
    const name = i < 0 ? line : line.slice(0, i);
    let value = i < 0 ? '' : line.slice(i + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (name === 'data') this.data.push(value);
    else if (name === 'event') this.event = value;
    else if (name === 'id' && !value.includes('\0')) this.lastId = value;
    else if (name === 'retry' && /^\d+$/.test(value)) this.retry = Number(value);
    return undefined;
  }

  dispatch() {
    if (this.data.length) {
      this.onFrame({ event: this.event || 'message', data: this.data.join('\n'), id: this.lastId });
    }
    this.data = [];
    this.event = '';
  }
}

const sleep = (ms, signal) => new Promise((resolve) => {
  const t = setTimeout(resolve, ms);
  signal.addEventListener('abort', () => { clearTimeout(t); resolve(); }, { once: true });
});

/**
 * Follows a task's event stream until its terminal event or until signal aborts.
 * onEvent(event) gets each parsed event (LLM_PARTIAL pieces too, with seq 0);
 * onState(state, error) gets 'connecting' | 'live' | 'reconnecting' | 'ended' | 'failed'.
 * Resolves with the last stored seq received.
 */
export async function followTask(taskId, { after = 0, includePartial = false, signal, onEvent, onState }) {
  let lastId = after ? String(after) : '';
  let delay = 1000;
  const params = includePartial ? { include_partial: 'true' } : {};
  while (!signal.aborted) {
    let finished = false;
    onState(lastId ? 'reconnecting' : 'connecting');
    try {
      const res = await openStream(`/tasks/${encodeURIComponent(taskId)}/stream`, params, { lastEventId: lastId, signal });
      onState('live');
      const parser = new SseParser((frame) => {
        let event;
        try { event = JSON.parse(frame.data); } catch { return; }
        if (frame.id) lastId = frame.id;
        if (TERMINAL.has(event.type)) finished = true;
        onEvent(event);
      });
      const reader = res.body.pipeThrough(new TextDecoderStream()).getReader();
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        parser.push(value);
        delay = parser.retry ?? 1000;
      }
      if (finished) {
        onState('ended');
        return Number(lastId) || 0;
      }
    } catch (e) {
      if (isQuiet(e) || signal.aborted) return Number(lastId) || 0;
      if (e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 429) {
        onState('failed', e);
        return Number(lastId) || 0;
      }
      // A network error or 5xx: try again below.
    }
    if (signal.aborted) break;
    onState('reconnecting');
    await sleep(delay, signal);
    delay = Math.min(delay * 2, 15000);
  }
  return Number(lastId) || 0;
}
