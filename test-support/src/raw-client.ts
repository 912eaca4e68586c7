import { type Socket, connect } from "node:net";

/** A raw TCP client: write exact bytes, read what comes back, see when the server closes. */
export class RawClient {
  readonly socket: Socket;
  private chunks: Buffer[] = [];
  private size = 0;
  private cached: Buffer | undefined = undefined;
  private waiters: (() => void)[] = [];
  /** Whether the connection closed. */
  closed = false;
  /** Whether the server ended its side. */
  ended = false;

  private constructor(socket: Socket) {
    this.socket = socket;
    socket.on("data", (chunk: Buffer) => {
      this.chunks.push(chunk);
      this.size += chunk.length;
      this.cached = undefined;
      this.wake();
    });
    socket.on("end", () => {
      this.ended = true;
      socket.end();
      this.wake();
    });
    socket.on("close", () => {
      this.closed = true;
      this.wake();
    });
    socket.on("error", () => {});
  }

  /** Connects to 127.0.0.1:`port`. */
  static connect(port: number): Promise<RawClient> {
    return new Promise((resolve, reject) => {
      const socket = connect({ port, host: "127.0.0.1", allowHalfOpen: true });
      socket.once("connect", () => resolve(new RawClient(socket)));
      socket.once("error", reject);
    });
  }

  /** Everything received so far. */
  get bytes(): Buffer {
    if (this.cached === undefined) {
      this.cached = Buffer.concat(this.chunks, this.size);
      this.chunks = [this.cached];
    }
    return this.cached;
  }

  /** Everything received so far, as latin1 text. */
  get text(): string {
    return this.bytes.toString("latin1");
  }

  write(data: string | Buffer): void {
    this.socket.write(typeof data === "string" ? Buffer.from(data, "latin1") : data);
  }

  /** Waits until `predicate(text)` holds; fails on close or after `ms`. */
  async until(predicate: (text: string) => boolean, ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!predicate(this.text)) {
      if (this.closed) throw new Error(`connection closed; received: ${JSON.stringify(this.text.slice(0, 500))}`);
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`timed out; received: ${JSON.stringify(this.text.slice(0, 500))}`);
      await this.next(left);
    }
    return this.text;
  }

  /** Number of complete occurrences of `needle` received. */
  count(needle: string): number {
    return this.text.split(needle).length - 1;
  }

  /** Waits until the server closes (or ends) the connection; returns everything received. */
  async untilClosed(ms = 5000): Promise<string> {
    const deadline = Date.now() + ms;
    while (!this.closed && !this.ended) {
      const left = deadline - Date.now();
      if (left <= 0) throw new Error(`server did not close; received: ${JSON.stringify(this.text.slice(0, 500))}`);
      await this.next(left);
    }
    return this.text;
  }

  destroy(): void {
    this.socket.destroy();
  }

  private next(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, ms);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  private wake(): void {
    for (const w of this.waiters.splice(0)) w();
  }
}

/** Sends `data` on a fresh connection and returns everything received until the server closes. */
export async function exchange(port: number, data: string | Buffer, ms = 5000): Promise<string> {
  const client = await RawClient.connect(port);
  client.write(data);
  try {
    return await client.untilClosed(ms);
  } finally {
    client.destroy();
  }
}

/** Resolves after `ms`. */
export function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
