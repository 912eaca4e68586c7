// Arms 60 s timers every way the package allows, then lets the script end.
// The process must exit at once: no wheel timer may keep it alive, including one
// that was asked to keep it alive and then cancelled.
import { TimerWheel, defaultWheel, sleep, timeout } from "@zp/timeout";

const wheel = new TimerWheel();
wheel.arm(60_000, () => console.log("fired"));
wheel.schedule(2 ** 31 + 60_000, () => console.log("fired"));
void sleep(60_000).then(() => console.log("fired"));
timeout(new Promise(() => {}), 60_000).catch(() => console.log("fired"));
const held = wheel.arm(60_000, () => console.log("fired"));
wheel.keepAlive(held);
wheel.cancel(held);
console.log(`armed ${wheel.activeTimers + defaultWheel.activeTimers}`);
