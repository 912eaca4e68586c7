import { chmodSync, existsSync, readFileSync, statSync } from "node:fs";
import { type Server as NetServer, createServer } from "node:net";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Load, get } from "./helpers/http-load.js";
import { cleanUp, eventually, isAlive, startServer, tempDir, trackProcessGroup, waitReady, writeConf } from "./helpers/server-process.js";

afterEach(() => cleanUp());

function listenOnFreePort(): Promise<NetServer> {
  return new Promise((resolve) => {
    const s = createServer();
    s.listen(0, "127.0.0.1", () => resolve(s));
  });
}

async function freePort(): Promise<number> {
  const s = await listenOnFreePort();
  const port = (s.address() as { port: number }).port;
  await new Promise((r) => s.close(r));
  return port;
}

function basicConf(dir: string, extra: string[] = []): string {
  return writeConf(dir, [`pid_file: ${join(dir, "server.pid")}`, `error_log: ${join(dir, "error.log")}`, "grace_period_seconds: 5", ...extra, ""].join("\n"));
}

describe("command line", () => {
  it("-t validates a good configuration and exits 0", async () => {
    const dir = tempDir();
    const file = basicConf(dir, ["threads: 2"]);
    const server = startServer(["-t", "-c", file]);
    expect((await server.exited).code).toBe(0);
    expect(server.lines).toEqual([`configuration test passed: ${file}`]);
    expect(existsSync(join(dir, "server.pid"))).toBe(false);
  });

  it("-t reports a bad configuration with the key path and exits 1", async () => {
    const dir = tempDir();
    const file = writeConf(dir, "threads: two\nclient_bind_to_ipv4: [1.2.3]\n");
    const server = startServer(["--test", "--conf", file]);
    expect((await server.exited).code).toBe(1);
    expect(server.stderr()).toContain("configuration test failed: invalid server configuration");
    expect(server.stderr()).toContain('threads: must be a positive integer, got "two" (line 1)');
    expect(server.stderr()).toContain('client_bind_to_ipv4[0]: must be an IPv4 address, got "1.2.3" (line 2)');
  });

  it("--help prints the usage; a bad option exits 2", async () => {
    const help = startServer(["--help"]);
    expect((await help.exited).code).toBe(0);
    expect(help.lines.join("\n")).toContain("-c, --conf <file>");
    const bad = startServer(["--tets"]);
    expect((await bad.exited).code).toBe(2);
    expect(bad.stderr()).toContain('unknown option "--tets", did you mean "--test"?');
  });
});

describe("process options", () => {
  it("fails to start with exit code 1 when the port is taken, leaving no pid file", async () => {
    const dir = tempDir();
    const taken = await listenOnFreePort();
    try {
      const port = (taken.address() as { port: number }).port;
      const server = startServer(["-c", basicConf(dir)], { ZP_TEST_PORT: String(port) });
      expect((await server.exited).code).toBe(1);
      const log = readFileSync(join(dir, "error.log"), "utf8");
      expect(log).toContain("[error]");
      expect(log).toContain("the server failed to start");
      expect(log).toMatch(new RegExp(`127\\.0\\.0\\.1:${port}.*EADDRINUSE`));
      expect(existsSync(join(dir, "server.pid"))).toBe(false);
    } finally {
      taken.close();
    }
  });

  it("daemon: the launcher exits once the background server serves and has written the pid file", async () => {
    const dir = tempDir();
    const port = await freePort();
    const launcher = startServer(["-d", "-c", basicConf(dir)], { ZP_TEST_PORT: String(port) });
    expect((await launcher.exited).code).toBe(0);
    const daemonPid = Number(readFileSync(join(dir, "server.pid"), "utf8").trim());
    trackProcessGroup(daemonPid);
    expect(daemonPid).not.toBe(launcher.proc.pid);
    const answer = await get({ port });
    expect(answer.answer?.pid).toBe(daemonPid);
    // The daemon is detached into its own session, its output goes to the error log.
    expect(readFileSync(join(dir, "error.log"), "utf8")).toContain(`the server runs in the background as pid ${daemonPid}`);
    process.kill(daemonPid, "SIGTERM");
    await eventually(() => !isAlive(daemonPid), 10_000, "the daemon to exit");
    expect(existsSync(join(dir, "server.pid"))).toBe(false);
  }, 30_000);

  it("user/group: switches identity after binding (root), or refuses to start (not root)", async () => {
    const dir = tempDir();
    chmodSync(dir, 0o777);
    const server = startServer(["-c", basicConf(dir, ["user: nobody", "group: nogroup"])]);
    if (process.getuid!() !== 0) {
      expect((await server.exited).code).toBe(1);
      expect(readFileSync(join(dir, "error.log"), "utf8")).toContain("switching needs root");
      return;
    }
    const ready = await waitReady(server);
    const answer = await get({ port: ready.addresses[0]!.port });
    expect(answer.answer?.uid).toBe(65534);
    expect(statSync(join(dir, "server.pid")).uid).toBe(65534);
    expect(statSync(join(dir, "error.log")).uid).toBe(65534);
    server.proc.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
    expect(existsSync(join(dir, "server.pid"))).toBe(false);
  }, 30_000);
});

