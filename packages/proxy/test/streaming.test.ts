import { Readable } from "node:stream";
import { setFlagsFromString } from "node:v8";
import { runInNewContext } from "node:vm";
import { request } from "undici";
import { afterEach, describe, expect, it } from "vitest";
import { HttpPeer, type ProxyHttp } from "../src/index.js";
import { closeProxies, startProxy } from "./helpers/proxy.js";
import { delay } from "@zp-test/support";
import { closeUpstreams, httpUpstream } from "./helpers/upstreams.js";

setFlagsFromString("--expose-gc");
const gc = runInNewContext("gc") as () => void;

afterEach(async () => {
  await closeProxies();
  await closeUpstreams();
});

const TOTAL = 50 * 1024 * 1024;
const CHUNK = Buffer.alloc(64 * 1024, 0x61); // the same bytes every time: the client allocates nothing

function to(endpoint: string): ProxyHttp {
  const peer = new HttpPeer(endpoint);
  return { upstreamPeer: () => peer };
}

/** Samples live ArrayBuffer memory (after a GC) until stopped; returns the peak growth over the start. */
function memoryWatch(): { stop(): number } {
  const live = (): number => {
    // the second collection waits for the first one's ArrayBuffer sweeping to finish
    gc();
    gc();
    return process.memoryUsage().arrayBuffers;
  };
  const base = live();
  let peak = base;
  const timer = setInterval(() => {
    peak = Math.max(peak, live());
  }, 25);
  return {
    stop() {
      clearInterval(timer);
      return peak - base;
    },
  };
}

describe("50 MB bodies stream with bounded memory", () => {
  it("uploads a 50 MB chunked body while the upstream is still receiving", async () => {
    let received = 0;
    let clientSent = 0;
    let sentWhenUpstreamStarted = -1;
    const up = await httpUpstream((req, res) => {
      let paused = false;
      req.on("data", (c: Buffer) => {
        if (received === 0) sentWhenUpstreamStarted = clientSent;
        received += c.length;
        if (!paused && received > 4 * 1024 * 1024) {
          // a slow upstream for a while: the client must be held back
          paused = true;
          req.pause();
          setTimeout(() => req.resume(), 400);
        }
      });
      req.on("end", () => res.end(String(received)));
    });
    const { url } = await startProxy(to(up.endpoint));
    const watch = memoryWatch();
    async function* body(): AsyncGenerator<Buffer> {
      while (clientSent < TOTAL) {
        clientSent += CHUNK.length;
        yield CHUNK;
      }
    }
    const res = await request(`${url}/upload`, { method: "POST", body: Readable.from(body()) });
    const text = await res.body.text();
    const growth = watch.stop();
    expect(text).toBe(String(TOTAL));
    expect(sentWhenUpstreamStarted).toBeGreaterThan(0);
    expect(sentWhenUpstreamStarted).toBeLessThan(TOTAL / 4); // streamed, not buffered whole
    expect(growth).toBeLessThan(8 * 1024 * 1024); // whole-body buffering shows 17+ MB here
  });

  it("downloads a 50 MB chunked body through a slow client with bounded memory", async () => {
    let upstreamSent = 0;
    const up = await httpUpstream((req, res) => {
      const pump = (): void => {
        while (upstreamSent < TOTAL) {
          upstreamSent += CHUNK.length;
          if (!res.write(CHUNK)) {
            res.once("drain", pump);
            return;
          }
        }
        res.end();
      };
      pump();
    });
    const { url } = await startProxy(to(up.endpoint));
    const watch = memoryWatch();
    const res = await request(`${url}/download`);
    let received = 0;
    let sentWhenClientPaused = -1;
    let sentAfterPause = -1;
    for await (const chunk of res.body) {
      received += (chunk as Buffer).length;
      if (sentWhenClientPaused < 0 && received > 4 * 1024 * 1024) {
        // the client stops reading for a while: the upstream must be held back
        sentWhenClientPaused = upstreamSent;
        await delay(400);
        sentAfterPause = upstreamSent;
      }
    }
    const growth = watch.stop();
    expect(received).toBe(TOTAL);
    expect(sentWhenClientPaused).toBeLessThan(TOTAL);
    expect(sentAfterPause).toBeLessThan(TOTAL); // not everything was pulled in while the client slept
    expect(growth).toBeLessThan(8 * 1024 * 1024); // whole-body buffering shows 17+ MB here
  });
});
