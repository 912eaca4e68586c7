import { Lru, ShardedLru } from "@zp/lru";

// A response cache bounded by bytes (limit) and by entries (watermark).
const cache = new Lru<string, Uint8Array>({
  limit: 1024,
  watermark: 100,
  onEvict: (key, _body, weight) => console.log(`evicted ${key} (${weight} bytes)`),
});

cache.set("/a.css", new Uint8Array(400), 400);
cache.set("/b.js", new Uint8Array(400), 400);
cache.get("/a.css"); // now the most recent
cache.set("/c.png", new Uint8Array(500), 500); // evicted /b.js (400 bytes)
console.log([...cache.keys()], cache.weight, cache.len); // [ '/c.png', '/a.css' ] 900 2

// Low level, as pingora-lru: admit never evicts, the caller decides when to.
const lru = new Lru<number, string>({ limit: 3 });
for (let id = 1; id <= 5; id++) lru.admit(id, `conn-${id}`);
lru.insertTail(0, "spare"); // first in line for eviction
lru.promoteTopN(4, 2); // already within the 2 most recent: nothing to do
console.log(lru.evictToLimit().map((e) => e.key)); // [ 0, 1, 2 ]
console.log(lru.remove(3)); // { key: 3, value: 'conn-3', weight: 1 }

// Sharded: each of the 8 shards holds an eighth of the limit and evicts on its own.
const sharded = new ShardedLru<string, number>({ limit: 800, shards: 8 });
for (let i = 0; i < 10_000; i++) sharded.set(`key-${i}`, i);
console.log(sharded.len, sharded.peek("key-9999")); // 800 9999
