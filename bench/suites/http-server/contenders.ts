import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { pinned } from "./pinned.js";

const here = dirname(fileURLToPath(import.meta.url));

/** A server process under test. */
export interface RunningServer {
  name: string;
  port: number;
  /** The process whose CPU time is measured (the single nginx process, or node). */
  pid: number;
  stop(): Promise<void>;
}

/** Resolves once `port` accepts connections. */
async function waitForPort(port: number, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => {
        s.destroy();
        resolve(true);
      });
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on ${port}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

function stopper(child: ChildProcess, cleanup?: () => void): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      if (child.exitCode !== null || child.signalCode !== null) {
        cleanup?.();
        resolve();
        return;
      }
      child.once("exit", () => {
        cleanup?.();
        resolve();
      });
      child.kill("SIGTERM");
    });
}

/** Starts a node hello-world server (`ours` or `node`) pinned to `cpu`. */
export async function startNodeServer(kind: "ours" | "node", name: string, port: number, cpu: string): Promise<RunningServer> {
  const [command, args] = pinned(cpu, process.execPath, [
    "--conditions=@zp/source",
    "--import",
    "tsx",
    join(here, "hello-server.ts"),
    kind,
    String(port),
  ]);
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
  await waitForPort(port);
  return { name, port, pid: child.pid!, stop: stopper(child) };
}

/** Whether an nginx binary is available. */
export function hasNginx(): boolean {
  return spawnSync("nginx", ["-v"], { stdio: "ignore" }).status === 0;
}

/** Starts nginx as one process (no master, one worker's work) pinned to `cpu`. */
export async function startNginx(port: number, cpu: string): Promise<RunningServer> {
  const prefix = mkdtempSync(join(tmpdir(), "zp-bench-nginx-"));
  const conf = join(prefix, "nginx.conf");
  writeFileSync(
    conf,
    `worker_processes 1;
daemon off;
master_process off;
pid ${join(prefix, "nginx.pid")};
error_log ${join(prefix, "error.log")} error;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${prefix}/body;
  proxy_temp_path ${prefix}/proxy;
  fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi;
  scgi_temp_path ${prefix}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / {
      default_type text/plain;
      return 200 "Hello, World!";
    }
  }
}
`,
  );
  const [command, args] = pinned(cpu, "nginx", ["-p", prefix, "-c", conf]);
  const child = spawn(command, args, { stdio: ["ignore", "ignore", "inherit"] });
  await waitForPort(port);
  return { name: "nginx", port, pid: child.pid!, stop: stopper(child, () => rmSync(prefix, { recursive: true, force: true })) };
}
