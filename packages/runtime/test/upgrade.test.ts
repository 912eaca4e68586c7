import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Load, get } from "./helpers/http-load.js";
import { cleanUp, eventually, isAlive, startServer, tempDir, waitReady, writeConf } from "./helpers/server-process.js";

afterEach(() => cleanUp());

function conf(dir: string, threads: number): string {
  return writeConf(
    dir,
    [`threads: ${threads}`, `pid_file: ${join(dir, "server.pid")}`, `error_log: ${join(dir, "error.log")}`, "grace_period_seconds: 10", "graceful_shutdown_timeout_seconds: 2", ""].join("\n"),
  );
}

async function upgradeUnderLoad(threads: number): Promise<void> {
  const dir = tempDir();
  const server = startServer(["-c", conf(dir, threads)]);
  const old = await waitReady(server);
  const port = old.addresses[0]!.port;
  expect(readFileSync(join(dir, "server.pid"), "utf8").trim()).toBe(String(old.pid));

  // 20 loops: 10 open a new connection per request, 10 reuse keep-alive connections.
  const load = new Load({ port }, { closeLoops: 10, keepAliveLoops: 10 }).start();
  await new Promise((r) => setTimeout(r, 800));
  server.proc.kill("SIGQUIT");
  const successor = await waitReady(server, (e) => e.upgraded);
  const exit = await server.exited;
  // Keep the load on the successor alone for a while, at least ~3 s in all.
  await new Promise((r) => setTimeout(r, 700));
  const results = await load.stop();

  const failures = results.filter((r) => !r.ok);
  expect(failures, JSON.stringify(failures.slice(0, 5))).toEqual([]);
  expect(results.length).toBeGreaterThan(200);

  const primaryOf = (r: (typeof results)[number]): number => (threads > 1 ? r.answer!.ppid : r.answer!.pid);
  const servedBy = new Set(results.map(primaryOf));
  expect(servedBy).toEqual(new Set([old.pid, successor.pid]));
  const afterExit = results.filter((r) => r.startedAt > exit.at);
  expect(afterExit.length).toBeGreaterThan(0);
  expect(afterExit.every((r) => primaryOf(r) === successor.pid)).toBe(true);

  expect(exit).toMatchObject({ code: 0, signal: null });
  expect(successor.addresses[0]!.port).toBe(port);
  expect(isAlive(successor.pid)).toBe(true);
  expect(readFileSync(join(dir, "server.pid"), "utf8").trim()).toBe(String(successor.pid));
  if (threads > 1) {
    expect(successor.workers).toHaveLength(threads);
    for (const w of old.workers) expect(isAlive(w)).toBe(false);
  }
  const log = readFileSync(join(dir, "error.log"), "utf8");
  expect(log).toContain(`upgrade: successor ${successor.pid} serves`);
  console.log(`upgrade (threads: ${threads}): ${results.length} requests, ${failures.length} failed, old pid ${old.pid} → new pid ${successor.pid}`);

  // The successor still serves, and can itself shut down cleanly.
  const after = await get({ port });
  expect(after.ok && after.answer!.pid).toBeTruthy();
  process.kill(successor.pid, "SIGTERM");
  await eventually(() => !isAlive(successor.pid), 10_000, "the successor to exit");
}

describe("zero-downtime upgrade (SIGQUIT)", () => {
  it("hands the listener to the successor with no failed request (threads: 1)", () => upgradeUnderLoad(1), 40_000);

  it("hands the listener to a new primary and its workers with no failed request (threads: 2)", () => upgradeUnderLoad(2), 40_000);

  it("keeps serving when the successor fails to start", async () => {
    const dir = tempDir();
    const server = startServer(["-c", conf(dir, 1)], { ZP_TEST_FAILING_UPGRADE: "1" });
    const ready = await waitReady(server);
    const port = ready.addresses[0]!.port;
    const load = new Load({ port }, { closeLoops: 4, keepAliveLoops: 0 }).start();
    server.proc.kill("SIGQUIT");
    await eventually(() => readFileSync(join(dir, "error.log"), "utf8").includes("upgrade failed; this process keeps serving"), 15_000, "the failed upgrade");
    await new Promise((r) => setTimeout(r, 300));
    const results = await load.stop();
    expect(results.filter((r) => !r.ok)).toEqual([]);
    expect(new Set(results.map((r) => r.answer!.pid))).toEqual(new Set([ready.pid]));
    expect(readFileSync(join(dir, "error.log"), "utf8")).toMatch(/ZP_UPGRADE_FAILED|UpgradeFailed/);
    expect(readFileSync(join(dir, "server.pid"), "utf8").trim()).toBe(String(ready.pid));
    server.proc.kill("SIGTERM");
    expect((await server.exited).code).toBe(0);
  }, 30_000);
});
