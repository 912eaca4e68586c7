import { afterEach, describe, expect, it } from "vitest";
import { digest, message, oursClient, oursServer, prng, wsClient, wsServer, type ClientEnd, type ServerEnd } from "./peers.js";

const COUNT = Number(process.env.WS_ECHO_COUNT ?? 1000);
const MAX_SIZE = 1024 * 1024;

interface Sent {
  hash: string;
  length: number;
  binary: boolean;
}

/** Sends COUNT echo messages of random sizes (0..1 MiB, log-uniform), a window at a time. */
async function echoRun(client: ClientEnd, seed: number): Promise<void> {
  const rand = prng(seed);
  const sent: Sent[] = [];
  let received = 0;
  let mismatch: string | undefined;
  let resolveDone!: () => void;
  const done = new Promise<void>((r) => (resolveDone = r));
  let next = 0;
  const window = 16;
  const sendNext = () => {
    while (next < COUNT && next - received < window) {
      const size = next === 0 ? 0 : Math.min(MAX_SIZE, Math.floor(2 ** (rand() * 20)) - 1);
      const binary = rand() < 0.5;
      const data = message(rand, size, binary);
      const fragmented = rand() < 0.25;
      sent.push({ hash: digest(data), length: data.length, binary });
      client.send(data, binary, fragmented);
      next++;
    }
  };
  client.onMessage((data, isBinary) => {
    const expected = sent[received]!;
    if (mismatch === undefined && (digest(data) !== expected.hash || isBinary !== expected.binary)) {
      mismatch = `message ${received}: got ${data.length} bytes (binary ${isBinary}), expected ${expected.length} (binary ${expected.binary})`;
    }
    received++;
    if (received === COUNT) resolveDone();
    else sendNext();
  });
  sendNext();
  await done;
  expect(mismatch).toBeUndefined();
  expect(received).toBe(COUNT);
}

async function bigMessage(client: ClientEnd): Promise<void> {
  const big = Buffer.alloc(16 * 1024 * 1024);
  for (let i = 0; i < big.length; i += 4096) big.writeUInt32LE(i * 2654435761 >>> 0, i);
  const echoed = new Promise<Buffer>((r) => client.onMessage((d) => r(d)));
  client.send(big, true, false);
  const got = await echoed;
  expect(got.length).toBe(big.length);
  expect(got.equals(big)).toBe(true);
}

const combos: Array<[string, (d: boolean) => Promise<ServerEnd>, (port: number, d: boolean) => Promise<ClientEnd>]> = [
  ["ours server ← ws client", oursServer, wsClient],
  ["ws server ← ours client", wsServer, oursClient],
  ["ours server ← ours client", oursServer, oursClient],
];

let server: ServerEnd | undefined;
afterEach(async () => {
  await server?.stop();
  server = undefined;
});

for (const [name, makeServer, makeClient] of combos) {
  for (const deflate of [false, true]) {
    describe(`${name}${deflate ? " with permessage-deflate" : ""}`, () => {
      it(`echoes ${COUNT} messages of random sizes, text and binary, whole and fragmented`, async () => {
        server = await makeServer(deflate);
        const client = await makeClient(server.port, deflate);
        await echoRun(client, deflate ? 7 : 3);
        client.close(1000, "done");
        expect(await client.closed).toEqual([1000, "done"]);
        expect(await server.closedWith).toEqual([1000, "done"]);
      });

      it("echoes one 16 MiB message", async () => {
        server = await makeServer(deflate);
        const client = await makeClient(server.port, deflate);
        await bigMessage(client);
        client.close(1000, "");
        await client.closed;
      });

      it("answers pings from both sides with the same data", async () => {
        server = await makeServer(deflate);
        const client = await makeClient(server.port, deflate);
        const pong = new Promise<Buffer>((r) => client.onPong(r));
        client.ping(Buffer.from("client ping"));
        expect((await pong).toString()).toBe("client ping");
        expect((await server.pingFirst(Buffer.from("server ping"))).toString()).toBe("server ping");
        client.close(1000, "");
        await client.closed;
      });

      it("completes a close handshake started by the server", async () => {
        server = await makeServer(deflate);
        const client = await makeClient(server.port, deflate);
        server.closeFirst(4000, "server says bye ✓");
        expect(await client.closed).toEqual([4000, "server says bye ✓"]);
        expect(await server.closedWith).toEqual([4000, "server says bye ✓"]);
      });
    });
  }
}
