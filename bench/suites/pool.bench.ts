import { once } from "node:events";
import net from "node:net";
import { ConnectionPool, type ConnectionAdapter, type IdleWatcher } from "@zp/pool";
import genericPool from "generic-pool";
import { compare, type Case } from "../lib/compare.js";

// The cost of one request's trip through a connection pool: take an idle connection of a
// key out, put it back. Every contender holds one idle connection per key with a 60 s idle
// timeout and hands them out LIFO; keys are visited round-robin.
//
// - @zp/pool: sync get/put; one timer-wheel arm per put, one cancel per get.
// - naive Map: what hand-written pools do, a Map<string, conn[]> with a setTimeout
//   (and its closure) per idle connection, cleared on checkout.
// - generic-pool: one Pool per key (it is not keyed), fifo: false, idle eviction by its
//   sweeping timer. Its acquire() returns a Promise, so each cycle includes an await:
//   that is the price of its API, not of our harness. To keep the harness's own per-call
//   cost (larger for async functions) out of the comparison, every row runs BATCH cycles
//   per measured call, for every contender.
const BATCH = 100;
const IDLE_MS = 60_000;

/** An in-memory connection: the bookkeeping rows measure the pools, not I/O. */
class FakeConnection {
  open = true;
  watcher: IdleWatcher | undefined = undefined;
}

const fakeAdapter: ConnectionAdapter<FakeConnection> = {
  isReusable: (conn) => conn.open,
  watch(conn, watcher) {
    conn.watcher = watcher;
  },
  unwatch(conn) {
    conn.watcher = undefined;
  },
  close(conn) {
    conn.open = false;
  },
};

interface NaiveIdle<C> {
  conn: C;
  timer: NodeJS.Timeout;
}

/** The usual hand-written pool: arrays per key and a native timer per idle connection. */
class NaivePool<C extends object & { destroy?: () => void }> {
  private readonly idle = new Map<string, NaiveIdle<C>[]>();

  get(key: string): C | undefined {
    const entry = this.idle.get(key)?.pop();
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    return entry.conn;
  }

  put(key: string, conn: C): void {
    let list = this.idle.get(key);
    if (list === undefined) this.idle.set(key, (list = []));
    const entry: NaiveIdle<C> = {
      conn,
      timer: setTimeout(() => {
        list.splice(list.indexOf(entry), 1);
        conn.destroy?.();
      }, IDLE_MS).unref(),
    };
    list.push(entry);
  }

  clear(): void {
    for (const list of this.idle.values()) for (const entry of list) clearTimeout(entry.timer);
    this.idle.clear();
  }
}

/**
 * The hand-written pool that does watch its idle sockets: per put, a closure that drops the
 * socket and four listeners for it; per get, the four listeners removed again.
 */
class NaiveWatchedPool {
  private readonly idle = new Map<string, { socket: net.Socket; timer: NodeJS.Timeout; drop: () => void }[]>();

  get(key: string): net.Socket | undefined {
    const entry = this.idle.get(key)?.pop();
    if (entry === undefined) return undefined;
    clearTimeout(entry.timer);
    const { socket, drop } = entry;
    socket.removeListener("data", drop);
    socket.removeListener("end", drop);
    socket.removeListener("close", drop);
    socket.removeListener("error", drop);
    return socket;
  }

  put(key: string, socket: net.Socket): void {
    let list = this.idle.get(key);
    if (list === undefined) this.idle.set(key, (list = []));
    const drop = (): void => {
      const at = list.findIndex((e) => e.socket === socket);
      if (at >= 0) clearTimeout(list.splice(at, 1)[0]!.timer);
      socket.destroy();
    };
    socket.on("data", drop);
    socket.on("end", drop);
    socket.on("close", drop);
    socket.on("error", drop);
    list.push({ socket, timer: setTimeout(drop, IDLE_MS).unref(), drop });
  }

  clear(): void {
    for (const list of this.idle.values()) for (const entry of list) clearTimeout(entry.timer);
    this.idle.clear();
  }
}

function genericPoolFor<C>(create: () => Promise<C>): genericPool.Pool<C> {
  return genericPool.createPool(
    { create, destroy: async () => {} },
    { max: 1, fifo: false, idleTimeoutMillis: IDLE_MS, evictionRunIntervalMillis: 1_000 },
  );
}

const genericPools: genericPool.Pool<unknown>[] = [];