describe("Unix socket listeners", () => {
  it("serve, survive an upgrade without failed requests, and are removed at shutdown", async () => {
    const dir = tempDir();
    const socketPath = join(dir, "zp.sock");
    const server = startServer(["-c", basicConf(dir)], { ZP_TEST_UNIX: socketPath });
    const old = await waitReady(server);
    expect(old.addresses[1]).toEqual({ kind: "unix", path: socketPath });
    expect((await get({ socketPath })).answer?.pid).toBe(old.pid);

    const load = new Load({ socketPath }, { closeLoops: 6, keepAliveLoops: 4 }).start();
    await new Promise((r) => setTimeout(r, 300));
    server.proc.kill("SIGQUIT");
    const successor = await waitReady(server, (e) => e.upgraded);
    expect((await server.exited).code).toBe(0);
    await new Promise((r) => setTimeout(r, 300));
    const results = await load.stop();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(new Set(results.map((r) => r.answer!.pid))).toEqual(new Set([old.pid, successor.pid]));
    console.log(`upgrade (unix socket): ${results.length} requests, 0 failed`);

    // The old process closing its descriptor did not remove the path the successor serves.
    expect(statSync(socketPath).isSocket()).toBe(true);
    expect((await get({ socketPath })).answer?.pid).toBe(successor.pid);
    process.kill(successor.pid, "SIGTERM");
    await eventually(() => !isAlive(successor.pid), 10_000, "the successor to exit");
    expect(existsSync(socketPath)).toBe(false);
  }, 40_000);

  it("replace a stale socket file but refuse one that is in use", async () => {
    const dir = tempDir();
    const socketPath = join(dir, "busy.sock");
    const busy = createServer();
    await new Promise<void>((r) => busy.listen(socketPath, r));
    try {
      const refused = startServer(["-c", basicConf(dir)], { ZP_TEST_UNIX: socketPath });
      expect((await refused.exited).code).toBe(1);
      expect(readFileSync(join(dir, "error.log"), "utf8")).toContain("another process is listening on it");
    } finally {
      // Closing a Node server removes its socket file; leave a stale one behind instead.
      busy.close();
    }
    const stale = createServer();
    await new Promise<void>((r) => stale.listen(socketPath, r));
    (stale as unknown as { _handle: { close(): void } | null })._handle?.close();
    const server = startServer(["-c", basicConf(dir)], { ZP_TEST_UNIX: socketPath });
    const ready = await waitReady(server);
    expect((await get({ socketPath })).answer?.pid).toBe(ready.pid);
  }, 30_000);
});
