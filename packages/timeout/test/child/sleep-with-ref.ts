// Top-level awaits that only a ref'd wheel timer keeps alive: without `ref` the process
// would exit early (code 13, unsettled top-level await) and print nothing.
import { TimeoutError, sleep, timeout } from "@zp/timeout";

const start = performance.now();
await sleep(200, { ref: true });
const slept = performance.now() - start;
const err = await timeout(new Promise(() => {}), 50, { ref: true }).catch((e: unknown) => e);
console.log(`slept ${slept >= 200} timed out ${err instanceof TimeoutError}`);
