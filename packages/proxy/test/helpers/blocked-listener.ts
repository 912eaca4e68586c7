import { type ChildProcess, spawn } from "node:child_process";
import { type Socket, connect } from "node:net";

/** A loopback port where TCP connects hang (its accept queue is full). */
export interface BlockedListener {
  port: number;
  close(): void;
}

// A child process listens with backlog 1 and blocks its event loop, so it never accepts;
// filler connections take the queue and Linux drops further SYNs.
const script = `
const net = require("node:net");
const fs = require("node:fs");
const server = net.createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  fs.writeSync(1, server.address().port + "\\n");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
});
`;

/** Starts a {@link BlockedListener}. */
export async function blockedListener(): Promise<BlockedListener> {
  const child: ChildProcess = spawn(process.execPath, ["-e", script], { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(Number(out.trim()));
    });
    child.once("exit", () => reject(new Error("blocked listener exited")));
  });
  const fillers: Socket[] = [];
  for (let i = 0; i < 4; i++) {
    const s = connect(port, "127.0.0.1");
    s.on("error", () => {});
    fillers.push(s);
  }
  await new Promise((r) => setTimeout(r, 100));
  return {
    port,
    close() {
      for (const s of fillers) s.destroy();
      child.kill("SIGKILL");
    },
  };
}
