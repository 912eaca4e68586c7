import type { ServerArgs } from "./args/server-args.js";
import type { ServerConf } from "./conf/server-conf.js";
import { validateServerConf } from "./conf/validate-server-conf.js";
import { receiveListeners } from "./ipc/receive-listeners.js";
import { disconnectFromParent, isRuntimeMessage, sendToParent } from "./ipc/messages.js";
import { type HostedService, ServiceHost } from "./lifecycle/service-host.js";
import { type ShutdownTiming, shutdownTiming } from "./lifecycle/shutdown-timing.js";
import { startSuccessor } from "./lifecycle/start-successor.js";
import { WorkerPool } from "./lifecycle/worker-pool.js";
import { type WantedListener, assignListenerKeys, formatBound } from "./listeners/listener.js";
import { ListenerSet } from "./listeners/listener-set.js";
import { daemonize } from "./process/daemonize.js";
import { dropPrivileges } from "./process/drop-privileges.js";
import { ErrorLog } from "./process/error-log.js";
import { removePidFileIfOwned, writePidFile } from "./process/pid-file.js";
import { type Command, type ProcessOrigin, processOrigin, selfCommand } from "./process/process-origin.js";
import type { ProcessRole, Service } from "./service.js";
import type { ReadyInfo, ServerOptions, ShutdownKind } from "./server-options.js";

type State = "idle" | "starting" | "running" | "upgrading" | "stopping" | "stopped";
type StopReason = "request" | "upgrade";

const DEFAULT_START_TIMEOUT_MS = 60_000;

/**
 * A server process and its services, as Pingora's `Server`: it binds the listeners, runs the
 * services (in this process, or in `threads` worker processes sharing the listeners), and
 * handles the signals: SIGTERM = graceful shutdown, SIGINT = fast shutdown, SIGQUIT =
 * zero-downtime upgrade (this process starts its successor, hands it the listening sockets,
 * waits until it serves, then drains and exits).
 *
 * The same program runs in every process of the server: workers and the successor are started
 * with this process's command line, build the same `Server` with the same services, and
 * `run()` takes the role the runtime gave them.
 *
 * @example
 * ```ts
 * const server = Server.fromArgs(process.argv.slice(2));
 * server.addService(myHttpService);
 * await server.run(); // exits the process when the server stops
 * ```
 */
export class Server<X = Record<never, never>> {
  /** The validated configuration. */
  readonly conf: Readonly<ServerConf>;
  /** The values of the configuration's extension sections (see {@link loadServerConf}). */
  readonly extensions: X;
  /** The command-line options this server was built with. */
  readonly args: Readonly<ServerArgs>;
  /** The error log (`error_log`, or stderr). */
  readonly log: ErrorLog;
  /** `single` (threads: 1), `primary` (threads > 1, runs no listening service) or `worker`. */
  readonly role: ProcessRole;
  /** Worker number in a worker, `0` otherwise. */
  readonly workerId: number;
  /** Resolves once this process serves; rejects if it fails to start. */
  readonly ready: Promise<ReadyInfo>;

  private readonly origin: ProcessOrigin;
  private readonly options: ServerOptions;
  private readonly services: Service[] = [];
  private readonly listeners = new ListenerSet();
  private readonly finished: Promise<void>;
  private readonly signalHandlers = new Map<NodeJS.Signals, () => void>();
  private state: State = "idle";
  private pending: ShutdownKind | "upgrade" | undefined;
  private host: ServiceHost | undefined;
  private pool: WorkerPool | undefined;
  private upgradeAbort: AbortController | undefined;
  private resolveReady!: (info: ReadyInfo) => void;
  private rejectReady!: (err: unknown) => void;
  private settle!: { resolve: () => void; reject: (err: unknown) => void };

