import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { curl } from "./helpers/curl.js";
import { type TestUpstream, startUpstream } from "./helpers/upstreams.js";
import { killAll, startZp } from "./helpers/zp-process.js";

const dir = mkdtempSync(join(tmpdir(), "zp-pingora-runtime-"));
const pidFile = join(dir, "zp.pid");
let upstream: TestUpstream | undefined;

function readPid(): number {
  try {
    return Number(readFileSync(pidFile, "utf8").trim());
  } catch {
    return 0;
  }
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

async function until(what: string, condition: () => boolean, timeoutMs = 15_000): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

afterAll(async () => {
  killAll();
  const pid = readPid();
  if (pid > 0 && alive(pid)) process.kill(-pid, "SIGKILL");
  await upstream?.close();
  rmSync(dir, { recursive: true, force: true });
});

describe("zp --conf under the runtime", () => {
  it("serves from worker processes, upgrades on SIGQUIT without refusing requests, and stops on SIGTERM", async () => {
    upstream = await startUpstream("u");
    const file = join(dir, "zp.yaml");
    writeFileSync(
      file,
      `threads: 2
pid_file: ${pidFile}
grace_period_seconds: 5
graceful_shutdown_timeout_seconds: 1
proxy:
  listeners: ["127.0.0.1:0"]
  upstreams:
    app: { backends: ["${upstream.endpoint}"] }
`,
    );
    const zp = startZp(["-c", file]);
    const url = await zp.waitFor(/^zp: listening on (http:\/\/\S+)$/m);
    const first = readPid();
    expect(first).toBe(zp.proc.pid);
    for (let i = 0; i < 4; i++) expect((await curl([`${url}/w${i}`])).status).toBe(200);
    expect(zp.stdout().match(/zp: listening on/g)).toHaveLength(1); // the primary speaks, not the workers

    // Zero-downtime upgrade: the successor takes the listening sockets, the old process drains.
    process.kill(first, "SIGQUIT");
    let served = 0;
    while (readPid() === first) {
      expect((await curl([`${url}/during`])).status).toBe(200);
      served++;
      if (served > 500) throw new Error("no successor");
    }
    expect(await zp.exited).toEqual({ code: 0, signal: null });
    const successor = readPid();
    expect(alive(successor)).toBe(true);
    for (let i = 0; i < 4; i++) expect((await curl([`${url}/after${i}`])).status).toBe(200);

    process.kill(successor, "SIGTERM");
    await until("the successor to exit", () => !alive(successor));
    await until("the pid file to go", () => readPid() === 0);
  });
});
