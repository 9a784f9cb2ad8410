/**
 * A small Server-Sent Events parser (the WHATWG "event stream interpretation"), fed with decoded
 * text in chunks of any size: lines may end in LF, CRLF or CR, and a chunk may end anywhere,
 * even between the CR and LF of one line ending.
 *
 * Unlike `EventSource`, a message reports `id` only when its own frame had an `id:` field, so a
 * frame without one (Taskgate's live `LLM_PARTIAL` pieces) is recognisable as such.
 */

export interface SseMessage {
  kind: "message";
  /** The `event:` field, `"message"` when the frame had none. */
  event: string;
  /** The `data:` lines joined with `\n`. */
  data: string;
  /** The `id:` field of this frame, when it had one. */
  id?: string;
}

export interface SseComment {
  kind: "comment";
  /** The text after the `:` (one leading space removed). */
  text: string;
}

export interface SseRetry {
  kind: "retry";
  /** The server's reconnection time in milliseconds (`retry:`). */
  ms: number;
}

export type SseItem = SseMessage | SseComment | SseRetry;

export class SseParser {
  #buffer = "";
  #skipLf = false;
  #started = false;
  #event = "";
  #data: string[] = [];
  #id: string | undefined;

  /** Parses `text` (the next decoded piece of the stream) and returns what it completed. */
  feed(text: string): SseItem[] {
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) {
        text = text.slice(1);
      }
    }
    const out: SseItem[] = [];
    let start = 0;
    if (this.#skipLf && text.length > 0) {
      this.#skipLf = false;
      if (text[0] === "\n") {
        start = 1;
      }
    }
    for (let i = start; i < text.length; i++) {
      const c = text[i];
      if (c !== "\n" && c !== "\r") {
        continue;
      }
      const line = this.#buffer + text.slice(start, i);
      this.#buffer = "";
      this.#line(line, out);
      if (c === "\r") {
        if (i + 1 < text.length) {
          if (text[i + 1] === "\n") {
            i++;
          }
        } else {
          this.#skipLf = true;
        }
      }
      start = i + 1;
    }
    this.#buffer += text.slice(start);
    return out;
  }

  #line(line: string, out: SseItem[]): void {
    if (line === "") {
      this.#dispatch(out);
      return;
    }
    if (line[0] === ":") {
      const text = line.slice(1);
      out.push({ kind: "comment", text: text[0] === " " ? text.slice(1) : text });
      return;
    }
    const colon = line.indexOf(":");
    let field: string;
    let value: string;
    if (colon < 0) {
      field = line;
      value = "";
    } else {
      field = line.slice(0, colon);
      value = line.slice(colon + 1);
      if (value[0] === " ") {
        value = value.slice(1);
      }
    }
    switch (field) {
      case "event":
        this.#event = value;
        break;
      case "data":
        this.#data.push(value);
        break;
      case "id":
        if (!value.includes("\u0000")) {
          this.#id = value;
        }
        break;
      case "retry":
        if (/^[0-9]+$/.test(value)) {
          out.push({ kind: "retry", ms: Number(value) });
        }
        break;
      default:
        break; // unknown fields are ignored
    }
  }

  #dispatch(out: SseItem[]): void {
    if (this.#data.length > 0) {
      const message: SseMessage = { kind: "message", event: this.#event || "message", data: this.#data.join("\n") };
      if (this.#id !== undefined) {
        message.id = this.#id;
      }
      out.push(message);
    }
    this.#event = "";
    this.#data = [];
    this.#id = undefined;
  }
}
