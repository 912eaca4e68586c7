import { spawn, type ChildProcess } from "node:child_process";
import { connect, type Socket } from "node:net";

/**
 * A listener whose accept queue is full, so a further TCP connect on loopback hangs (Linux
 * drops SYNs to a full queue): a child process listens with backlog 1, prints its port and
 * blocks its event loop so it never accepts; filler connections take the queue.
 */
export interface BlockedListener {
  port: number;
  close: () => void;
}

const script = `
const net = require("node:net");
const fs = require("node:fs");
const server = net.createServer();
server.listen({ port: 0, host: "127.0.0.1", backlog: 1 }, () => {
  fs.writeSync(1, server.address().port + "\\n");
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 60000);
});
`;

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
    close: () => {
      for (const s of fillers) s.destroy();
      child.kill("SIGKILL");
    },
  };
}
