// The upstream and the proxies of the proxy benchmark, each started as its own process.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { build, type Plugin } from "esbuild";
import { hasNginx, startNodeServer } from "../http-server/contenders.js";
import { atExit, startPinned, type Running } from "./processes.js";

export { hasNginx };

const here = dirname(fileURLToPath(import.meta.url));
const benchDir = join(here, "..", "..");

/** The body every contender must answer with. */
export const HELLO = "Hello, World!";

/** Whether an haproxy binary is available. */
export function hasHaproxy(): boolean {
  return spawnSync("haproxy", ["-v"], { stdio: "ignore" }).status === 0;
}

function tempPrefix(kind: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `zp-bench-proxy-${kind}-`));
  const remove = (): void => rmSync(dir, { recursive: true, force: true });
  atExit(remove);
  return { dir, remove };
}

/** nginx lines shared by the upstream and the proxy: files in `dir`, no logs, no request cap per connection. */
function nginxHttpPreamble(dir: string): string {
  return `  access_log off;
  client_body_temp_path ${dir}/body;
  proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fastcgi;
  uwsgi_temp_path ${dir}/uwsgi;
  scgi_temp_path ${dir}/scgi;
  # nginx closes a keep-alive connection after 1000 requests by default; the other
  # contenders never do, so neither does nginx here
  keepalive_requests 1000000;`;
}

/** Runs nginx in the foreground with `conf` as `-p dir -c conf -g 'daemon off;'`. */
function startNginxWith(name: string, port: number, cpu: string, dir: string, remove: () => void, conf: string): Promise<Running> {
  const file = join(dir, "nginx.conf");
  writeFileSync(file, conf);
  return startPinned(name, port, cpu, "nginx", ["-p", dir, "-c", file, "-g", "daemon off;"], { onStop: remove });
}

/**
 * The upstream: nginx answering `return 200` from one process (so it is never the
 * bottleneck), or a node:http server when nginx is missing.
 */
export async function startUpstream(port: number, cpu: string): Promise<Running & { kind: string }> {
  if (!hasNginx()) {
    const server = await startNodeServer("node", "node:http", port, cpu);
    return { ...server, kind: "node:http" };
  }
  const { dir, remove } = tempPrefix("upstream");
  const running = await startNginxWith(
    "upstream",
    port,
    cpu,
    dir,
    remove,
    `worker_processes 1;
master_process off;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log error;
events { worker_connections 4096; }
http {
${nginxHttpPreamble(dir)}
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      default_type text/plain;
      return 200 "${HELLO}";
    }
  }
}
`,
  );
  return { ...running, kind: "nginx" };
}

/** nginx as a reverse proxy: one worker, a keep-alive upstream block. */
export function startNginxProxy(port: number, upstreamPort: number, cpu: string): Promise<Running> {
  const { dir, remove } = tempPrefix("nginx");
  // as root the worker would switch to `nobody`, which cannot use the 0700 temp dir
  const user = process.getuid?.() === 0 ? "user root;\n" : "";
  return startNginxWith(
    "nginx",
    port,
    cpu,
    dir,
    remove,
    `${user}worker_processes 1;
pid ${dir}/nginx.pid;
error_log ${dir}/error.log error;
events { worker_connections 4096; }
http {
${nginxHttpPreamble(dir)}
  upstream backend {
    server 127.0.0.1:${upstreamPort};
    keepalive 64;
    keepalive_requests 1000000;
  }
  server {
    listen 127.0.0.1:${port} backlog=4096;
    location / {
      proxy_pass http://backend;
      proxy_http_version 1.1;
      proxy_set_header Connection "";
      # the same forwarding fields zp adds by default: equal work
      proxy_set_header Host $http_host;
      proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
      proxy_set_header X-Forwarded-Proto $scheme;
    }
  }
}
`,
  );
}

/** haproxy in HTTP mode with one thread, reusing upstream connections, in the foreground. */
export function startHaproxy(port: number, upstreamPort: number, cpu: string): Promise<Running> {
  const { dir, remove } = tempPrefix("haproxy");
  const file = join(dir, "haproxy.cfg");
  writeFileSync(
    file,
    `global
  nbthread 1
  maxconn 4096

defaults
  mode http
  option http-keep-alive
  http-reuse always
  timeout connect 5s
  timeout client 30s
  timeout server 30s

frontend bench
  bind 127.0.0.1:${port}
  # the same forwarding fields zp adds by default: equal work
  option forwardfor
  http-request set-header X-Forwarded-Proto http
  default_backend upstream

backend upstream
  server up 127.0.0.1:${upstreamPort}
`,
  );
  return startPinned("haproxy", port, cpu, "haproxy", ["-db", "-f", file], { onStop: remove });
}

/**
 * A node proxy from this directory (`http-proxy-server.ts`, ...), compiled to one JavaScript
 * file first and run by plain `node`, as a deployment runs built code: no TypeScript loader
 * in the measured process. `@zp/*` packages are compiled from their sources into the file
 * (as their published builds are); every other package is imported from `node_modules`.
 * `nodeFlags` go to node before the file (none: Node's defaults).
 */
export async function startNodeProxy(
  name: string,
  script: string,
  port: number,
  upstreamPort: number,
  cpu: string,
  nodeFlags: readonly string[] = [],
): Promise<Running> {
  const { dir, remove } = tempPrefix("node");
  const outfile = join(dir, script.replace(/\.ts$/, ".mjs"));
  await build({
    entryPoints: [join(here, script)],
    outfile,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    conditions: ["@zp/source"],
    logLevel: "warning",
    plugins: [externalPackagesButOurs],
  });
  return startPinned(name, port, cpu, process.execPath, [...nodeFlags, outfile, String(port), String(upstreamPort)], { cwd: benchDir, onStop: remove });
}

/** Leaves every bare import except `@zp/*` to node, as the absolute file it resolves to. */
const externalPackagesButOurs: Plugin = {
  name: "external-packages-but-ours",
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      // `@zp/*` are compiled in; a nested call is esbuild's own resolution, below
      if (args.path.startsWith("@zp/") || args.pluginData === RESOLVING) return undefined;
      if (args.path.startsWith("node:")) return { path: args.path, external: true };
      // resolved where it is imported, to an absolute path: the built file lives in a temporary directory
      const found = await build.resolve(args.path, { kind: args.kind, resolveDir: args.resolveDir, pluginData: RESOLVING });
      if (found.errors.length > 0) return { errors: found.errors };
      return { path: pathToFileURL(found.path).href, external: true };
    });
  },
};
const RESOLVING = Symbol("resolving");

/** One GET on a fresh connection; undefined when it answers 200 with {@link HELLO}, else what went wrong. */
export function checkHello(port: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const req = request({ host: "127.0.0.1", port, path: "/", agent: false, timeout: 5_000 }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (c: string) => (body += c));
      res.on("end", () =>
        resolve(res.statusCode === 200 && body === HELLO ? undefined : `answered ${res.statusCode} ${JSON.stringify(body.slice(0, 200))}`),
      );
      res.on("error", (e) => resolve(e.message));
    });
    req.on("timeout", () => req.destroy(new Error("no answer in 5 s")));
    req.on("error", (e) => resolve(e.message));
    req.end();
  });
}
