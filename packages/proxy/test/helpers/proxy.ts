import { type ProxyHttp, type ProxyLogger, ProxyServer, type ProxyServerOptions } from "../../src/index.js";

/** A logger that keeps the lines, for assertions. */
export class MemoryLogger implements ProxyLogger {
  readonly errors: string[] = [];
  readonly warnings: string[] = [];
  error(message: string): void {
    this.errors.push(message);
  }
  warn(message: string): void {
    this.warnings.push(message);
  }
}

/** A proxy listening on loopback. */
export interface RunningProxy<CTX> {
  server: ProxyServer<CTX>;
  port: number;
  url: string;
  logger: MemoryLogger;
}

const running: ProxyServer<unknown>[] = [];

/** Starts a {@link ProxyServer} for `app` on a free loopback port with a {@link MemoryLogger}. */
export async function startProxy<CTX>(app: ProxyHttp<CTX>, options: ProxyServerOptions = {}): Promise<RunningProxy<CTX>> {
  const logger = new MemoryLogger();
  const server = new ProxyServer(app, { logger, ...options });
  const { port } = await server.listen(0, "127.0.0.1");
  running.push(server as ProxyServer<unknown>);
  return { server, port, url: `http://127.0.0.1:${port}`, logger };
}

/** Closes every proxy started by {@link startProxy}. */
export async function closeProxies(): Promise<void> {
  const all = running.splice(0);
  await Promise.all(all.map((s) => s.close(1000)));
}
