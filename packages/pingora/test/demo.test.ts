import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curl } from "./helpers/curl.js";
import { type ZpProcess, killAll, startZp } from "./helpers/zp-process.js";

let zp: ZpProcess;
let proxy: string;
let admin: string;

beforeAll(async () => {
  zp = startZp(["--demo", "--listen", "127.0.0.1:0", "--admin", "127.0.0.1:0"]);
  proxy = await zp.waitFor(/^zp: listening on (http:\/\/\S+)$/m);
  admin = await zp.waitFor(/^zp: admin on (http:\/\/\S+)/m);
  await zp.waitFor(/^Stop with/m);
});
afterAll(() => killAll());

describe("zp --demo", () => {
  it("prints its upstreams and what to curl", () => {
    expect(zp.stdout()).toMatch(/^zp: upstream demo-1 on http:\/\/127\.0\.0\.1:\d+$/m);
    expect(zp.stdout()).toContain(`curl ${proxy.slice("http://".length)}/json --compressed -i`);
    expect(zp.stdout()).toContain(`curl ${admin.slice("http://".length)}/metrics`);
  });

  it("answers round robin from the three upstreams", async () => {
    const names: string[] = [];
    for (let i = 0; i < 9; i++) {
      const res = await fetch(`${proxy}/hello/${i}`);
      expect(res.status).toBe(200);
      expect(res.headers.get("x-proxy")).toBe("zp");
      const body = await res.text();
      expect(body).toMatch(new RegExp(`^demo-[123]: GET /hello/${i}\\n$`));
      names.push(body.slice(0, 6));
    }
    expect(new Set(names.slice(0, 3))).toEqual(new Set(["demo-1", "demo-2", "demo-3"]));
    for (let i = 3; i < names.length; i++) expect(names[i]).toBe(names[i - 3]);
  });

  it("compresses /json for a client that accepts gzip, with Vary", async () => {
    const res = await curl(["-H", "Accept-Encoding: gzip", `${proxy}/json`]);
    expect(res.status).toBe(200);
    expect(res.headers["content-encoding"]).toBe("gzip");
    expect(res.headers.vary).toMatch(/accept-encoding/i);
    expect(res.headers["content-length"]).toBeUndefined();
    const json = JSON.parse(gunzipSync(Buffer.from(res.body, "latin1")).toString("utf8")) as { items: unknown[]; upstream: string };
    expect(json.items).toHaveLength(40);
    expect(json.upstream).toMatch(/^demo-[123]$/);

    const plain = await curl([`${proxy}/json`]);
    expect(plain.headers["content-encoding"]).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(plain.body).items).toHaveLength(40);
  });

  it("counts requests on the admin listener", async () => {
    await fetch(`${proxy}/count-me`).then((r) => r.text());
    const res = await curl([`${admin}/metrics`]);
    expect(res.status).toBe(200);
    const counts = [...res.body.matchAll(/^zp_requests_total\{method="GET",status="2xx",upstream="127\.0\.0\.1:\d+"\} (\d+)$/gm)].map((m) => Number(m[1]));
    expect(counts).toHaveLength(3);
    expect(counts.reduce((a, b) => a + b, 0)).toBeGreaterThanOrEqual(10);
    expect(res.body).toMatch(/^zp_request_duration_seconds_count\{upstream="127\.0\.0\.1:\d+"\} \d+$/m);
    const health = await curl([`${admin}/health`]);
    expect(health.status).toBe(200);
    expect(health.body).toBe("ok\n");
  });

  it("stops gracefully on SIGTERM", async () => {
    process.kill(zp.proc.pid!, "SIGTERM");
    expect(await zp.exited).toEqual({ code: 0, signal: null });
  });
});
