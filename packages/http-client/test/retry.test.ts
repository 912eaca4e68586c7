import { afterEach, describe, expect, it } from "vitest";
import { ErrorType, RetryType, ZpError } from "@zp/error";
import { RequestHeader } from "@zp/http";
import { Connector, HttpClient } from "@zp/http-client";
import { delay, onRequestHeads, rawServer, type RawServer } from "./helpers/servers.js";

let client: HttpClient | undefined;
let connector: Connector | undefined;
let servers: RawServer[] = [];

afterEach(async () => {
  client?.close();
  connector?.close();
  client = connector = undefined;
  for (const s of servers) await s.close();
  servers = [];
});

/** Answers the first request of each connection; resets the connection on the second, before answering. */
async function resettingServer(): Promise<RawServer & { requests: () => number; resets: () => number }> {
  let requests = 0;
  let resets = 0;
  const server = await rawServer((socket) =>
    onRequestHeads(socket, (_head, index) => {
      requests++;
      if (index === 0) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nfirst");
      else {
        resets++;
        socket.resetAndDestroy();
      }
    }),
  );
  servers.push(server);
  return { ...server, requests: () => requests, resets: () => resets };
}

describe("retry of a dead reused connection", () => {
  it("retries an idempotent GET exactly once on a fresh connection", async () => {
    const server = await resettingServer();
    client = new HttpClient();
    expect(await (await client.request(`${server.origin}/1`)).body.text()).toBe("first");
    const res = await client.request(`${server.origin}/2`);
    expect(res.retried).toBe(true);
    expect(res.reused).toBe(false);
    expect(await res.body.text()).toBe("first");
    expect(server.resets()).toBe(1);
    expect(server.requests()).toBe(3);
    expect(server.connections()).toBe(2);
  });

  it("retries a PUT with a Buffer body, and a POST marked idempotent", async () => {
    const server = await resettingServer();
    client = new HttpClient();
    await (await client.request(`${server.origin}/`)).body.text();
    const put = await client.request(`${server.origin}/`, { method: "PUT", body: Buffer.from("data") });
    expect(put.retried).toBe(true);
    await put.body.text();
    const post = await client.request(`${server.origin}/`, { method: "POST", body: "x", idempotent: true });
    expect(post.retried).toBe(true);
    await post.body.text();
  });

  it("does not retry a POST with a body: ConnectionClosed, retry decision ReusedOnly", async () => {
    const server = await resettingServer();
    client = new HttpClient();
    await (await client.request(`${server.origin}/`)).body.text();
    const err = await client.request(`${server.origin}/`, { method: "POST", body: "payload" }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ZpError);
    const z = err as ZpError;
    expect(z.type).toBe(ErrorType.ConnectionClosed);
    expect(z.retry).toBe(RetryType.ReusedOnly);
    expect(z.retryable(true)).toBe(true);
    expect(z.source).toBe("Upstream");
    expect(server.requests()).toBe(2);
    expect(server.connections()).toBe(1);
  });

  it("does not retry a streamed body, even for PUT", async () => {
    const server = await resettingServer();
    client = new HttpClient();
    await (await client.request(`${server.origin}/`)).body.text();
    async function* body(): AsyncGenerator<string> {
      yield "a";
      await delay(20);
      yield "b";
    }
    await expect(client.request(`${server.origin}/`, { method: "PUT", body: body() })).rejects.toMatchObject({ code: "ZP_CONNECTION_CLOSED" });
    expect(server.connections()).toBe(1);
  });

  it("does not retry a failure after response bytes arrived: Decided(false)", async () => {
    const server = await rawServer((socket) =>
      onRequestHeads(socket, (_h, index) => {
        if (index === 0) socket.write("HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok");
        else {
          socket.write("HTTP/1.1 200 OK\r\nContent-Le");
          setTimeout(() => socket.resetAndDestroy(), 10);
        }
      }),
    );
    servers.push(server);
    client = new HttpClient();
    await (await client.request(`${server.origin}/`)).body.text();
    const err = (await client.request(`${server.origin}/`).catch((e: unknown) => e)) as ZpError;
    expect(err.code).toBe("ZP_CONNECTION_CLOSED");
    expect(err.retry).toEqual(RetryType.Decided(false));
    expect(server.connections()).toBe(1);
  });

  it("exposes the decision on the low-level API without retrying", async () => {
    const server = await resettingServer();
    connector = new Connector();
    const peer = { address: "127.0.0.1", port: server.port };
    const first = await connector.connect(peer);
    first.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "x"));
    await first.readResponseHeader();
    for await (const _ of first.body()) void _;
    expect(first.release()).toBe(true);
    const again = await connector.connect(peer);
    expect(again).toBe(first);
    expect(again.reused).toBe(true);
    again.writeRequestHeader(RequestHeader.build("GET", "/").insertHeader("Host", "x"));
    const err = (await again.readResponseHeader().catch((e: unknown) => e)) as ZpError;
    expect(err.is(ErrorType.ConnectionClosed)).toBe(true);
    expect(err.retryable(again.reused)).toBe(true);
    expect(err.retryable(false)).toBe(false);
    expect(again.release()).toBe(false);
    expect(connector.pool.size).toBe(0);
  });
});
