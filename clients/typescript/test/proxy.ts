/**
 * A TCP proxy between the client and the app (node `net`), so a test can break connections the
 * way a network or a load balancer does: at once (`dropAll`), or in the middle of the next
 * chunk the app sends (`cutNextChunk`: half of it is passed on, then both sides are destroyed).
 */
import net from "node:net";

interface Pair {
  client: net.Socket;
  upstream: net.Socket;
  used: boolean;
}

export class CuttingProxy {
  readonly #server: net.Server;
  readonly #target: { host: string; port: number };
  readonly #pairs = new Set<Pair>();
  #cutNext = false;
  /**
   * Rewrites the `Last-Event-ID` of requests passing through, like a replica that resumes from
   * an older position would: the app then sends events again that the client already has.
   */
  rewriteLastEventId: ((seq: number) => number) | undefined;
  /** Requests whose `Last-Event-ID` was rewritten. */
  rewrites = 0;
  /** Connections that carried a request so far (idle connections a client opens ahead are not counted). */
  connections = 0;
  /** Connections broken by the proxy. */
  cuts = 0;

  private constructor(target: URL) {
    this.#target = { host: target.hostname, port: Number(target.port || 80) };
    this.#server = net.createServer((client) => this.#accept(client));
  }

  static async start(target: string): Promise<CuttingProxy> {
    const proxy = new CuttingProxy(new URL(target));
    await new Promise<void>((resolve) => proxy.#server.listen(0, "127.0.0.1", resolve));
    return proxy;
  }

  get url(): string {
    const address = this.#server.address() as net.AddressInfo;
    return `http://127.0.0.1:${address.port}`;
  }

  /** Connections that carried a request and are open right now. */
  get open(): number {
    return [...this.#pairs].filter((pair) => pair.used).length;
  }

  /** Breaks every open connection now. */
  dropAll(): void {
    for (const pair of this.#pairs) {
      this.#cut(pair);
    }
  }

  /** Breaks a connection in the middle of the next chunk the app sends. */
  cutNextChunk(): void {
    this.#cutNext = true;
  }

  async close(): Promise<void> {
    this.dropAll();
    await new Promise<void>((resolve) => this.#server.close(() => resolve()));
  }

  #accept(client: net.Socket): void {
    const upstream = net.connect(this.#target.port, this.#target.host);
    const pair: Pair = { client, upstream, used: false };
    this.#pairs.add(pair);
    client.on("data", (chunk) => {
      if (!pair.used) {
        pair.used = true;
        this.connections++;
      }
      upstream.write(this.#rewrite(chunk));
    });
    upstream.on("data", (chunk: Buffer) => {
      if (!this.#pairs.has(pair)) {
        return;
      }
      if (this.#cutNext && chunk.length > 1) {
        this.#cutNext = false;
        this.cuts++;
        this.#pairs.delete(pair);
        upstream.destroy(); // nothing after the half chunk reaches the client
        client.write(chunk.subarray(0, Math.floor(chunk.length / 2)), () => client.destroy());
        return;
      }
      client.write(chunk);
    });
    client.on("close", () => {
      this.#pairs.delete(pair);
      upstream.destroy();
    });
    upstream.on("close", () => {
      if (this.#pairs.delete(pair)) {
        client.destroy();
      }
    });
    client.on("error", () => undefined);
    upstream.on("error", () => undefined);
  }

  #rewrite(chunk: Buffer): Buffer {
    const rewrite = this.rewriteLastEventId;
    if (!rewrite) {
      return chunk;
    }
    const text = chunk.toString("latin1");
    const changed = text.replace(/^(last-event-id:[ \t]*)(\d+)/im, (_all, name: string, seq: string) => `${name}${rewrite(Number(seq))}`);
    if (changed === text) {
      return chunk;
    }
    this.rewrites++;
    return Buffer.from(changed, "latin1");
  }

  #cut(pair: Pair): void {
    if (!this.#pairs.delete(pair)) {
      return;
    }
    this.cuts++;
    pair.client.destroy();
    pair.upstream.destroy();
  }
}
