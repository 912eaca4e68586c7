import { createServer as createNetServer, type Server } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { Backend, HttpHealthCheck, LoadBalancer, TcpHealthCheck, type HealthChangeReason } from "@zp/lb";
import { selfSigned } from "./helpers/cert.js";
import { delay } from "./helpers/determinism.js";
import { Loopback, closedPort, httpServer, httpsServer, tcpServer } from "./helpers/servers.js";

const cleanups: Array<() => Promise<void> | void> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function started<S extends Loopback<Server>>(server: S): Promise<S> {
  await server.up();
  cleanups.push(() => (server.server.listening ? server.down() : undefined));
  return server;
}

async function failure(promise: Promise<unknown>): Promise<{ code: string; message: string; cause?: unknown }> {
  try {
    await promise;
  } catch (err) {
    return err as { code: string; message: string };
  }
  throw new Error("expected a failure");
}

describe("TcpHealthCheck", () => {
  it("passes while the backend listens and fails with ConnectRefused once it is gone", async () => {
    const server = await started(tcpServer());
    const check = new TcpHealthCheck({ timeoutMs: 500 });
    const backend = Backend.parse(server.endpoint);
    await check.check(backend);
    expect(server.accepted).toBe(1);
    await server.down();
    expect((await failure(check.check(backend))).code).toBe("ZP_CONNECT_REFUSED");
    const nowhere = Backend.parse(`127.0.0.1:${await closedPort()}`);
    expect((await failure(check.check(nowhere))).code).toBe("ZP_CONNECT_REFUSED");
  });

  it("probes another port when asked", async () => {
    const health = await started(tcpServer());
    const check = new TcpHealthCheck({ port: health.port });
    await check.check(Backend.parse(`127.0.0.1:${await closedPort()}`));
    expect(health.accepted).toBe(1);
  });

  it("flips exactly at the consecutive thresholds while a real backend goes down and comes back", async () => {
    const server = await started(tcpServer());
    const other = await started(tcpServer());
    const events: Array<[string, boolean, HealthChangeReason]> = [];
    const lb = LoadBalancer.fromBackends([server.endpoint, other.endpoint], {
      healthCheck: new TcpHealthCheck({ consecutiveFailure: 3, consecutiveSuccess: 2, timeoutMs: 500 }),
      onHealthChange: (b, healthy, reason) => events.push([b.endpoint, healthy, reason]),
    });
    const target = Backend.parse(server.endpoint);
    const round = async (): Promise<boolean> => {
      await lb.runHealthChecks();
      return lb.ready(target);
    };
    expect(await round()).toBe(true);
    await server.down();
    // Failures 1 and 2 do not flip; the third does.
    expect([await round(), await round(), await round()]).toEqual([true, true, false]);
    expect(events).toEqual([[server.endpoint, false, "active_check"]]);
    // Unhealthy: selection goes elsewhere.
    for (let i = 0; i < 4; i++) expect(lb.select()?.endpoint).toBe(other.endpoint);
    await round();
    await server.up();
    // Success 1 does not flip; the second does.
    expect([await round(), await round()]).toEqual([false, true]);
    expect(events).toEqual([
      [server.endpoint, false, "active_check"],
      [server.endpoint, true, "active_check"],
    ]);
    // A success between failures resets the count.
    await server.down();
    expect(await round()).toBe(true);
    expect(await round()).toBe(true);
    await server.up();
    expect(await round()).toBe(true);
    await server.down();
    expect([await round(), await round(), await round()]).toEqual([true, true, false]);
  });

  it("checks over TLS when asked, and fails on an untrusted certificate", async () => {
    const { cert, key } = selfSigned();
    const server = await started(httpsServer(cert, key, (_req, res) => res.end("ok")));
    const backend = Backend.parse(server.endpoint);
    await new TcpHealthCheck({ tls: { sni: "localhost", ca: cert } }).check(backend);
    expect((await failure(new TcpHealthCheck({ tls: { sni: "localhost" } }).check(backend))).code).toBe("ZP_INVALID_CERT");
  });
});

