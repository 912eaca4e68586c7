import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { type Answer, get } from "./helpers/http-load.js";
import { cleanUp, eventually, isAlive, startServer, tempDir, waitReady, writeConf } from "./helpers/server-process.js";

afterEach(() => cleanUp());

/** Sends batches of 20 concurrent requests (new connection each) until `done(answers)` holds. */
async function requestUntil(port: number, done: (answers: Answer[]) => boolean, timeoutMs = 15_000): Promise<Answer[]> {
  const answers: Answer[] = [];
  const end = Date.now() + timeoutMs;
  while (!done(answers)) {
    if (Date.now() > end) throw new Error(`condition not met; answers from ${JSON.stringify([...new Set(answers.map((a) => a.pid))])}`);
    const batch = await Promise.all(Array.from({ length: 20 }, () => get({ port })));
    for (const r of batch) if (r.ok) answers.push(r.answer!);
  }
  return answers;
}

describe("worker processes (threads: 2)", () => {
  it("shares the listener between 2 workers, restarts a killed one, runs background services where placed", async () => {
    const dir = tempDir();
    const errorLog = join(dir, "error.log");
    const file = writeConf(dir, ["threads: 2", `pid_file: ${join(dir, "server.pid")}`, `error_log: ${errorLog}`, "grace_period_seconds: 5", ""].join("\n"));
    const server = startServer(["-c", file], { ZP_TEST_BACKGROUND: "1" });
    const ready = await waitReady(server);
    expect(ready.role).toBe("primary");
    expect(ready.workers).toHaveLength(2);
    const port = ready.addresses[0]!.port;

    // Both workers accept from the shared socket; the primary serves nothing itself.
    const answers = await requestUntil(port, (a) => new Set(a.map((x) => x.pid)).size === 2);
    expect(new Set(answers.map((a) => a.pid))).toEqual(new Set(ready.workers));
    expect(answers.every((a) => a.ppid === ready.pid)).toBe(true);
    expect(new Set(answers.map((a) => a.worker))).toEqual(new Set([0, 1]));

    // Background services: "once" in the primary, "workers" in each worker.
    const starts = server.lines.filter((l) => l.includes('"background-start"')).map((l) => JSON.parse(l) as { name: string; pid: number; role: string });
    expect(starts.filter((s) => s.name === "once-bg").map((s) => s.pid)).toEqual([ready.pid]);
    expect(new Set(starts.filter((s) => s.name === "worker-bg").map((s) => s.pid))).toEqual(new Set(ready.workers));

    // Kill a worker: it is restarted, and service goes on.
    const [victim, survivor] = ready.workers as [number, number];
    process.kill(victim, "SIGKILL");
    const after = await requestUntil(port, (a) => a.some((x) => x.pid !== survivor && x.pid !== victim));
    const replacement = after.find((x) => x.pid !== survivor && x.pid !== victim)!;
    expect(replacement.ppid).toBe(ready.pid);
    expect(isAlive(victim)).toBe(false);
    expect(after.some((a) => a.pid === victim)).toBe(false);
    await eventually(() => readFileSync(errorLog, "utf8").includes(`(pid ${victim}) exited unexpectedly (SIGKILL); restarting it`), 5_000, "the crash in the error log");

    // SIGTERM to the primary stops the workers, then the primary exits 0.
    server.proc.kill("SIGTERM");
    const exit = await server.exited;
    expect(exit).toMatchObject({ code: 0, signal: null });
    expect(isAlive(survivor)).toBe(false);
    expect(isAlive(replacement.pid)).toBe(false);
    expect((await get({ port })).error).toBe("ECONNREFUSED");
    const stops = server.lines.filter((l) => l.includes('"background-stop"')).map((l) => JSON.parse(l) as { name: string; pid: number });
    expect(stops.filter((s) => s.name === "once-bg").map((s) => s.pid)).toEqual([ready.pid]);
    expect(stops.filter((s) => s.name === "worker-bg").map((s) => s.pid).sort()).toEqual([survivor, replacement.pid].sort());
  }, 45_000);

  it("stops the workers when the primary dies", async () => {
    const dir = tempDir();
    const file = writeConf(dir, ["threads: 2", `pid_file: ${join(dir, "server.pid")}`, `error_log: ${join(dir, "error.log")}`, ""].join("\n"));
    const server = startServer(["-c", file]);
    const ready = await waitReady(server);
    process.kill(ready.pid, "SIGKILL");
    await eventually(() => ready.workers.every((w) => !isAlive(w)), 10_000, "the orphaned workers to exit");
    expect(readFileSync(join(dir, "error.log"), "utf8")).toContain("the primary process went away; stopping");
  }, 30_000);
});
