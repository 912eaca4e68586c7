import { tmpdir } from "node:os";
import { join } from "node:path";
import { ProxyApp } from "../service/proxy-app.js";
import { announce } from "./announce.js";
import type { ReverseProxyCommand } from "./cli-command.js";
import type { CliIo } from "./cli-io.js";
import { reverseProxyConfig } from "./reverse-proxy-section.js";

/** `zp reverse-proxy`: runs until SIGTERM (graceful) or SIGINT (fast). */
export async function runReverseProxy(command: ReverseProxyCommand, io: CliIo): Promise<undefined> {
  const config = reverseProxyConfig(command);
  const app = new ProxyApp(config, {
    name: "zp reverse-proxy",
    conf: {
      pid_file: join(tmpdir(), `zp-reverse-proxy-${command.from.port}.pid`),
      grace_period_seconds: 30,
      graceful_shutdown_timeout_seconds: 5,
    },
  });
  void app.run();
  try {
    if (announce(await app.ready, io.out)) io.out(`zp: proxying to ${command.to.join(", ")} (${command.lb})`);
  } catch {
    // the runtime logged why it did not start and exits
  }
  return undefined;
}