describe("HttpHealthCheck", () => {
  it("sends method, path, Host and headers, and passes on the expected status", async () => {
    const seen: Array<{ method?: string; url?: string; host?: string; ua?: string; extra?: string }> = [];
    const server = await started(
      httpServer((req, res) => {
        seen.push({ method: req.method, url: req.url, host: req.headers.host, ua: req.headers["user-agent"], extra: req.headers["x-probe"] as string });
        res.statusCode = req.url === "/healthz" ? 200 : req.url === "/empty" ? 204 : 503;
        res.end(req.method === "HEAD" ? undefined : "fine");
      }),
    );
    const backend = Backend.parse(server.endpoint);
    await new HttpHealthCheck({ path: "/healthz", host: "api.internal", headers: { "X-Probe": "1" } }).check(backend);
    expect(seen[0]).toEqual({ method: "GET", url: "/healthz", host: "api.internal", ua: "zingora-health-check", extra: "1" });
    await new HttpHealthCheck({ path: "/healthz", method: "HEAD" }).check(backend);
    expect(seen[1]).toMatchObject({ method: "HEAD", host: server.endpoint });
    await new HttpHealthCheck({ path: "/empty", expectedStatus: [200, 204] }).check(backend);

    const err = await failure(new HttpHealthCheck({ path: "/missing" }).check(backend));
    expect(err.code).toBe("ZP_HTTP_STATUS");
    expect((err as unknown as { type: { status: number } }).type.status).toBe(503);
    expect((await failure(new HttpHealthCheck({ path: "/empty" }).check(backend))).code).toBe("ZP_HTTP_STATUS");
  });

  it("hands status, headers and body to the validator", async () => {
    let ready = true;
    const server = await started(
      httpServer((_req, res) => {
        res.setHeader("X-Version", "42");
        // Chunked, in two writes.
        res.write('{"ready":');
        res.end(`${ready}}`);
      }),
    );
    const backend = Backend.parse(server.endpoint);
    const check = new HttpHealthCheck({
      validator: (res, b) => {
        expect(b.endpoint).toBe(server.endpoint);
        return res.status === 200 && res.headers.get("x-version") === "42" && JSON.parse(res.body.toString()).ready === true;
      },
    });
    await check.check(backend);
    ready = false;
    expect((await failure(check.check(backend))).code).toBe("ZP_LB_CHECK_REJECTED");
    const thrown = await failure(
      new HttpHealthCheck({
        validator: async () => {
          throw new Error("not warmed up");
        },
      }).check(backend),
    );
    expect(thrown.code).toBe("ZP_LB_CHECK_REJECTED");
    expect((thrown.cause as Error).message).toBe("not warmed up");
    // With only a validator, the status is not checked.
    await new HttpHealthCheck({ validator: (res) => res.status === 200 }).check(backend);
    expect((await failure(new HttpHealthCheck({ maxBodyBytes: 4 }).check(backend))).code).toBe("ZP_LB_BODY_TOO_LARGE");
  });

  it("reads raw responses: close-delimited, interim 1xx, and refuses garbage", async () => {
    let reply = "";
    const raw = new Loopback(
      createNetServer((socket) => {
        socket.once("data", () => socket.end(reply));
      }),
    );
    await started(raw);
    const backend = Backend.parse(raw.endpoint);
    const check = new HttpHealthCheck({ validator: (res) => res.body.toString() === "until close" });
    reply = "HTTP/1.1 200 OK\r\nConnection: close\r\n\r\nuntil close";
    await check.check(backend);
    reply = "HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\nuntil close";
    await check.check(backend);
    reply = "HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\ncut short";
    expect((await failure(check.check(backend))).code).toBe("ZP_CONNECTION_CLOSED");
    reply = "NOT HTTP AT ALL\r\n\r\n";
    expect((await failure(check.check(backend))).code).toBe("ZP_H1_ERROR");
  });

  it("times out a backend that accepts but never answers, with ReadTimeout", async () => {
    const silent = await started(tcpServer());
    const started_ = performance.now();
    const err = await failure(new HttpHealthCheck({ timeoutMs: 150 }).check(Backend.parse(silent.endpoint)));
    const took = performance.now() - started_;
    expect(err.code).toBe("ZP_READ_TIMEOUT");
    expect(took).toBeGreaterThanOrEqual(145);
    expect(took).toBeLessThan(2000);
    // The probe's connection is closed.
    await delay(50);
    expect(silent.sockets.size).toBe(0);
  });

  it("checks HTTPS against a self-signed certificate with SNI and verification options", async () => {
    const { cert, key } = selfSigned();
    const names: string[] = [];
    const server = await started(
      httpsServer(cert, key, (req, res) => {
        names.push((req.socket as unknown as { servername: string }).servername);
        res.end("ok");
      }),
    );
    const backend = Backend.parse(server.endpoint);
    await new HttpHealthCheck({ host: "localhost", tls: { ca: cert } }).check(backend);
    expect(names).toEqual(["localhost"]);
    // Untrusted by default.
    expect((await failure(new HttpHealthCheck({ host: "localhost", tls: true }).check(backend))).code).toBe("ZP_INVALID_CERT");
    // A name the certificate does not carry.
    expect((await failure(new HttpHealthCheck({ host: "other.test", tls: { ca: cert } }).check(backend))).code).toBe("ZP_INVALID_CERT");
    // Verification off (and no SNI for an IP literal).
    await new HttpHealthCheck({ tls: { verifyCert: false } }).check(backend);
    expect(names).toHaveLength(2);
  });

  it("runs a round with at most `healthCheckConcurrency` checks at once", async () => {
    let open = 0;
    let peak = 0;
    const servers: Loopback[] = [];
    for (let i = 0; i < 6; i++) {
      const s = httpServer((_req, res) => {
        open++;
        peak = Math.max(peak, open);
        setTimeout(() => {
          open--;
          res.end("ok");
        }, 60);
      });
      servers.push(await started(s));
    }
    const lb = LoadBalancer.fromBackends(
      servers.map((s) => s.endpoint),
      { healthCheck: new HttpHealthCheck(), healthCheckConcurrency: 2 },
    );
    const t0 = performance.now();
    await lb.runHealthChecks();
    expect(peak).toBe(2);
    expect(performance.now() - t0).toBeGreaterThanOrEqual(170);
    expect(servers.every((s) => s.accepted === 1)).toBe(true);
  });
});
