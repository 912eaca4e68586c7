import { type BoundAddress, type ReadyInfo, Server, type ServerArgs, type ServerConf, type ShutdownKind } from "@zp/runtime";
import { formatHostPort } from "../config/host-port.js";
import type { ProxyConfig } from "../config/proxy-config.js";
import { ProxyAppService, type ProxyAppServiceOptions } from "./proxy-app-service.js";

/** Options of a {@link ProxyApp}. */
export interface ProxyAppOptions extends ProxyAppServiceOptions {
  /** The server configuration (a loaded one, or keys to validate; default: all defaults). */
  conf?: Partial<ServerConf>;
  /** Parsed command-line options (`daemon`, `conf`...). */
  args?: Partial<ServerArgs>;
  /** Exit the process when the server stops (default true, as a command does). */
  exitProcess?: boolean;
}

/** Where a running proxy can be reached. */
export interface ProxyEndpoints {
  /** `http://127.0.0.1:8080`, `https://...`: one per listener, in configuration order. */
  readonly listeners: readonly string[];
  /** The admin base URL, if there is an admin listener. */
  readonly admin: string | undefined;
  /** What the runtime reported. */
  readonly info: ReadyInfo;
}

function urlOf(bound: BoundAddress | undefined, tls: boolean): string {
  if (bound === undefined || bound.kind !== "tcp") return "";
  return `${tls ? "https" : "http"}://${formatHostPort(bound.address, bound.port)}`;
}

/**
 * A proxy from a {@link ProxyConfig} under `@zp/runtime`'s `Server`: worker processes
 * (`threads`), the pid file, SIGTERM (graceful), SIGINT (fast), SIGQUIT (zero-downtime
 * upgrade), daemon mode.
 *
 * @example
 * ```ts
 * const app = new ProxyApp(config, { conf: { pid_file: "/tmp/zp.pid" }, exitProcess: false });
 * const finished = app.run();
 * console.log((await app.ready).listeners); // [ 'http://127.0.0.1:8080' ]
 * await app.shutdown();
 * await finished;
 * ```
 */
export class ProxyApp {
  /** The runtime server. */
  readonly server: Server;
  /** The proxy service it runs. */
  readonly service: ProxyAppService;
  /** Resolves once this process serves (rejects if it fails to start). */
  readonly ready: Promise<ProxyEndpoints>;

  constructor(config: ProxyConfig, options: ProxyAppOptions = {}) {
    const { conf, args, exitProcess, ...service } = options;
    this.server = new Server({ ...(conf === undefined ? {} : { conf }), ...(args === undefined ? {} : { args }), exitProcess: exitProcess ?? true });
    this.service = new ProxyAppService(config, service);
    this.server.addService(this.service);
    const count = config.listeners.length;
    this.ready = this.server.ready.then((info) => ({
      listeners: config.listeners.map((l, i) => urlOf(info.addresses[i], l.tls !== undefined)),
      admin: config.admin === undefined ? undefined : urlOf(info.addresses[count], false),
      info,
    }));
    this.ready.catch(() => {});
  }

  /** Runs until stopped (see `Server.run`). */
  run(): Promise<void> {
    return this.server.run();
  }

  /** Stops: `graceful` (as SIGTERM) or `fast` (as SIGINT). */
  shutdown(kind: ShutdownKind = "graceful"): Promise<void> {
    return this.server.shutdown(kind);
  }
}
