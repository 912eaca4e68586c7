import { afterEach, describe, expect, it } from "vitest";
import { HttpPeer, type ProxyHttp } from "../src/index.js";
import { curl, exchange, RawClient } from "@zp-test/support";
import { closeProxies, startProxy } from "./helpers/proxy.js";
import { closeUpstreams, httpUpstream, rawUpstream } from "./helpers/upstreams.js";

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

function to(endpoint: string): ProxyHttp {
  const peer = new HttpPeer(endpoint);
  return { upstreamPeer: () => peer };
}

/** Splits a raw response into its head and body. */
function parts(text: string): { head: string; body: string } {
  const at = text.indexOf("\r\n\r\n");
  return { head: text.slice(0, at), body: text.slice(at + 4) };
}

describe("response framing", () => {
  it("keeps Content-Length, for HTTP/1.1 and HTTP/1.0 clients", async () => {
    const up = await httpUpstream((req, res) => {
      res.setHeader("Content-Length", "5");
      res.end("fixed");
    });
    const { port } = await startProxy(to(up.endpoint));
    const v11 = parts(await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    expect(v11.head).toContain("Content-Length: 5");
    expect(v11.head).not.toContain("Transfer-Encoding");
    expect(v11.body).toBe("fixed");
    const v10 = parts(await exchange(port, "GET / HTTP/1.0\r\n\r\n"));
    expect(v10.head).toMatch(/^HTTP\/1\.1 200 OK/);
    expect(v10.head).toContain("Content-Length: 5");
    expect(v10.body).toBe("fixed");
  });

  it("forwards the upstream's reason phrase as it is, registered or not", async () => {
    const lines = ["HTTP/1.1 200 OK", "HTTP/1.1 200 Fine Thanks", "HTTP/1.1 404 not found", "HTTP/1.1 299 ", "HTTP/1.1 503 \xc7a va"];
    let next = 0;
    const up = await rawUpstream((socket) => {
      socket.on("data", () => socket.write(Buffer.from(`${lines[next++]}\r\nContent-Length: 2\r\n\r\nok`, "latin1")));
    });
    const { port } = await startProxy(to(up.endpoint));
    for (const line of lines) {
      const got = Buffer.from(await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"), "latin1");
      expect(got.toString("latin1").split("\r\n")[0]).toBe(line);
    }
  });

  it("keeps a chunked upstream body chunked for HTTP/1.1 and delimits it by close for HTTP/1.0", async () => {
    const up = await httpUpstream((req, res) => {
      res.write("one,");
      setTimeout(() => res.end("two"), 5);
    });
    const { port } = await startProxy(to(up.endpoint));
    const v11 = parts(await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    expect(v11.head).toContain("Transfer-Encoding: chunked");
    expect(v11.body).toBe("4\r\none,\r\n3\r\ntwo\r\n0\r\n\r\n");
    const v10 = parts(await exchange(port, "GET / HTTP/1.0\r\n\r\n"));
    expect(v10.head).not.toContain("Transfer-Encoding");
    expect(v10.head).toContain("Connection: close");
    expect(v10.body).toBe("one,two");
  });

  it("turns a close-delimited upstream body into chunks, so the client connection stays open", async () => {
    const up = await rawUpstream((socket) => {
      socket.once("data", () => socket.end("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\n\r\nuntil the end"));
    });
    const { port } = await startProxy(to(up.endpoint));
    const client = await RawClient.connect(port);
    client.write("GET /a HTTP/1.1\r\nHost: x\r\n\r\n");
    await client.until((t) => t.endsWith("0\r\n\r\n"));
    expect(client.text).toContain("Transfer-Encoding: chunked");
    expect(client.text).toContain("d\r\nuntil the end\r\n0\r\n\r\n");
    client.write("GET /b HTTP/1.1\r\nHost: x\r\n\r\n");
    await client.until((t) => t.split("until the end").length === 3);
    expect(up.connections).toBe(2); // a close-delimited upstream connection is never reused
    client.destroy();
  });

  it("forwards a chunked request body chunked and a Content-Length body with its length", async () => {
    const seen: string[] = [];
    const up = await httpUpstream((req, res) => {
      let body = "";
      req.setEncoding("latin1");
      req.on("data", (c: string) => (body += c));
      req.on("end", () => {
        seen.push(`${req.headers["transfer-encoding"] ?? "-"} ${req.headers["content-length"] ?? "-"} ${body}`);
        res.end("ok");
      });
    });
    const { port } = await startProxy(to(up.endpoint));
    await exchange(port, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n");
    await exchange(port, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nContent-Length: 5\r\n\r\nfghij");
    await exchange(port, "POST / HTTP/1.0\r\nContent-Length: 2\r\n\r\nkl");
    expect(seen).toEqual(["chunked - abcde", "- 5 fghij", "- 2 kl"]);
  });

  it("sends no body for HEAD, 204 and 304, and keeps the connection usable", async () => {
    const up = await httpUpstream((req, res) => {
      if (req.url === "/204") res.writeHead(204).end();
      else if (req.url === "/304") res.writeHead(304, { ETag: '"v1"' }).end();
      else {
        res.setHeader("Content-Length", "11");
        res.end(req.method === "HEAD" ? undefined : "hello world");
      }
    });
    const { port } = await startProxy(to(up.endpoint));
    const client = await RawClient.connect(port);
    client.write("HEAD / HTTP/1.1\r\nHost: x\r\n\r\nGET /204 HTTP/1.1\r\nHost: x\r\n\r\nGET /304 HTTP/1.1\r\nHost: x\r\n\r\nGET / HTTP/1.1\r\nHost: x\r\n\r\n");
    const text = await client.until((t) => t.endsWith("hello world"));
    const heads = text.split("HTTP/1.1 ").slice(1);
    expect(heads.map((h) => h.slice(0, 3))).toEqual(["200", "204", "304", "200"]);
    expect(heads[0]).toContain("Content-Length: 11");
    expect(heads[0]!.endsWith("\r\n\r\n")).toBe(true); // no body after the HEAD answer
    expect(heads[1]!.endsWith("\r\n\r\n")).toBe(true);
    expect(heads[2]).toContain('ETag: "v1"');
    expect(heads[2]!.endsWith("\r\n\r\n")).toBe(true);
    expect(up.connections).toBe(1);
    client.destroy();
  });

  it("forwards trailers to clients that accept them (TE: trailers) and asks the upstream for them", async () => {
    const teSeen: (string | undefined)[] = [];
    const up = await httpUpstream((req, res) => {
      teSeen.push(req.headers.te as string | undefined);
      res.writeHead(200, { Trailer: "X-Checksum" });
      res.write("payload");
      res.addTrailers({ "X-Checksum": "abc123" });
      res.end();
    });
    const { port } = await startProxy(to(up.endpoint));
    const withTe = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nTE: trailers\r\nConnection: close, TE\r\n\r\n");
    expect(withTe).toContain("Trailer: X-Checksum");
    expect(withTe.endsWith("7\r\npayload\r\n0\r\nX-Checksum: abc123\r\n\r\n")).toBe(true);
    const without = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(without).not.toContain("X-Checksum");
    expect(without.endsWith("7\r\npayload\r\n0\r\n\r\n")).toBe(true);
    expect(teSeen).toEqual(["trailers", undefined]);
  });

  it("forwards request trailers on a chunked body", async () => {
    let trailers: Record<string, string | undefined> = {};
    const up = await httpUpstream((req, res) => {
      req.resume();
      req.on("end", () => {
        trailers = req.trailers;
        res.end("ok");
      });
    });
    const { port } = await startProxy(to(up.endpoint));
    await exchange(port, "POST / HTTP/1.1\r\nHost: x\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n1\r\na\r\n0\r\nX-Digest: d1\r\n\r\n");
    expect(trailers["x-digest"]).toBe("d1");
  });

  it("forwards 103 Early Hints before the final response", async () => {
    const up = await httpUpstream((req, res) => {
      res.writeEarlyHints({ link: "</style.css>; rel=preload" });
      setTimeout(() => res.end("page"), 10);
    });
    const { port } = await startProxy(to(up.endpoint));
    const text = await exchange(port, "GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    expect(text).toMatch(/^HTTP\/1\.1 103 Early Hints\r\n[Ll]ink: <\/style\.css>; rel=preload\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    expect(text.endsWith("page\r\n0\r\n\r\n") || text.endsWith("page")).toBe(true);
  });
});

describe("100-continue", () => {
  it("tells curl to continue when the upstream does, and streams the body", async () => {
    let received = 0;
    const up = await httpUpstream((req, res) => {
      req.on("data", (c: Buffer) => (received += c.length));
      req.on("end", () => res.end(`got ${received}`));
    });
    const { url } = await startProxy(to(up.endpoint));
    const body = Buffer.alloc(300_000, 0x61);
    const started = Date.now();
    const r = await curl(["-v", "-H", "Expect: 100-continue", "--data-binary", "@-", `${url}/upload`], body);
    expect(r.stdout).toBe("got 300000");
    expect(r.stderr).toContain("< HTTP/1.1 100 Continue");
    expect(Date.now() - started).toBeLessThan(900); // curl waits 1 s when nobody says continue
  });

  it("answers the upstream's refusal without sending the body", async () => {
    let received = 0;
    const up = await httpUpstream((req, res) => {
      req.on("data", (c: Buffer) => (received += c.length));
      req.on("end", () => res.end("ok"));
    });
    up.server.on("checkContinue", (req, res) => {
      res.writeHead(413, { "Content-Type": "text/plain" });
      res.end("too big for me");
    });
    const { url } = await startProxy(to(up.endpoint));
    const r = await curl(["-v", "-H", "Expect: 100-continue", "--data-binary", "@-", `${url}/upload`], Buffer.alloc(200_000, 0x62));
    expect(r.stderr).toContain("< HTTP/1.1 413");
    expect(r.stderr).not.toContain("100 Continue");
    expect(r.stdout).toBe("too big for me");
    expect(received).toBe(0);
  });
});

describe("100-continue with a silent upstream", () => {
  it("tells the client to continue itself when the upstream says nothing in time", async () => {
    const up = await rawUpstream((socket) => {
      let got = "";
      socket.on("data", (c: Buffer) => {
        got += c.toString("latin1");
        if (got.endsWith("hello")) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 8\r\n\r\nreceived");
      });
    });
    const { port } = await startProxy(to(up.endpoint), { continueTimeoutMs: 150 });
    const client = await RawClient.connect(port);
    client.write("POST / HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
    await client.until((t) => t.includes("100 Continue"));
    client.write("hello");
    const text = await client.until((t) => t.endsWith("received"));
    expect(text).toMatch(/^HTTP\/1\.1 100 Continue\r\n\r\nHTTP\/1\.1 200 OK\r\n/);
    client.destroy();
  });
});

describe("hop-by-hop fields", () => {
  it("removes them in both directions, with the fields Connection names", async () => {
    let seen: Record<string, string | string[] | undefined> = {};
    const up = await httpUpstream((req, res) => {
      seen = req.headers;
      res.writeHead(200, {
        Connection: "x-up-secret",
        "X-Up-Secret": "u",
        "Keep-Alive": "timeout=5",
        "Proxy-Authenticate": "Basic",
        "X-Kept": "yes",
        "Content-Length": "2",
      });
      res.end("ok");
    });
    const { port } = await startProxy(to(up.endpoint));
    const text = await exchange(
      port,
      "GET / HTTP/1.1\r\nHost: x\r\nConnection: x-secret, close\r\nX-Secret: s\r\nKeep-Alive: 5\r\nProxy-Authorization: Basic eA==\r\nProxy-Connection: keep-alive\r\nTE: gzip\r\nUpgrade: h2c\r\nX-End-To-End: e\r\n\r\n",
    );
    for (const name of ["x-secret", "keep-alive", "proxy-authorization", "proxy-connection", "te", "upgrade"]) expect(seen[name], name).toBeUndefined();
    expect(seen.connection ?? "").not.toContain("x-secret");
    expect(seen["x-end-to-end"]).toBe("e");
    const head = parts(text).head;
    expect(head).toContain("X-Kept: yes");
    for (const name of ["X-Up-Secret", "Keep-Alive", "Proxy-Authenticate", "x-up-secret"]) expect(head).not.toContain(name);
  });
});
