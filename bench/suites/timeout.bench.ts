import { TimerWheel, timeout } from "@zp/timeout";
import { compare } from "../lib/compare.js";

// The data path arms a timeout per read/connect and nearly always cancels it because
// the I/O finished first. We compare that churn against plain setTimeout/clearTimeout,
// and `timeout()` on an already-settled promise against the usual Promise.race idiom.
const wheel = new TimerWheel();
const noop = (): void => {};
const BATCH = 1_000;
const ourHandles = new Float64Array(BATCH);
const theirHandles: (NodeJS.Timeout | undefined)[] = new Array(BATCH).fill(undefined);

function raceTimeout<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expiry = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([work, expiry]).finally(() => clearTimeout(timer));
}

const settled = Promise.resolve(1);

await compare("timeout", [
  {
    name: "arm + cancel (1 s)",
    ours: { name: "@zp/timeout arm/cancel", fn: () => wheel.cancel(wheel.arm(1_000, noop)) },
    theirs: [{ name: "setTimeout/clearTimeout", fn: () => clearTimeout(setTimeout(noop, 1_000)) }],
  },
  {
    name: "schedule + cancel (object API)",
    ours: { name: "@zp/timeout schedule", fn: () => wheel.schedule(1_000, noop).cancel() },
    theirs: [{ name: "setTimeout/clearTimeout", fn: () => clearTimeout(setTimeout(noop, 1_000)) }],
  },
  {
    name: `${BATCH} armed, then ${BATCH} cancelled`,
    ours: {
      name: "@zp/timeout arm/cancel",
      fn: () => {
        for (let i = 0; i < BATCH; i++) ourHandles[i] = wheel.arm(1_000 + i, noop);
        for (let i = 0; i < BATCH; i++) wheel.cancel(ourHandles[i]!);
      },
    },
    theirs: [
      {
        name: "setTimeout/clearTimeout",
        fn: () => {
          for (let i = 0; i < BATCH; i++) theirHandles[i] = setTimeout(noop, 1_000 + i);
          for (let i = 0; i < BATCH; i++) clearTimeout(theirHandles[i]);
        },
      },
    ],
  },
  {
    name: "timeout(resolved promise, 1 s)",
    ours: { name: "@zp/timeout timeout()", fn: () => timeout(settled, 1_000) },
    theirs: [{ name: "Promise.race + setTimeout", fn: () => raceTimeout(settled, 1_000) }],
  },
]);
