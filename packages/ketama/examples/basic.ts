import { Continuum, parseBuckets } from "@zp/ketama";

// Three upstreams, the last one twice as heavy: it gets about half of the keys.
const ring = new Continuum([
  ...parseBuckets(["10.0.0.1:443", "10.0.0.2:443"]),
  ...parseBuckets(["[2001:db8::3]:443"], 2),
]);

for (const uri of ["/index.html", "/api/users/42", "/static/app.js"]) {
  const server = ring.node(uri);
  console.log(`${uri} -> ${server?.address} port ${server?.port}`);
}

// Failover: walk the ring from the key's point until a server other than the first shows up.
const failover = ring.nodeIter("/api/users/42");
const primary = failover.nextNode();
let backup = failover.nextNode();
while (backup === primary) backup = failover.nextNode();
console.log(`primary ${primary?.address}, backup ${backup?.address}`);
