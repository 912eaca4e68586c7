import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A node:http upstream started by a test: answers JSON describing what it received. */
export interface TestUpstream {
  readonly name: string;
  readonly port: number;
  readonly endpoint: string;
  /** Requests it answered. */
  count: number;
  close(): Promise<void>;
}

/**
 * Starts an upstream on 127.0.0.1 that answers every request with
 * `{ name, method, url, headers }` and an `X-Upstream: name` header (`/health` answers `ok`;
 * `?delay=ms` answers after that long).
 */
export async function startUpstream(name: string, extraHeaders: Record<string, string> = {}): Promise<TestUpstream> {
  const server: Server = createServer((req, res) => {
    if (req.url === "/health") {
      res.end("ok");
      return;
    }
    upstream.count++;
    const delay = Number(/[?&]delay=(\d+)/.exec(req.url ?? "")?.[1] ?? 0);
    req.resume();
    req.on("end", async () => {
      if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
      const body = JSON.stringify({ name, method: req.method, url: req.url, headers: req.headers });
      res.writeHead(200, { "Content-Type": "application/json", "X-Upstream": name, Server: "test-upstream", ...extraHeaders });
      res.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const port = (server.address() as AddressInfo).port;
  const upstream: TestUpstream = {
    name,
    port,
    endpoint: `127.0.0.1:${port}`,
    count: 0,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
  return upstream;
}
