import { ServerConfError } from "@zp/runtime";
import { type ZpConfig, loadZpConfig } from "../config/load-zp-config.js";
import { ProxyApp } from "../service/proxy-app.js";
import { announce } from "./announce.js";
import type { CliCommand } from "./cli-command.js";
import type { CliIo } from "./cli-io.js";

/** `zp --conf file` (runs until a signal stops it) and `zp -t --conf file` (0 or 1). */
export async function runConf(command: Extract<CliCommand, { kind: "conf" }>, io: CliIo): Promise<number | undefined> {
  let config: ZpConfig;
  try {
    config = loadZpConfig(command.file);
  } catch (err) {
    if (!(err instanceof ServerConfError)) throw err;
    io.err(command.test ? `zp: configuration test failed: ${err.message}` : `zp: ${err.message}`);
    return 1;
  }
  if (command.test) {
    io.out(`zp: configuration OK: ${command.file}`);
    return 0;
  }
  const app = new ProxyApp(config.extensions.proxy, {
    conf: config,
    args: { conf: command.file, daemon: command.daemon, upgrade: command.upgrade },
  });
  void app.run();
  try {
    announce(await app.ready, io.out);
  } catch {
    // the runtime logged why it did not start (or that it went to the background) and exits
  }
  return undefined;
}
