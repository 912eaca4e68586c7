import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { connect, createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** The local server every contender talks to: it answers `200 hello` with keep-alive. */
export interface Upstream {
  name: string;
  port: number;
  stop: () => void;
}

async function freePort(): Promise<number> {
  const probe = createServer().listen(0, "127.0.0.1");
  await new Promise((r) => probe.once("listening", r));
  const { port } = probe.address() as AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

async function waitForPort(port: number, child: ChildProcess): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (child.exitCode !== null) throw new Error(`upstream exited with ${child.exitCode}`);
    const ok = await new Promise<boolean>((resolve) => {
      const s = connect(port, "127.0.0.1");
      s.once("connect", () => (s.destroy(), resolve(true)));
      s.once("error", () => resolve(false));
    });
    if (ok) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error("upstream did not start");
}

function pinned(cpu: string | undefined, command: string, args: string[]): [string, string[]] {
  if (cpu === undefined || spawnSync("taskset", ["--version"], { stdio: "ignore" }).error !== undefined) return [command, args];
  return ["taskset", ["-c", cpu, command, ...args]];
}

/** Whether an nginx binary is on the PATH. */
export function hasNginx(): boolean {
  return spawnSync("nginx", ["-v"], { stdio: "ignore" }).error === undefined;
}

/** nginx with one worker in a temp prefix: `return 200 "hello"`. */
export async function startNginx(cpu?: string): Promise<Upstream> {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), "zp-client-bench-nginx-"));
  writeFileSync(
    join(dir, "nginx.conf"),
    `worker_processes 1;
daemon off;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log error;
events { worker_connections 4096; }
http {
  access_log off;
  keepalive_requests 100000000;
  keepalive_timeout 120s;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  server {
    listen 127.0.0.1:${port};
    location / { return 200 "hello"; }
  }
}
`,
  );
  const [cmd, args] = pinned(cpu, "nginx", ["-p", dir, "-c", join(dir, "nginx.conf")]);
  const child = spawn(cmd, args, { stdio: "ignore" });
  await waitForPort(port, child);
  return {
    name: "nginx (1 worker)",
    port,
    stop: () => {
      child.kill("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A node:http `hello` server in a child process (used when nginx is missing). */
export async function startNodeUpstream(cpu?: string): Promise<Upstream> {
  const port = await freePort();
  const code = `require("node:http").createServer((q, r) => r.end("hello")).listen(${port}, "127.0.0.1")`;
  const [cmd, args] = pinned(cpu, process.execPath, ["-e", code]);
  const child = spawn(cmd, args, { stdio: "ignore" });
  await waitForPort(port, child);
  return { name: "node:http child process", port, stop: () => child.kill("SIGTERM") };
}
