import { Agent, request } from "node:http";

/** Who answered a request. */
export interface Answer {
  pid: number;
  ppid: number;
  uid: number;
  worker: number;
}

/** The outcome of one request. */
export interface RequestResult {
  ok: boolean;
  answer?: Answer;
  /** Error code (ECONNREFUSED, ECONNRESET, ...) or message when it failed. */
  error?: string;
  startedAt: number;
  /** When the request's connection was established (or reused): it was accepted from then on. */
  connectedAt?: number;
  endedAt: number;
  path: string;
}

/** Where to send requests: a TCP port on 127.0.0.1 or a Unix socket path. */
export type Target = { port: number } | { socketPath: string };

/** One GET; never rejects. */
export function get(target: Target, path = "/", agent: Agent | false = false, timeoutMs = 15_000): Promise<RequestResult> {
  const startedAt = Date.now();
  return new Promise((resolve) => {
    let connectedAt: number | undefined;
    const where = "port" in target ? { host: "127.0.0.1", port: target.port } : { socketPath: target.socketPath };
    const req = request({ ...where, path, agent, timeout: timeoutMs }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () => {
        const result: RequestResult = { ok: res.statusCode === 200, startedAt, endedAt: Date.now(), path };
        if (connectedAt !== undefined) result.connectedAt = connectedAt;
        try {
          result.answer = JSON.parse(body) as Answer;
        } catch {
          result.ok = false;
          result.error = `bad body ${JSON.stringify(body)}`;
        }
        resolve(result);
      });
      res.on("error", (err) => finish(err));
    });
    const finish = (err: Error): void => {
      const result: RequestResult = { ok: false, error: (err as { code?: string }).code ?? err.message, startedAt, endedAt: Date.now(), path };
      if (connectedAt !== undefined) result.connectedAt = connectedAt;
      resolve(result);
    };
    req.on("socket", (socket) => {
      if (!socket.connecting) connectedAt = Date.now();
      else socket.once("connect", () => (connectedAt = Date.now()));
    });
    req.on("timeout", () => req.destroy(new Error("client timeout")));
    req.on("error", finish);
    req.end();
  });
}

/** Options of {@link Load}. */
export interface LoadOptions {
  /** Concurrent request loops without keep-alive (a new connection per request). */
  closeLoops: number;
  /** Concurrent request loops with a keep-alive agent each. */
  keepAliveLoops: number;
  /** Path each request asks for. */
  path?: string;
}

/** Request loops that send continuously until stopped. */
export class Load {
  readonly results: RequestResult[] = [];
  private stopped = false;
  private readonly agents: Agent[] = [];
  private readonly loops: Promise<void>[] = [];

  constructor(
    private readonly target: Target,
    private readonly options: LoadOptions,
  ) {}

  /** Starts the loops. */
  start(): this {
    for (let i = 0; i < this.options.closeLoops; i++) this.loops.push(this.loop(false));
    for (let i = 0; i < this.options.keepAliveLoops; i++) {
      const agent = new Agent({ keepAlive: true, maxSockets: 1 });
      this.agents.push(agent);
      this.loops.push(this.loop(agent));
    }
    return this;
  }

  /** Stops starting requests; resolves when the ones in flight are done. */
  async stop(): Promise<RequestResult[]> {
    this.stopped = true;
    await Promise.all(this.loops);
    for (const agent of this.agents) agent.destroy();
    return this.results;
  }

  private async loop(agent: Agent | false): Promise<void> {
    while (!this.stopped) this.results.push(await get(this.target, this.options.path ?? "/", agent));
  }
}
