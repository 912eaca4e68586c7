import { spawn } from "node:child_process";

/** What curl printed and how it exited. */
export interface CurlResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs curl with `args` (and `input` on its stdin). */
export function curl(args: string[], input?: Buffer | string): Promise<CurlResult> {
  return new Promise((resolve, reject) => {
    const child = spawn("curl", ["--silent", "--show-error", "--max-time", "20", ...args], { stdio: ["pipe", "pipe", "pipe"] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on("data", (c: Buffer) => out.push(c));
    child.stderr.on("data", (c: Buffer) => err.push(c));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout: Buffer.concat(out).toString("latin1"), stderr: Buffer.concat(err).toString("latin1") }));
    if (input !== undefined) child.stdin.end(input);
    else child.stdin.end();
  });
}
