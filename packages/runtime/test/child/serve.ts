// A server for the tests: the PidHttpService on 127.0.0.1 (port from ZP_TEST_PORT, else a
// free one), plus a Unix socket when ZP_TEST_UNIX is set and background services that print
// when they start and stop. Prints one JSON line when it serves.
import { type Service, serverFromArgs } from "../../src/index.js";
import { PidHttpService } from "../helpers/pid-http-service.js";

function background(name: string, placement: "once" | "workers"): Service {
  return {
    name,
    placement,
    start: (ctx) => console.log(JSON.stringify({ event: "background-start", name, pid: process.pid, role: ctx.role })),
    stop: () => console.log(JSON.stringify({ event: "background-stop", name, pid: process.pid })),
  };
}

const failingUpgrade = process.env.ZP_TEST_FAILING_UPGRADE === "1";
const server = serverFromArgs(process.argv.slice(2), {
  startTimeoutMs: 20_000,
  workerRestart: { initialDelayMs: 50, maxDelayMs: 500 },
  ...(failingUpgrade ? { upgradeCommand: { command: process.execPath, args: ["-e", "process.exit(3)"] } } : {}),
});
const unix = process.env.ZP_TEST_UNIX;
server.addService(
  new PidHttpService([{ address: "127.0.0.1", port: Number(process.env.ZP_TEST_PORT ?? 0) }, ...(unix === undefined ? [] : [{ path: unix }])]),
);
if (process.env.ZP_TEST_BACKGROUND === "1") server.addService(background("once-bg", "once")).addService(background("worker-bg", "workers"));

server.ready.then(
  (info) => {
    if (info.role !== "worker") console.log(JSON.stringify({ event: "ready", ...info }));
  },
  () => {},
);
await server.run();
