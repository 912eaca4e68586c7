import { Estimator, Inflight, KeyedTokenBucket, Rate, TokenBucket } from "@zp/limits";

// Count events per key in fixed memory (4 rows x 1024 counters = 32 KiB, whatever the keys).
const hits = new Estimator(4, 1024);
hits.incr("10.0.0.1");
console.log(hits.incr("10.0.0.1", 2)); // 3

// Requests per second per client, over 1 s intervals (a fake clock keeps the output stable).
let now = 0;
const rate = new Rate(1000, { now: () => now });
rate.observe("10.0.0.1", 3);
console.log(rate.observe("10.0.0.1", 2)); // 5: events so far in this interval
now = 1000;
console.log(rate.rate("10.0.0.1")); // 5: the previous interval, per second
rate.observe("10.0.0.1", 4);
now = 1500;
console.log(rate.proportionalRate("10.0.0.1")); // 6.5 = 5 * 0.5 + 4: a sliding window

// Requests in progress per upstream; `using` releases the guard at the end of the block.
const inflight = new Inflight();
{
  using guard = inflight.incr("upstream-a")[0];
  console.log(guard.get()); // 1
}
console.log(inflight.get("upstream-a")); // 0

// A per-client limit of 2 requests at once, refilled at 1 per second, answered with 429 + Retry-After.
const perClient = new KeyedTokenBucket({ capacity: 2, refillPerSecond: 1, now: () => now });
for (let i = 0; i < 3; i++) {
  if (perClient.tryTake("10.0.0.1")) console.log("200");
  else console.log("429 retry-after:", Math.ceil(perClient.retryAfterMs("10.0.0.1") / 1000)); // 429 retry-after: 1
}

// One shared bucket, e.g. for all traffic to one origin.
const origin = new TokenBucket({ capacity: 100, refillPerSecond: 50 });
console.log(origin.tryTake(10), Math.floor(origin.tokens)); // true 90
