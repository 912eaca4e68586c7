import { Session } from "node:inspector/promises";
import { writeFileSync } from "node:fs";
const s = new Session(); s.connect();
await import("./suites/proxy/zp-proxy-server.ts");
setTimeout(async () => {
  await s.post("HeapProfiler.startSampling", { samplingInterval: 512, includeObjectsCollectedByMajorGC: true, includeObjectsCollectedByMinorGC: true } as never);
  setTimeout(async () => {
    const { profile } = await s.post("HeapProfiler.stopSampling");
    writeFileSync("/tmp/alloc.json", JSON.stringify(profile));
    console.log("written");
  }, 3000);
}, 3000);
