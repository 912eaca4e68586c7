import type { Socket } from "node:net";

function ignoreError(): void {
  // a socket error ends the tunnel through `close`
}

/**
 * Two sockets joined after a `101 Switching Protocols`: bytes flow both ways through
 * `pipe` (so each side's backpressure reaches the other), and when either side closes or
 * fails, both are destroyed.
 */
export class Tunnel {
  private readonly down: Socket;
  private readonly up: Socket;
  private closed = false;
  private onClosed: (() => void) | undefined = undefined;
  private closedPromise: Promise<void> | undefined = undefined;
  private readonly closeBound: () => void;

  /**
   * @param down The client's socket. @param downHead Client bytes read past the request head.
   * @param up The upstream's socket. @param upHead Upstream bytes read past the 101 head.
   */
  constructor(down: Socket, downHead: Buffer | undefined, up: Socket, upHead: Buffer) {
    this.down = down;
    this.up = up;
    this.closeBound = () => this.close();
    for (const socket of [down, up]) {
      socket.on("error", ignoreError);
      socket.once("close", this.closeBound);
      socket.setTimeout(0);
    }
    down.setNoDelay(true);
    up.setNoDelay(true);
    if (upHead.length > 0) down.write(upHead);
    if (downHead !== undefined && downHead.length > 0) up.write(downHead);
    down.pipe(up);
    up.pipe(down);
    // a socket closed while it was handed over never emits `close` again
    if (down.destroyed || up.destroyed) queueMicrotask(this.closeBound);
  }

  /** Whether both sockets are gone. */
  get isClosed(): boolean {
    return this.closed;
  }

  /** Resolves when the tunnel is closed. */
  whenClosed(): Promise<void> {
    this.closedPromise ??= this.closed
      ? Promise.resolve()
      : new Promise((resolve) => {
          this.onClosed = resolve;
        });
    return this.closedPromise;
  }

  /** Destroys both sockets. */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.down.destroy();
    this.up.destroy();
    const done = this.onClosed;
    this.onClosed = undefined;
    done?.();
  }
}
