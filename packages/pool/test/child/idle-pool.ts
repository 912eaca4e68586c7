import { ConnectionPool } from "../../src/index.js";
import { FakeConnection, fakeAdapter } from "../helpers/fake-connection.js";

// Idle connections with a 60 s sweep, a 60 s wheel timer and a 60 s lifetime: none of
// them may keep the process alive.
const pool = new ConnectionPool<FakeConnection>({ adapter: fakeAdapter, idleTimeoutMs: 60_000, maxLifetimeMs: 120_000 });
pool.put("a", new FakeConnection(1));
pool.put("b", new FakeConnection(2), { idleTimeoutMs: 50_000 });
pool.put("c", new FakeConnection(3), { createdAt: performance.now() - 90_000 });
console.log(`idle ${pool.size}`);