  /** Builds a server; the configuration is validated here (throws a `ServerConfError`). */
  constructor(options: ServerOptions = {}) {
    this.options = options;
    const given = (options.conf ?? {}) as Partial<ServerConf> & { extensions?: X };
    const input = Object.fromEntries(Object.entries(given).filter(([key, value]) => value !== undefined && key !== "extensions"));
    const conf: ServerConf = validateServerConf(input);
    if (options.args?.daemon === true) conf.daemon = true;
    this.conf = conf;
    this.extensions = (given.extensions ?? {}) as X;
    this.args = { conf: null, test: false, upgrade: false, daemon: false, help: false, nocapture: false, rest: [], ...options.args };
    this.log = new ErrorLog(conf.error_log);
    const { origin, workerId } = processOrigin();
    this.origin = origin;
    this.role = origin === "worker" ? "worker" : conf.threads > 1 ? "primary" : "single";
    this.workerId = origin === "worker" ? workerId : 0;
    this.ready = new Promise((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.finished = new Promise((resolve, reject) => (this.settle = { resolve, reject }));
    // Both are awaited only by those who care; a failed start must not crash as unhandled.
    this.ready.catch(() => {});
    this.finished.catch(() => {});
  }

  /** Adds a service (Pingora's `add_service`). Only before `run()`. */
  addService(service: Service): this {
    if (this.state !== "idle") throw new Error("services must be added before run()");
    if (service.placement === "once" && (service.listeners?.length ?? 0) > 0) {
      throw new TypeError(`service ${service.name}: a service with listeners runs in the workers; placement "once" is for background services`);
    }
    this.services.push(service);
    return this;
  }

  /** Adds several services. */
  addServices(services: Iterable<Service>): this {
    for (const s of services) this.addService(s);
    return this;
  }

  /** The pids of the worker processes (primary only; empty elsewhere). */
  workerPids(): number[] {
    return this.pool?.pids() ?? [];
  }

  /**
   * Starts the server and runs it until it stops (Pingora's `run_forever`). By default the
   * process then exits with code 0 (or 1 if the server failed to start); with
   * `exitProcess: false` the promise settles instead. With `daemon`, this process starts the
   * server in the background and exits once it serves.
   */
  run(): Promise<void> {
    if (this.state !== "idle") return Promise.reject(new Error("run() was already called"));
    this.state = "starting";
    void this.boot();
    return this.finished;
  }

  /**
   * Shuts down: `graceful` (as SIGTERM) stops accepting, lets in-flight work finish within
   * `grace_period_seconds`, force-closes what remains within `graceful_shutdown_timeout_seconds`;
   * `fast` (as SIGINT) closes everything now. A fast shutdown during a graceful one ends the
   * grace period. Settles when stopped (if the process does not exit first).
   */
  shutdown(kind: ShutdownKind = "graceful"): Promise<void> {
    return this.beginShutdown(kind, "request");
  }

  /**
   * Zero-downtime upgrade (as SIGQUIT): starts the successor, hands it the listening sockets
   * and, once it serves, stops accepting and drains gracefully. If the successor fails to start
   * this process keeps serving and the promise rejects with a `ZP_UPGRADE_FAILED` ZpError.
   */
  async upgrade(): Promise<void> {
    if (this.role === "worker") return;
    if (this.state === "idle" || this.state === "starting") {
      this.pending ??= "upgrade";
      return;
    }
    if (this.state !== "running") {
      this.log.warn(`upgrade ignored: the server is ${this.state}`);
      return;
    }
    this.state = "upgrading";
    const abort = new AbortController();
    this.upgradeAbort = abort;
    this.log.info("upgrade: starting the successor and handing it the listeners");
    let successor: number;
    try {
      successor = await startSuccessor(this.upgradeCommand(), this.listeners.all(), this.startTimeoutMs(), this.log, abort.signal);
    } catch (err) {
      if (this.state === "upgrading") this.state = "running";
      this.log.error("upgrade failed; this process keeps serving", err);
      throw err;
    }
    if (this.state !== "upgrading") return;
    this.state = "running";
    this.log.info(`upgrade: successor ${successor} serves; this process stops accepting and drains`);
    await this.beginShutdown("graceful", "upgrade");
  }

  private async boot(): Promise<void> {
    try {
      if (this.origin === "launch" && this.conf.daemon && this.role !== "worker") {
        const pid = await daemonize(this.conf.error_log, this.startTimeoutMs(), this.log);
        this.log.info(`the server runs in the background as pid ${pid}`);
        this.state = "stopped";
        this.rejectReady(new Error("the server was started in the background"));
        return this.finish(0);
      }
      if (this.args.upgrade && this.origin === "launch") {
        this.log.warn("-u/--upgrade has no effect: send SIGQUIT to the running server, which starts its successor itself");
      }
      this.installSignals();
      if (this.role === "worker") await this.startWorker();
      else await this.startMain();
    } catch (err) {
      this.log.error("the server failed to start", err);
      this.rejectReady(err);
      await this.abortStart(err);
      return this.finish(1, err);
    }
    this.state = "running";
    const info = this.readyInfo();
    this.log.info(`${this.role} ready${info.addresses.length > 0 ? `, listening on ${info.addresses.map(formatBound).join(", ")}` : ""}`);
    this.resolveReady(info);
    const pending = this.pending;
    this.pending = undefined;
    if (pending === "upgrade") this.upgrade().catch(() => {});
    else if (pending !== undefined) void this.shutdown(pending);
  }

  private async startMain(): Promise<void> {
    const { hosted, wanted } = this.plan();
    if (this.origin === "successor") {
      for (const l of await receiveListeners(this.startTimeoutMs())) this.listeners.add(l);
      this.listeners.closeUnwanted(wanted, this.log);
    }
    await this.listeners.bindMissing(wanted);
    dropPrivileges(this.conf.user, this.conf.group, this.conf.error_log === null ? [] : [this.conf.error_log]);
    // A successor writes the pid file only once it serves, so it always names a serving process.
    if (this.origin !== "successor") writePidFile(this.conf.pid_file);
    if (this.role === "primary") {
      this.pool = new WorkerPool({
        count: this.conf.threads,
        command: selfCommand(),
        listeners: () => this.listeners.all(),
        log: this.log,
        startTimeoutMs: this.startTimeoutMs(),
        ...(this.options.workerRestart === undefined ? {} : { restart: this.options.workerRestart }),
      });
      await this.pool.start();
      this.host = new ServiceHost(hosted.filter((h) => h.service.placement === "once"), this.listeners, this.hostContext());
    } else {
      this.host = new ServiceHost(hosted, this.listeners, this.hostContext());
    }
    await this.host.start();
    if (this.origin === "successor") writePidFile(this.conf.pid_file);
    if (this.origin === "successor" || this.origin === "daemon") {
      sendToParent({ zp: "ready", pid: process.pid });
      disconnectFromParent();
    }
  }

  private async startWorker(): Promise<void> {
    const { hosted, wanted } = this.plan();
    // Listen for the primary's orders first: a stop sent while this worker starts is kept
    // as pending and carried out once it serves.
    process.on("message", (message: unknown) => {
      if (isRuntimeMessage(message) && message.zp === "stop") {
        void this.beginShutdown(message.graceful ? "graceful" : "fast", "request", { graceMs: message.graceMs, forceMs: message.forceMs });
      }
    });
    process.once("disconnect", () => {
      if (this.state === "stopping" || this.state === "stopped") return;
      this.log.warn("the primary process went away; stopping");
      void this.shutdown("graceful");
    });
    for (const l of await receiveListeners(this.startTimeoutMs())) this.listeners.add(l);
    this.listeners.closeUnwanted(wanted, this.log);
    for (const w of wanted) if (this.listeners.get(w.key) === undefined) throw new Error(`the primary did not share listener ${w.key}`);
    this.host = new ServiceHost(hosted.filter((h) => h.service.placement !== "once"), this.listeners, this.hostContext());
    await this.host.start();
    sendToParent({ zp: "ready", pid: process.pid });
  }

  private beginShutdown(kind: ShutdownKind, reason: StopReason, timing: ShutdownTiming = shutdownTiming(this.conf)): Promise<void> {
    if (this.state === "idle" || this.state === "starting") {
      if (kind === "fast" || this.pending === undefined || this.pending === "upgrade") this.pending = kind;
      return this.finished;
    }
    if (this.state === "stopping" || this.state === "stopped") {
      if (kind === "fast") {
        this.host?.escalate();
        this.pool?.escalate();
      }
      return this.finished;
    }
    if (this.state === "upgrading") this.upgradeAbort?.abort();
    this.state = "stopping";
    if (reason === "request") this.log.info(`${kind} shutdown`);
    void this.drain(kind === "graceful", reason, timing);
    return this.finished;
  }

  private async drain(graceful: boolean, reason: StopReason, timing: ShutdownTiming): Promise<void> {
    const stopHost = async (): Promise<void> => {
      await this.host?.stopAccepting();
      await this.host?.stop(graceful, timing);
    };
    if (this.role === "primary") {
      this.listeners.closeHeld();
      await Promise.all([this.pool?.stop(graceful, timing), stopHost()]);
    } else {
      await stopHost();
      this.listeners.closeHeld();
    }
    if (this.role !== "worker") {
      if (reason !== "upgrade") this.listeners.unlinkSocketFiles(this.log);
      removePidFileIfOwned(this.conf.pid_file);
    }
    this.state = "stopped";
    this.log.info("stopped");
    this.finish(0);
  }

  private async abortStart(err: unknown): Promise<void> {
    await this.pool?.stop(false, { graceMs: 0, forceMs: 1_000 });
    this.listeners.closeHeld();
    if (this.role !== "worker") removePidFileIfOwned(this.conf.pid_file);
    sendToParent({ zp: "failed", pid: process.pid, message: err instanceof Error ? err.message : String(err) });
  }

  private finish(code: number, err?: unknown): void {
    for (const [signal, handler] of this.signalHandlers) process.off(signal, handler);
    this.signalHandlers.clear();
    if (this.options.exitProcess !== false) process.exit(code);
    if (err === undefined) this.settle.resolve();
    else this.settle.reject(err);
  }

  private installSignals(): void {
    const on = (signal: NodeJS.Signals, handler: () => void): void => {
      this.signalHandlers.set(signal, handler);
      process.on(signal, handler);
    };
    on("SIGTERM", () => void this.shutdown("graceful"));
    on("SIGINT", () => void this.shutdown("fast"));
    // Only the primary (or single process) upgrades; a worker that shares its process group
    // with the primary must survive a SIGQUIT sent to the whole group.
    on("SIGQUIT", () => (this.role === "worker" ? undefined : this.upgrade().catch(() => {})));
  }

  /** Every service with the keys of its listeners, and the listeners they need. */
  private plan(): { hosted: HostedService[]; wanted: WantedListener[] } {
    const wanted = assignListenerKeys(this.services.flatMap((s) => s.listeners ?? []));
    let next = 0;
    const hosted = this.services.map((service) => {
      const count = service.listeners?.length ?? 0;
      const keys = wanted.slice(next, next + count).map((w) => w.key);
      next += count;
      return { service, keys };
    });
    return { hosted, wanted };
  }

  private hostContext(): { conf: Readonly<ServerConf>; role: ProcessRole; workerId: number; log: ErrorLog } {
    return { conf: this.conf, role: this.role, workerId: this.workerId, log: this.log };
  }

  private readyInfo(): ReadyInfo {
    const addresses = this.plan().wanted.flatMap((w) => {
      const l = this.listeners.get(w.key);
      return l === undefined ? [] : [l.bound];
    });
    return { pid: process.pid, role: this.role, workerId: this.workerId, upgraded: this.origin === "successor", addresses, workers: this.workerPids() };
  }

  private upgradeCommand(): Command {
    const custom = this.options.upgradeCommand;
    if (custom === undefined) return selfCommand();
    return { command: custom.command, args: custom.args ?? [], ...(custom.env === undefined ? {} : { env: custom.env }) };
  }

  private startTimeoutMs(): number {
    return this.options.startTimeoutMs ?? DEFAULT_START_TIMEOUT_MS;
  }
}
