import { startDemo } from "../demo/start-demo.js";
import { announce, curlable } from "./announce.js";
import type { CliCommand } from "./cli-command.js";
import type { CliIo } from "./cli-io.js";

/** `zp --demo`: three upstreams and a proxy in front, until SIGTERM (graceful) or SIGINT (fast). */
export async function runDemo(command: Extract<CliCommand, { kind: "demo" }>, io: CliIo): Promise<undefined> {
  const demo = await startDemo({ listen: command.listen, admin: command.admin, exitProcess: true });
  for (const u of demo.upstreams) io.out(`zp: upstream ${u.name} on http://${u.endpoint}`);
  announce(demo.endpoints, io.out);
  const proxy = curlable(demo.endpoints.listeners[0]!);
  const names = demo.upstreams.map((u) => u.name).join(", ");
  io.out("");
  io.out("Try:");
  const lines: Array<[string, string]> = [
    [`curl ${proxy}/hello`, `answers rotate over ${names}`],
    [`curl ${proxy}/json --compressed -i`, "gzip or br, with Vary: Accept-Encoding"],
  ];
  if (demo.endpoints.admin !== undefined) lines.push([`curl ${curlable(demo.endpoints.admin)}/metrics`, "request counters, latencies"]);
  const width = Math.max(...lines.map(([command]) => command.length));
  for (const [command, comment] of lines) io.out(`  ${command.padEnd(width)}   # ${comment}`);
  io.out("Stop with Ctrl-C (SIGINT) or SIGTERM (graceful).");
  return undefined;
}
