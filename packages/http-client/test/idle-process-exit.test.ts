import { spawn } from "node:child_process";
import { once } from "node:events";
import { type Server, createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));
const script = fileURLToPath(new URL("./child/idle-pooled.ts", import.meta.url));

/** Runs test/child/idle-pooled.ts in a fresh node process; resolves with its output. */
function runChild(port: number, unrefIdle: boolean): Promise<{ code: number | null; stdout: string }> {
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--conditions=@zp/source", "--import", "tsx", script, String(port), String(unrefIdle)], {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    proc.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    proc.on("error", reject);
    proc.on("close", (code) => resolve({ code, stdout: stdout.trim() }));
  });
}

describe("idle pooled connections and the process's lifetime", () => {
  let server: Server;
  let port = 0;
  beforeAll(async () => {
    // keeps connections open for 30 s: only the client decides when the process ends
    server = createServer((_req, res) => res.end("ok")).listen(0, "127.0.0.1");
    server.keepAliveTimeout = 30_000;
    await once(server, "listening");
    port = (server.address() as AddressInfo).port;
  });
  afterAll(() => {
    server.closeAllConnections();
    server.close();
  });

  it("lets the process exit while a connection is idle in the pool (unrefIdle, the default)", async () => {
    const { code, stdout } = await runChild(port, true);
    expect(code).toBe(0);
    expect(stdout).toBe("done 1");
  });

  it("keeps the process alive while a connection is idle with unrefIdle: false, until the client closes", async () => {
    const { code, stdout } = await runChild(port, false);
    expect(code).toBe(0);
    expect(stdout).toBe("done 1\nheld");
  });
});
