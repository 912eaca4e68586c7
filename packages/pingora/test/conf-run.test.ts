import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { curl } from "./helpers/curl.js";
import { type TestUpstream, startUpstream } from "./helpers/upstreams.js";
import { type ZpProcess, killAll, startZp } from "./helpers/zp-process.js";

const dir = mkdtempSync(join(tmpdir(), "zp-pingora-run-"));
let api: TestUpstream;
let web: TestUpstream;
let zp: ZpProcess;
let proxy: string;
let second: string;
let admin: string;

beforeAll(async () => {
  api = await startUpstream("api-1");
  web = await startUpstream("web-1");
  const file = join(dir, "zp.yaml");
  writeFileSync(
    file,
    `pid_file: ${join(dir, "zp.pid")}
grace_period_seconds: 5
graceful_shutdown_timeout_seconds: 1
proxy:
  listeners: [{ address: 127.0.0.1, port: 0 }, "127.0.0.1:0"]
  upstreams:
    api:
      backends: ["${api.endpoint}"]
      health_check: { type: http, path: /health, interval_ms: 500 }
    web:
      backends: ["${web.endpoint}"]
  routes:
    - host: api.test
      path_prefix: /v1
      strip_prefix: true
      upstream: api
      request_headers:
        set: { X-Env: test }
        add: { X-Tag: zp }
        remove: [X-Secret]
      response_headers:
        set: { X-Served-By: zp }
        remove: [Server]
    - path_prefix: /limited
      upstream: web
      rate_limit: { requests_per_second: 0.5, burst: 3 }
    - upstream: web
  timeouts: { connect: 1s, read: 5s }
  max_retries: 1
  admin: { address: 127.0.0.1, port: 0 }
  access_log: access.log
`,
  );
  zp = startZp(["--conf", file]);
  proxy = await zp.waitFor(/^zp: listening on (http:\/\/\S+)$/m);
  admin = await zp.waitFor(/^zp: admin on (http:\/\/\S+)/m);
  second = [...zp.stdout().matchAll(/^zp: listening on (http:\/\/\S+)$/gm)][1]![1]!;
});

afterAll(async () => {
  killAll();
  await Promise.all([api?.close(), web?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe("zp --conf", () => {
  it("routes by host and path prefix, with header edits both ways", async () => {
    const res = await curl(["-H", "Host: api.test", "-H", "X-Secret: hush", "-H", "X-Tag: client", `${proxy}/v1/users?id=7`]);
    expect(res.status).toBe(200);
    expect(res.headers["x-served-by"]).toBe("zp");
    expect(res.headers.server).toBeUndefined();
    const seen = JSON.parse(res.body) as { name: string; url: string; headers: Record<string, string> };
    expect(seen.name).toBe("api-1");
    expect(seen.url).toBe("/users?id=7");
    expect(seen.headers["x-env"]).toBe("test");
    expect(seen.headers["x-tag"]).toBe("client, zp");
    expect(seen.headers["x-secret"]).toBeUndefined();
    expect(seen.headers.host).toBe("api.test");
    expect(seen.headers["x-forwarded-for"]).toBe("127.0.0.1");

    const other = await curl(["-H", "Host: www.test", `${proxy}/v1/users`]);
    expect(JSON.parse(other.body)).toMatchObject({ name: "web-1", url: "/v1/users" });
    expect(other.headers["x-served-by"]).toBeUndefined();
    expect(other.headers.server).toBe("test-upstream");
  });

  it("serves every listener, and counts on the admin listener", async () => {
    expect(second).not.toBe(proxy);
    const res = await curl(["-H", "Host: api.test", `${second}/v1/from-second`]);
    expect(JSON.parse(res.body)).toMatchObject({ name: "api-1", url: "/from-second" });
    const metrics = await curl([`${admin}/metrics`]);
    expect(metrics.body).toMatch(new RegExp(`^zp_requests_total\\{method="GET",status="2xx",upstream="${api.endpoint}"\\} [2-9]$`, "m"));
    expect((await curl([`${admin}/health`])).status).toBe(200);
  });

  it("answers 429 with Retry-After once the burst is spent", async () => {
    const statuses: number[] = [];
    let limited: Awaited<ReturnType<typeof curl>> | undefined;
    for (let i = 0; i < 5; i++) {
      const res = await curl([`${proxy}/limited/${i}`]);
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
    }
    expect(statuses).toEqual([200, 200, 200, 429, 429]);
    expect(Number(limited!.headers["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(limited!.body).toBe("Too Many Requests\n");
    // Other routes are not limited.
    expect((await curl([`${proxy}/free`])).status).toBe(200);
  });

  it("drains on SIGTERM: the request in flight completes, then exit 0", async () => {
    const slow = curl([`${proxy}/slow?delay=400`]);
    await new Promise((resolve) => setTimeout(resolve, 100));
    process.kill(zp.proc.pid!, "SIGTERM");
    const res = await slow;
    expect(res.status).toBe(200);
    expect(JSON.parse(res.body).url).toBe("/slow?delay=400");
    expect(await zp.exited).toEqual({ code: 0, signal: null });
    expect(existsSync(join(dir, "zp.pid"))).toBe(false);
    const lines = readFileSync(join(dir, "access.log"), "utf8").trim().split("\n").map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(lines.find((l) => l.path === "/v1/users?id=7")).toMatchObject({ method: "GET", status: 200, upstream: api.endpoint, upstreamStatus: 200 });
    expect(lines.filter((l) => l.status === 429)).toHaveLength(2);
  });
});
