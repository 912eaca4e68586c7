import { type IncomingMessage, type ServerResponse, createServer } from "node:http";
import type { Socket } from "node:net";
import type { ListenerSpec, Service, ServiceContext, StopOptions } from "../../src/index.js";

interface SocketState {
  active: number;
  idleSince: number;
}

/** How long a connection must have been idle before a draining service closes it. */
const IDLE_CLOSE_MS = 500;

/**
 * A node:http service for the tests. `GET /` answers at once, `/slow?ms=N` after N ms,
 * `/hang` never (until the service is force-closed). Every answer is JSON naming the process
 * that served it. While draining it answers with `Connection: close` and closes connections
 * that have stayed idle, so keep-alive clients move to another process without a race.
 */
export class PidHttpService implements Service {
  readonly name = "pid-http";
  readonly listeners: readonly ListenerSpec[];
  private readonly http = createServer((req, res) => this.handle(req, res));
  private readonly sockets = new Map<Socket, SocketState>();
  private readonly hanging = new Set<ServerResponse>();
  private workerId = 0;
  private draining = false;
  private sweep: NodeJS.Timeout | undefined;
  private drained: (() => void) | undefined;

  constructor(listeners: readonly ListenerSpec[]) {
    this.listeners = listeners;
  }

  start(ctx: ServiceContext): void {
    this.workerId = ctx.workerId;
    for (const listener of ctx.listeners) {
      listener.on("connection", (socket: Socket) => {
        this.sockets.set(socket, { active: 0, idleSince: Date.now() });
        socket.once("close", () => {
          this.sockets.delete(socket);
          this.checkDrained();
        });
        this.http.emit("connection", socket);
      });
    }
  }

  stop(options: StopOptions): Promise<void> {
    if (!options.graceful) {
      for (const socket of this.sockets.keys()) socket.destroy();
      this.sockets.clear();
      this.checkDrained();
      return Promise.resolve();
    }
    this.draining = true;
    this.sweep = setInterval(() => this.closeIdle(), 100);
    return new Promise((resolve) => {
      this.drained = resolve;
      this.checkDrained();
    });
  }

  private handle(req: IncomingMessage, res: ServerResponse): void {
    const state = this.sockets.get(req.socket);
    if (state !== undefined) state.active++;
    res.once("close", () => {
      if (state === undefined) return;
      state.active--;
      state.idleSince = Date.now();
    });
    const url = new URL(req.url ?? "/", "http://x");
    const answer = (): void => {
      const body = JSON.stringify({ pid: process.pid, ppid: process.ppid, uid: process.getuid?.(), worker: this.workerId });
      if (this.draining) res.setHeader("connection", "close");
      res.writeHead(200, { "content-type": "application/json" }).end(body);
    };
    if (url.pathname === "/hang") this.hanging.add(res);
    else if (url.pathname === "/slow") setTimeout(answer, Number(url.searchParams.get("ms") ?? 300));
    else answer();
  }

  private closeIdle(): void {
    const now = Date.now();
    for (const [socket, state] of this.sockets) if (state.active === 0 && now - state.idleSince >= IDLE_CLOSE_MS) socket.destroy();
  }

  private checkDrained(): void {
    if (this.sockets.size > 0 || this.drained === undefined) return;
    clearInterval(this.sweep);
    this.drained();
  }
}
