import { once } from "node:events";
import net from "node:net";
import { ConnectionPool, poolKey } from "@zp/pool";

// An upstream that answers each message it gets.
const accepted: net.Socket[] = [];
const upstream = net.createServer((socket) => {
  accepted.push(socket);
  socket.on("data", (chunk) => socket.write(`ok ${chunk}`));
});
upstream.listen(0, "127.0.0.1");
await once(upstream, "listening");
const { port } = upstream.address() as net.AddressInfo;

// One key per way of connecting: address, port, TLS settings and an optional group.
const key = poolKey({ host: "127.0.0.1", port, tls: false });
const pool = new ConnectionPool({
  maxIdlePerKey: 8,
  idleTimeoutMs: 30_000,
  onEvict: (_socket, _key, reason) => console.log(`closed an idle connection: ${reason}`),
});

async function request(message: string): Promise<string> {
  let socket = pool.get(key);
  const reused = socket !== undefined;
  if (socket === undefined) {
    socket = net.connect(port, "127.0.0.1");
    await once(socket, "connect");
  }
  socket.write(message);
  const [answer] = (await once(socket, "data")) as [Buffer];
  pool.put(key, socket); // back to the pool, watched until the next request
  return `${answer.toString()} (${reused ? "reused" : "new"} connection)`;
}

console.log(await request("first")); // ok first (new connection)
console.log(await request("second")); // ok second (reused connection)
console.log(pool.idleCount(key), pool.stats().hits, pool.stats().misses); // 1 1 1

// The upstream closes its end: the idle connection leaves the pool at once.
for (const socket of accepted) socket.end();
while (pool.size > 0) await new Promise((resolve) => setTimeout(resolve, 5)); // closed an idle connection: peer-closed
console.log(pool.stats().evicted["peer-closed"]); // 1

pool.close();
upstream.close();
