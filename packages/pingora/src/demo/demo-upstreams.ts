import { Buffer } from "node:buffer";
import { type IncomingMessage, type Server, type ServerResponse, createServer } from "node:http";
import type { AddressInfo } from "node:net";

/** A small HTTP server the demo proxies to. */
export interface DemoUpstream {
  /** Its name (`demo-1`...), which its answers carry. */
  readonly name: string;
  /** `127.0.0.1:PORT`. */
  readonly endpoint: string;
  /** Requests it answered (health checks excepted). */
  readonly requests: () => number;
  /** Stops it (open connections are closed). */
  close(): Promise<void>;
}

/** A JSON document large enough to be worth compressing. */
function catalog(name: string): string {
  const items = Array.from({ length: 40 }, (_, i) => ({
    id: i + 1,
    name: `item ${i + 1}`,
    description: "a compressible line of text, repeated so that gzip and brotli have something to do",
    tags: ["demo", "zingora", "json"],
    servedBy: name,
  }));
  return `${JSON.stringify({ upstream: name, items }, null, 2)}\n`;
}

function handler(name: string, count: () => void): (req: IncomingMessage, res: ServerResponse) => void {
  const json = catalog(name);
  return (req, res) => {
    const path = (req.url ?? "/").split("?")[0]!;
    res.setHeader("X-Upstream", name);
    if (path === "/health") {
      res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end("ok\n");
      return;
    }
    count();
    if (path === "/json") {
      res.writeHead(200, { "Content-Type": "application/json", "Content-Length": Buffer.byteLength(json) }).end(json);
      return;
    }
    // Consume a request body, then answer with the name and the path.
    req.resume();
    req.on("end", () => res.writeHead(200, { "Content-Type": "text/plain; charset=utf-8" }).end(`${name}: ${req.method} ${req.url}\n`));
  };
}

/** Starts one demo upstream on 127.0.0.1 (an ephemeral port unless given). */
export async function startDemoUpstream(name: string, port = 0): Promise<DemoUpstream> {
  let requests = 0;
  const server: Server = createServer(
    handler(name, () => {
      requests++;
    }),
  );
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(port, "127.0.0.1", () => resolve());
  });
  server.unref();
  const bound = server.address() as AddressInfo;
  return {
    name,
    endpoint: `127.0.0.1:${bound.port}`,
    requests: () => requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** Starts `count` demo upstreams named `demo-1`, `demo-2`... */
export function startDemoUpstreams(count = 3): Promise<DemoUpstream[]> {
  return Promise.all(Array.from({ length: count }, (_, i) => startDemoUpstream(`demo-${i + 1}`)));
}
