import { TinyUfo } from "@zp/tinyufo";

// A cache of response bodies, limited by total size in bytes (about 1 KiB here),
// expecting around 16 entries.
const cache = new TinyUfo<string, string>(1024, 16);

function fetchBody(url: string): string {
  return `<body of ${url}>`.padEnd(200, ".");
}

function readThrough(url: string): string {
  const hit = cache.get(url);
  if (hit !== undefined) return hit;
  const body = fetchBody(url);
  // put returns what left the cache (the new item too, if it was not admitted)
  for (const gone of cache.put(url, body, body.length)) {
    console.log(`evicted ${gone.key} (${gone.weight} bytes)`);
  }
  return body;
}

// A popular page read again and again, among one-off pages.
for (let i = 0; i < 12; i++) {
  readThrough("/index.html");
  readThrough(`/page/${i}.html`);
}

console.log("cached /index.html:", cache.has("/index.html")); // true
console.log("queue of /index.html:", cache.queueOf("/index.html")); // main
console.log(`${cache.size} items, ${cache.weight} of ${cache.totalWeightLimit} bytes`);
console.log("removed:", cache.remove("/index.html") !== undefined); // true
