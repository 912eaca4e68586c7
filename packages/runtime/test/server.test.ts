import { existsSync, readFileSync } from "node:fs";
import { createServer } from "node:http";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { Server, ServerConfError, type Service, type ServiceContext, type StopOptions } from "../src/index.js";
import { get } from "./helpers/http-load.js";
import { cleanUp, tempDir } from "./helpers/server-process.js";

afterEach(() => cleanUp());

/** A service that records what the runtime does with it. */
class RecordingService implements Service {
  readonly name: string;
  readonly listeners = [{ address: "127.0.0.1", port: 0 }];
  readonly stops: StopOptions[] = [];
  ctx: ServiceContext | undefined;
  listeningDuringStart: boolean | undefined;
  private readonly http = createServer((_req, res) => res.end(JSON.stringify({ pid: process.pid })));

  constructor(
    name: string,
    private readonly stopBehaviour: "resolve" | "hang-when-graceful" = "resolve",
  ) {
    this.name = name;
  }

  start(ctx: ServiceContext): void {
    this.ctx = ctx;
    this.listeningDuringStart = ctx.listeners[0]!.listening;
    ctx.listeners[0]!.on("connection", (socket) => this.http.emit("connection", socket));
  }

  stop(options: StopOptions): Promise<void> {
    this.stops.push(options);
    if (options.graceful && this.stopBehaviour === "hang-when-graceful") return new Promise(() => {});
    return Promise.resolve();
  }
}

function conf(dir: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { pid_file: join(dir, "server.pid"), error_log: join(dir, "error.log"), ...extra };
}

describe("Server in this process (threads: 1)", () => {
  it("starts services before accepting, serves, and stops gracefully on request", async () => {
    const dir = tempDir();
    const service = new RecordingService("recording");
    const server = new Server({ conf: conf(dir, { grace_period_seconds: 7 }), exitProcess: false }).addService(service);
    expect(server.role).toBe("single");
    const running = server.run();
    const ready = await server.ready;
    expect(ready).toMatchObject({ pid: process.pid, role: "single", workerId: 0, upgraded: false, workers: [] });
    const port = (ready.addresses[0] as { port: number }).port;
    expect(ready.addresses[0]).toMatchObject({ kind: "tcp", address: "127.0.0.1", family: "IPv4" });
    expect(service.listeningDuringStart).toBe(false);
    expect(service.ctx!.listeners[0]!.listening).toBe(true);
    expect(service.ctx!.addresses).toEqual(ready.addresses);
    expect(service.ctx!.conf.grace_period_seconds).toBe(7);
    expect(readFileSync(join(dir, "server.pid"), "utf8").trim()).toBe(String(process.pid));

    expect((await get({ port })).answer?.pid).toBe(process.pid);
    const before = Date.now();
    await server.shutdown("graceful");
    await running;
    expect(service.stops).toHaveLength(1);
    expect(service.stops[0]!.graceful).toBe(true);
    expect(service.stops[0]!.deadline).toBeGreaterThanOrEqual(before + 7_000 - 50);
    expect(service.stops[0]!.deadline).toBeLessThanOrEqual(Date.now() + 7_000);
    expect((await get({ port })).error).toBe("ECONNREFUSED");
    expect(existsSync(join(dir, "server.pid"))).toBe(false);
    expect(readFileSync(join(dir, "error.log"), "utf8")).toMatch(/\[info\] \[pid \d+\] single ready, listening on 127\.0\.0\.1:\d+/);
  });

  it("asks a service that outlasts the grace period to force-close", async () => {
    const dir = tempDir();
    const service = new RecordingService("slow-to-stop", "hang-when-graceful");
    const server = new Server({ conf: conf(dir, { grace_period_seconds: 0, graceful_shutdown_timeout_seconds: 1 }), exitProcess: false }).addService(service);
    void server.run();
    await server.ready;
    await server.shutdown();
    expect(service.stops.map((s) => s.graceful)).toEqual([true, false]);
  });

  it("fails to start when a service throws: started services are stopped and the ports closed", async () => {
    const dir = tempDir();
    const first = new RecordingService("first");
    const broken: Service = {
      name: "broken",
      start: () => {
        throw new Error("cannot open the database");
      },
      stop: () => {},
    };
    const server = new Server({ conf: conf(dir), exitProcess: false }).addService(first).addService(broken);
    await expect(server.run()).rejects.toThrow("cannot open the database");
    await expect(server.ready).rejects.toThrow("cannot open the database");
    expect(first.stops.map((s) => s.graceful)).toEqual([false]);
    expect(existsSync(join(dir, "server.pid"))).toBe(false);
    expect(readFileSync(join(dir, "error.log"), "utf8")).toContain("[error]");
  });

  it("runs background services beside listening ones", async () => {
    const dir = tempDir();
    const events: string[] = [];
    const background: Service = {
      name: "ticker",
      placement: "once",
      start: (ctx) => void events.push(`start ${ctx.role} ${ctx.listeners.length}`),
      stop: (o) => void events.push(`stop ${o.graceful}`),
    };
    const server = new Server({ conf: conf(dir), exitProcess: false }).addServices([new RecordingService("web"), background]);
    void server.run();
    await server.ready;
    await server.shutdown("fast");
    expect(events).toEqual(["start single 0", "stop false"]);
  });

  it("validates its configuration and services", () => {
    expect(() => new Server({ conf: { threads: 0 } })).toThrow(ServerConfError);
    expect(() => new Server({ conf: { bogus: 1 } as never })).toThrow("bogus: unknown key");
    const server = new Server({ exitProcess: false });
    expect(() => server.addService({ name: "x", placement: "once", listeners: [{ address: "127.0.0.1", port: 0 }], start() {}, stop() {} })).toThrow(TypeError);
    expect(new Server({ conf: { threads: 3 } }).role).toBe("primary");
    expect(new Server({ args: { daemon: true } }).conf.daemon).toBe(true);
  });
});
