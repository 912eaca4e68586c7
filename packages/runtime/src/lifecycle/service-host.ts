import { type Server as NetServer, createServer } from "node:net";
import { ErrorType, ZpError } from "@zp/error";
import type { ServerConf } from "../conf/server-conf.js";
import { type Listener, formatBound } from "../listeners/listener.js";
import type { ListenerSet } from "../listeners/listener-set.js";
import type { RawServerHandle } from "../listeners/raw-handle.js";
import type { ErrorLog } from "../process/error-log.js";
import type { ListenerSpec, ProcessRole, Service } from "../service.js";
import { nextLoopTurn } from "./delay.js";
import { ServiceStopper } from "./service-stopper.js";
import type { ShutdownTiming } from "./shutdown-timing.js";

/** A service to run in this process, with the keys of its listeners. */
export interface HostedService {
  readonly service: Service;
  readonly keys: readonly string[];
}

/** What every service context shares. */
export interface HostContext {
  readonly conf: Readonly<ServerConf>;
  readonly role: ProcessRole;
  readonly workerId: number;
  readonly log: ErrorLog;
}

function listenOn(server: NetServer, handle: RawServerHandle, backlog: number): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once("error", reject);
    // `listen(handle)` takes a native server handle, as node:cluster workers do.
    server.listen(handle as unknown as { fd: number }, backlog, () => {
      server.off("error", reject);
      resolve();
    });
  });
}

/**
 * Runs services in this process: creates a `net.Server` per declared listener on the shared
 * socket, starts the services, then starts accepting; on stop, stops accepting first and
 * then stops the services.
 */
export class ServiceHost {
  private readonly servers: NetServer[] = [];
  private readonly started: Service[] = [];
  private stopper: ServiceStopper | undefined;

  constructor(
    private readonly hosted: readonly HostedService[],
    private readonly listeners: ListenerSet,
    private readonly context: HostContext,
  ) {}

  /** Starts every service, then accepts on all listeners. On failure, stops what started and throws. */
  async start(): Promise<void> {
    const toListen: { server: NetServer; key: string; listener: Listener; backlog: number }[] = [];
    try {
      for (const { service, keys } of this.hosted) {
        const specs: readonly ListenerSpec[] = service.listeners ?? [];
        const listeners = keys.map((key) => {
          const l = this.listeners.get(key);
          if (l === undefined) throw new Error(`no socket for listener ${key} of service ${service.name}`);
          return l;
        });
        const servers = specs.map((spec) => createServer(spec.serverOptions ?? {}));
        await service.start({ ...this.context, listeners: servers, addresses: listeners.map((l) => l.bound) });
        this.started.push(service);
        servers.forEach((server, i) => {
          this.servers.push(server);
          toListen.push({ server, key: keys[i]!, listener: listeners[i]!, backlog: specs[i]!.backlog ?? 511 });
        });
      }
      for (const { server, key, listener, backlog } of toListen) {
        await listenOn(server, listener.handle, backlog).catch((err: unknown) => {
          throw ZpError.because(ErrorType.BindError, `listening on ${formatBound(listener.bound)}`, err);
        });
        this.listeners.adopt(key);
        server.on("error", (err) => this.context.log.error(`listener ${key}`, err));
      }
    } catch (err) {
      for (const s of this.servers) if (s.listening) s.close();
      await new ServiceStopper(this.started, this.context.log).stop(false, { graceMs: 0, forceMs: 1_000 });
      throw err;
    }
  }

  /**
   * Stops accepting. Waits two turns of the event loop first, so that connections the kernel
   * had already queued when the stop was decided are accepted and served rather than reset.
   * When the socket is shared (workers, a successor) it stays open in the other processes.
   */
  async stopAccepting(): Promise<void> {
    await nextLoopTurn();
    await nextLoopTurn();
    for (const server of this.servers) if (server.listening) server.close();
  }

  /** Stops the started services (see {@link ServiceStopper}). */
  stop(graceful: boolean, timing: ShutdownTiming): Promise<void> {
    this.stopper ??= new ServiceStopper(this.started, this.context.log);
    return this.stopper.stop(graceful, timing);
  }

  /** Turns a graceful stop in progress into a fast one. */
  escalate(): void {
    this.stopper?.escalate();
  }
}
