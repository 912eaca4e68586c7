import { createServer, get } from "node:http";
import type { Socket } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Server, type Service, type ServiceContext, type StopOptions, parseServerConf } from "@zp/runtime";

// The configuration, as it would come from a YAML file (`loadServerConf(path)` reads one, and
// `serverFromArgs(process.argv.slice(2))` handles `-c file -t -d` like Pingora's Opt).
const conf = parseServerConf(`
version: 1
threads: 1
pid_file: ${join(tmpdir(), "zp-runtime-example.pid")}
grace_period_seconds: 5
graceful_shutdown_timeout_seconds: 1
`);

// A service on node:http. The runtime owns the listening socket; the service gets a
// net.Server and handles the connections it accepts.
class HelloService implements Service {
  readonly name = "hello";
  readonly listeners = [{ address: "127.0.0.1", port: 0 }];
  private readonly sockets = new Set<Socket>();
  private readonly busy = new Set<Socket>();
  private closing = false;
  private readonly http = createServer((req, res) => {
    this.busy.add(req.socket);
    res.once("close", () => {
      this.busy.delete(req.socket);
      if (this.closing) req.socket.destroy();
    });
    if (this.closing) res.setHeader("connection", "close");
    res.end(`hello from pid ${process.pid}\n`);
  });

  start(ctx: ServiceContext): void {
    ctx.listeners[0]!.on("connection", (socket: Socket) => {
      this.sockets.add(socket);
      socket.once("close", () => this.sockets.delete(socket));
      this.http.emit("connection", socket);
    });
  }

  // Graceful: idle connections close now, busy ones after their response. Fast: all close now.
  stop({ graceful }: StopOptions): Promise<void> {
    this.closing = true;
    for (const socket of this.sockets) if (!graceful || !this.busy.has(socket)) socket.destroy();
    return new Promise((resolve) => {
      const check = (): void => void (this.sockets.size === 0 ? resolve() : setTimeout(check, 20));
      check();
    });
  }
}

const server = new Server({ conf });
server.addService(new HelloService());
void server.run(); // exits the process with code 0 once the server has stopped

const ready = await server.ready;
const { port } = ready.addresses[0] as { port: number };
console.log(`${ready.role} process ${ready.pid} listening on 127.0.0.1:${port}`);

const body = await new Promise<string>((resolve, reject) => {
  get({ host: "127.0.0.1", port, agent: false }, (res) => {
    let text = "";
    res.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).on("end", () => resolve(text));
  }).on("error", reject);
});
console.log(body.trim()); // hello from pid <pid>

// SIGTERM: graceful shutdown (SIGINT: fast shutdown, SIGQUIT: zero-downtime upgrade).
process.kill(process.pid, "SIGTERM");
