import { afterEach, describe, expect, it } from "vitest";
import { HttpPeer, type ProxyHttp } from "../src/index.js";
import { closeProxies, startProxy } from "./helpers/proxy.js";
import { RawClient } from "@zp-test/support";
import { closeUpstreams, httpUpstream } from "./helpers/upstreams.js";

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

/** A proxy to one fixed peer. */
function to(peer: HttpPeer): ProxyHttp {
  return { upstreamPeer: () => peer };
}

describe("forwarding", () => {
  it("forwards method, target, headers and body, and the response back", async () => {
    const up = await httpUpstream((req, res) => {
      let body = "";
      req.setEncoding("latin1");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => {
        res.setHeader("X-Seen", JSON.stringify({ method: req.method, url: req.url, host: req.headers.host, custom: req.headers["x-custom"], body }));
        res.end("pong");
      });
    });
    const { url } = await startProxy(to(new HttpPeer(up.endpoint)));
    const res = await fetch(`${url}/path?q=1`, { method: "POST", headers: { "X-Custom": "yes" }, body: "ping" });
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("pong");
    const seen = JSON.parse(res.headers.get("x-seen")!);
    expect(seen).toEqual({ method: "POST", url: "/path?q=1", host: new URL(url).host, custom: "yes", body: "ping" });
  });

  it("reuses one upstream connection for 20 sequential requests", async () => {
    const up = await httpUpstream((req, res) => res.end(`#${up.requests}`));
    const { url } = await startProxy(to(new HttpPeer(up.endpoint)));
    for (let i = 1; i <= 20; i++) {
      const res = await fetch(`${url}/${i}`);
      expect(await res.text()).toBe(`#${i}`);
    }
    expect(up.requests).toBe(20);
    expect(up.connections).toBe(1);
  });

  it("answers pipelined requests in order", async () => {
    const up = await httpUpstream((req, res) => {
      // later requests answer sooner: order must come from the proxy
      const n = Number(req.url!.slice(1));
      setTimeout(() => res.end(`body-${n}`), (5 - n) * 10);
    });
    const { port } = await startProxy(to(new HttpPeer(up.endpoint)));
    const client = await RawClient.connect(port);
    client.write([1, 2, 3, 4, 5].map((n) => `GET /${n} HTTP/1.1\r\nHost: x\r\n\r\n`).join(""));
    const text = await client.until((t) => t.includes("body-5"));
    const order = [...text.matchAll(/body-(\d)/g)].map((m) => m[1]);
    expect(order).toEqual(["1", "2", "3", "4", "5"]);
    client.destroy();
  });

  it("serves pipelined streamed responses over one upstream connection", async () => {
    const up = await httpUpstream((req, res) => {
      res.write(`start-${req.url!.slice(1)};`);
      setTimeout(() => res.end(`end-${req.url!.slice(1)};`), 5);
    });
    const { port } = await startProxy(to(new HttpPeer(up.endpoint)));
    const client = await RawClient.connect(port);
    client.write([1, 2, 3, 4].map((n) => `GET /${n} HTTP/1.1\r\nHost: x\r\n\r\n`).join(""));
    const text = await client.until((t) => t.includes("end-4;") && t.endsWith("0\r\n\r\n"));
    expect([...text.matchAll(/(start|end)-(\d)/g)].map((m) => m[0])).toEqual(["start-1", "end-1", "start-2", "end-2", "start-3", "end-3", "start-4", "end-4"]);
    expect(up.connections).toBe(1);
    client.destroy();
  });
});