/** Fills each contender with one idle connection per key and returns the row. */
async function bookkeepingCase(keyCount: number): Promise<Case> {
  const keys = Array.from({ length: keyCount }, (_, i) => `10.0.${i >> 8}.${i & 255}:8080`);

  const ours = new ConnectionPool<FakeConnection>({ adapter: fakeAdapter, maxIdle: keyCount, maxIdlePerKey: 1, idleTimeoutMs: IDLE_MS });
  const naive = new NaivePool<FakeConnection>();
  const theirs = new Map<string, genericPool.Pool<FakeConnection>>();
  for (const key of keys) {
    ours.put(key, new FakeConnection());
    naive.put(key, new FakeConnection());
    const pool = genericPoolFor(async () => new FakeConnection());
    pool.release(await pool.acquire());
    theirs.set(key, pool);
    genericPools.push(pool as genericPool.Pool<unknown>);
  }

  let a = 0;
  let b = 0;
  let c = 0;
  return {
    name: `get/put x${BATCH}, ${keyCount} key${keyCount === 1 ? "" : "s"}`,
    ours: {
      name: "@zp/pool",
      fn: () => {
        for (let n = 0; n < BATCH; n++) {
          const key = keys[a]!;
          if (++a === keyCount) a = 0;
          ours.put(key, ours.get(key)!);
        }
      },
    },
    theirs: [
      {
        name: "naive Map + setTimeout",
        fn: () => {
          for (let n = 0; n < BATCH; n++) {
            const key = keys[b]!;
            if (++b === keyCount) b = 0;
            naive.put(key, naive.get(key)!);
          }
        },
      },
      {
        name: "generic-pool (async)",
        fn: async () => {
          for (let n = 0; n < BATCH; n++) {
            const key = keys[c]!;
            if (++c === keyCount) c = 0;
            const pool = theirs.get(key)!;
            void pool.release(await pool.acquire());
          }
        },
      },
    ],
  };
}

// One row on real loopback sockets: ours also attaches and detaches its liveness
// listener on every cycle, which the naive pool does not do at all; the watched naive
// pool does what a hand-written pool that notices closed idle sockets does.
const SOCKETS = 16;
const server = net.createServer((socket) => socket.on("error", () => {}));
server.listen(0, "127.0.0.1");
await once(server, "listening");
const port = (server.address() as net.AddressInfo).port;

async function connect(): Promise<net.Socket> {
  const socket = net.connect(port, "127.0.0.1");
  await once(socket, "connect");
  return socket;
}

const sockets: net.Socket[] = [];
const socketKeys = Array.from({ length: SOCKETS }, (_, i) => `127.0.0.1:${port}#${i}`);
const ourSockets = new ConnectionPool({ maxIdlePerKey: 1, idleTimeoutMs: IDLE_MS });
const naiveSockets = new NaivePool<net.Socket>();
const watchedSockets = new NaiveWatchedPool();
const genericSockets = new Map<string, genericPool.Pool<net.Socket>>();
for (const key of socketKeys) {
  const [x, y, z, w] = [await connect(), await connect(), await connect(), await connect()];
  sockets.push(x, y, z, w);
  ourSockets.put(key, x);
  naiveSockets.put(key, y);
  watchedSockets.put(key, w);
  const pool = genericPoolFor(async () => z);
  pool.release(await pool.acquire());
  genericSockets.set(key, pool);
  genericPools.push(pool as genericPool.Pool<unknown>);
}

let s1 = 0;
let s2 = 0;
let s3 = 0;
let s4 = 0;
const socketCase: Case = {
  name: `get/put x${BATCH}, ${SOCKETS} real sockets`,
  ours: {
    name: "@zp/pool",
    fn: () => {
      for (let n = 0; n < BATCH; n++) {
        const key = socketKeys[s1]!;
        if (++s1 === SOCKETS) s1 = 0;
        ourSockets.put(key, ourSockets.get(key)!);
      }
    },
  },
  theirs: [
    {
      name: "naive Map + setTimeout",
      fn: () => {
        for (let n = 0; n < BATCH; n++) {
          const key = socketKeys[s2]!;
          if (++s2 === SOCKETS) s2 = 0;
          naiveSockets.put(key, naiveSockets.get(key)!);
        }
      },
    },
    {
      name: "naive + idle listeners",
      fn: () => {
        for (let n = 0; n < BATCH; n++) {
          const key = socketKeys[s4]!;
          if (++s4 === SOCKETS) s4 = 0;
          watchedSockets.put(key, watchedSockets.get(key)!);
        }
      },
    },
    {
      name: "generic-pool (async)",
      fn: async () => {
        for (let n = 0; n < BATCH; n++) {
          const key = socketKeys[s3]!;
          if (++s3 === SOCKETS) s3 = 0;
          const pool = genericSockets.get(key)!;
          void pool.release(await pool.acquire());
        }
      },
    },
  ],
};

await compare("pool", [await bookkeepingCase(1), await bookkeepingCase(100), await bookkeepingCase(10_000), socketCase]);

// Everything was still idle and healthy at the end: no pool may have lost a connection.
if (ourSockets.size !== SOCKETS || ourSockets.stats().evicted["peer-closed"] !== 0) throw new Error("a pooled socket was lost");

ourSockets.close();
naiveSockets.clear();
watchedSockets.clear();
await Promise.all(genericPools.map(async (pool) => {
  await pool.drain();
  await pool.clear();
}));
for (const socket of sockets) socket.destroy();
server.close();
