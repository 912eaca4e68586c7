import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const packageDir = fileURLToPath(new URL("..", import.meta.url));

/** Runs a script from test/child in a fresh node process with the TypeScript loader. */
function runChild(name: string): Promise<{ code: number | null; stdout: string; elapsed: number }> {
  const script = fileURLToPath(new URL(`./child/${name}`, import.meta.url));
  const start = performance.now();
  return new Promise((resolve, reject) => {
    const proc = spawn(process.execPath, ["--conditions=@zp/source", "--import", "tsx", script], {
      cwd: packageDir,
      stdio: ["ignore", "pipe", "inherit"],
    });
    let stdout = "";
    proc.stdout.setEncoding("utf8").on("data", (chunk: string) => (stdout += chunk));
    proc.on("error", reject);
    proc.on("close", (code) => resolve({ code, stdout: stdout.trim(), elapsed: performance.now() - start }));
  });
}

describe("process lifetime", () => {
  it("lets the process exit while 60 s timers are pending", async () => {
    const { code, stdout, elapsed } = await runChild("arm-long-timers.ts");
    expect(code).toBe(0);
    expect(stdout).toBe("armed 4");
    // Startup with the TypeScript loader takes a few seconds at most on a loaded
    // machine; the timers would hold the process for 60.
    expect(elapsed).toBeLessThan(20_000);
  });

  it("keeps the process alive for timers that ask for it", async () => {
    const { code, stdout } = await runChild("sleep-with-ref.ts");
    expect(code).toBe(0);
    expect(stdout).toBe("slept true timed out true");
  });
});
