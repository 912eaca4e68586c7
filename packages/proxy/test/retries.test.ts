import type { Socket } from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { HttpPeer, LoadBalancedProxy, type ProxyHttp } from "../src/index.js";
import { closeProxies, startProxy } from "./helpers/proxy.js";
import { closeUpstreams, closedPort, httpUpstream, rawUpstream } from "./helpers/upstreams.js";

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

/**
 * A raw upstream that answers each request with the length of its body, keeping the
 * connection open, except that on every connection's second request it closes the
 * connection as soon as bytes arrive: a pooled connection that turns out dead.
 */
function staleAfterFirst(): Promise<Awaited<ReturnType<typeof rawUpstream>> & { bodies: number[] }> {
  const bodies: number[] = [];
  return rawUpstream((socket: Socket) => {
    let served = 0;
    let buffered = Buffer.alloc(0);
    socket.on("data", (chunk: Buffer) => {
      if (served === 1) {
        socket.resetAndDestroy();
        return;
      }
      buffered = Buffer.concat([buffered, chunk]);
      const end = buffered.indexOf("\r\n\r\n");
      if (end < 0) return;
      const head = buffered.subarray(0, end).toString("latin1");
      const length = Number(/content-length: (\d+)/i.exec(head)?.[1] ?? 0);
      if (buffered.length < end + 4 + length) return;
      bodies.push(length);
      buffered = buffered.subarray(end + 4 + length);
      served++;
      const text = `got ${length}`;
      socket.write(`HTTP/1.1 200 OK\r\nContent-Length: ${text.length}\r\n\r\n${text}`);
    });
  }).then((u) => Object.assign(u, { bodies }));
}

describe("retries", () => {
  it("lands every request on the healthy backend and ejects the refusing one", async () => {
    const good = await httpUpstream((req, res) => res.end("good"));
    const badPort = await closedPort();
    const proxy = new LoadBalancedProxy({ upstreams: [good.endpoint, `127.0.0.1:${badPort}`] });
    const { url, logger } = await startProxy(proxy);
    for (let i = 0; i < 20; i++) {
      const res = await fetch(url);
      expect(res.status).toBe(200);
      expect(await res.text()).toBe("good");
    }
    const bad = proxy.lb.backends.list.find((b) => b.port === badPort)!;
    expect(proxy.lb.health(bad)?.ejected).toBe(true);
    // five failed connects (the passive threshold), each retried once, then no more tries
    expect(logger.warnings).toHaveLength(5);
    expect(logger.errors).toHaveLength(0);
  });

  it("retries a request whose pooled connection turned out dead, resending its body", async () => {
    const up = await staleAfterFirst();
    const peer = new HttpPeer(up.endpoint);
    const { url } = await startProxy({ upstreamPeer: () => peer });
    expect(await (await fetch(url)).text()).toBe("got 0");
    const res = await fetch(url, { method: "PUT", body: "x".repeat(10_000) });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("got 10000");
    expect(up.connections).toBe(2);
  });

  it("does not retry a body larger than the retry buffer once it streamed", async () => {
    const up = await staleAfterFirst();
    const peer = new HttpPeer(up.endpoint);
    const { url, logger } = await startProxy({ upstreamPeer: () => peer });
    expect(await (await fetch(url)).text()).toBe("got 0");
    const res = await fetch(url, { method: "PUT", body: "y".repeat(1024 * 1024) });
    expect(res.status).toBe(502);
    expect(logger.warnings).toHaveLength(0);
  });

  it("never retries a POST once bytes went upstream", async () => {
    const up = await staleAfterFirst();
    const peer = new HttpPeer(up.endpoint);
    const { url, logger } = await startProxy({ upstreamPeer: () => peer });
    expect(await (await fetch(url)).text()).toBe("got 0");
    const res = await fetch(url, { method: "POST", body: "once" });
    expect(res.status).toBe(502);
    expect(up.bodies).toEqual([0]);
    expect(up.connections).toBe(1);
    expect(logger.errors[0]).toContain("ConnectionClosed");
  });

  it("never retries a POST even when a hook marks the error retryable, but retries a GET", async () => {
    const dying = await rawUpstream((socket) => socket.once("data", () => socket.resetAndDestroy()));
    const good = await httpUpstream((req, res) => res.end(`good ${req.method}`));
    let next = 0;
    const peers = [new HttpPeer(dying.endpoint), new HttpPeer(good.endpoint)];
    const app: ProxyHttp = {
      upstreamPeer: () => peers[next++ % 2]!,
      errorWhileProxy: (peer, session, error) => error.withRetry(true),
    };
    const { url } = await startProxy(app);
    const get = await fetch(url);
    expect(await get.text()).toBe("good GET");
    next = 0;
    const post = await fetch(url, { method: "POST", body: "x" });
    expect(post.status).toBe(502);
    expect(good.requests).toBe(1);
  });

  it("lets failToConnect decide: an error it marks final is not retried", async () => {
    const peer = new HttpPeer(`127.0.0.1:${await closedPort()}`);
    let peers = 0;
    const app: ProxyHttp = {
      upstreamPeer: () => (peers++, peer),
      failToConnect: (session, p, ctx, error) => error.withRetry(false),
    };
    const { url } = await startProxy(app, { maxRetries: 3 });
    expect((await fetch(url)).status).toBe(502);
    expect(peers).toBe(1);
  });

  it("makes at most 1 + maxRetries attempts", async () => {
    const peer = new HttpPeer(`127.0.0.1:${await closedPort()}`);
    let peers = 0;
    const { url, logger } = await startProxy({ upstreamPeer: () => (peers++, peer) }, { maxRetries: 3 });
    expect((await fetch(url)).status).toBe(502);
    expect(peers).toBe(4);
    expect(logger.errors[0]).toContain("tries: 4");
  });
});
