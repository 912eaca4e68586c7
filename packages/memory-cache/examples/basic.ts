import { LookupTimeoutError, MemoryCache, RTCache } from "@zp/memory-cache";

// --- MemoryCache: TTLs and statuses ---------------------------------------------------
// A cache of up to 1000 entries (weight 1 each). The clock is injectable; here we drive it
// by hand so the output is the same on every run (by default it is a coarse real clock).
let now = 0;
const cache = new MemoryCache<string, string>(1000, { now: () => now });

cache.put("/index.html", "<h1>home</h1>", 60_000); // 60 s TTL
cache.put("/robots.txt", "User-agent: *"); // no TTL: never expires

// A read returns a record the cache reuses: destructure it right away.
let { value, status } = cache.get("/index.html");
console.log(status, value); // hit <h1>home</h1>
console.log(cache.get("/missing").status); // miss

now += 61_000; // one second past the TTL
console.log(cache.get("/index.html").status); // expired
({ value, status } = cache.get("/index.html", 5_000)); // allow serving up to 5 s stale
console.log(status, value, cache.get("/index.html", 5_000).staleMs); // stale <h1>home</h1> 1000
console.log(cache.getStale("/index.html").value); // <h1>home</h1> (however old)
console.log(cache.get("/robots.txt").status); // hit
console.log(`${cache.size} entries, weight ${cache.weight} of ${cache.totalWeightLimit}`); // 2 entries, weight 2 of 1000

// --- RTCache: read-through with coalescing and stale-while-update --------------------
const users = new RTCache<number, { name: string }>(10_000);
let lookups = 0;
async function loadUser(id: number) {
  lookups++;
  await new Promise((resolve) => setTimeout(resolve, 50)); // a slow backend
  return { value: { name: `user-${id}` }, ttlMs: 1_000 };
}

// 100 concurrent requests for one user: one lookup, everyone gets the value.
const results = await Promise.all(Array.from({ length: 100 }, () => users.get(7, loadUser)));
console.log(lookups, results[0]!.status, results[1]!.status, results[99]!.value.name); // 1 miss lockHit user-7
console.log((await users.get(7, loadUser)).status); // hit

// A caller that will not wait long for someone else's lookup.
const first = users.get(8, loadUser);
try {
  await users.get(8, loadUser, { waitTimeoutMs: 10 });
} catch (err) {
  if (err instanceof LookupTimeoutError) console.log(err.code); // ZP_MEMORY_CACHE_LOOKUP_TIMEOUT
}
console.log((await first).value.name); // user-8: the lookup went on for the first caller

// Stale-while-update: once expired, serve the old value at once and refresh in the background.
await new Promise((resolve) => setTimeout(resolve, 1_100));
const stale = await users.get(7, loadUser, { staleWhileUpdateMs: 30_000 });
console.log(stale.status, stale.value.name, users.pendingLookups); // stale user-7 1
await new Promise((resolve) => setTimeout(resolve, 100));
console.log((await users.get(7, loadUser)).status, lookups); // hit 3
