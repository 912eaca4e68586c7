import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { curl } from "./helpers/curl.js";
import { type TestUpstream, startUpstream } from "./helpers/upstreams.js";
import { killAll, startZp } from "./helpers/zp-process.js";

const dir = mkdtempSync(join(tmpdir(), "zp-pingora-rp-"));
const upstreams: TestUpstream[] = [];
afterAll(async () => {
  killAll();
  await Promise.all(upstreams.map((u) => u.close()));
  rmSync(dir, { recursive: true, force: true });
});

async function upstream(name: string): Promise<TestUpstream> {
  const u = await startUpstream(name);
  upstreams.push(u);
  return u;
}

describe("zp reverse-proxy", () => {
  it("keeps answering when a backend dies", async () => {
    const a = await upstream("a");
    const b = await upstream("b");
    const zp = startZp(["reverse-proxy", "--from", "127.0.0.1:0", "--to", a.endpoint, "--to", b.endpoint, "--admin", "127.0.0.1:0"]);
    const proxy = await zp.waitFor(/^zp: listening on (http:\/\/\S+)$/m);
    expect(await zp.waitFor(/^zp: proxying to (.*)$/m)).toBe(`${a.endpoint}, ${b.endpoint} (round_robin)`);

    const seen = new Set<string>();
    for (let i = 0; i < 4; i++) {
      const res = await curl([`${proxy}/before/${i}`]);
      expect(res.status).toBe(200);
      seen.add(res.headers["x-upstream"]!);
    }
    expect(seen).toEqual(new Set(["a", "b"]));

    await b.close();
    for (let i = 0; i < 12; i++) {
      const res = await curl([`${proxy}/after/${i}`]);
      expect(res.status, res.body).toBe(200);
      expect(res.headers["x-upstream"]).toBe("a");
      expect(JSON.parse(res.body).url).toBe(`/after/${i}`);
    }

    const admin = await zp.waitFor(/^zp: admin on (http:\/\/\S+)/m);
    const metrics = await curl([`${admin}/metrics`]);
    expect(metrics.body).toMatch(new RegExp(`^zp_requests_total\\{method="GET",status="2xx",upstream="${a.endpoint}"\\} \\d+$`, "m"));

    process.kill(zp.proc.pid!, "SIGTERM");
    expect((await zp.exited).code).toBe(0);
  });

  it("serves HTTPS on --from with a certificate", async () => {
    const cert = join(dir, "cert.pem");
    const key = join(dir, "key.pem");
    execFileSync(
      "openssl",
      ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"],
      { stdio: "ignore" },
    );
    const c = await upstream("c");
    const zp = startZp(["reverse-proxy", "--from", "127.0.0.1:0", "--to", c.endpoint, "--tls-cert", cert, "--tls-key", key]);
    const url = await zp.waitFor(/^zp: listening on (https:\/\/\S+)$/m);
    const port = new URL(url).port;

    for (let i = 0; i < 2; i++) {
      const res = await curl(["--cacert", cert, "--resolve", `localhost:${port}:127.0.0.1`, `https://localhost:${port}/secure?i=${i}`]);
      expect(res.status).toBe(200);
      const seen = JSON.parse(res.body) as { name: string; url: string; headers: Record<string, string> };
      expect(seen).toMatchObject({ name: "c", url: `/secure?i=${i}` });
      expect(seen.headers["x-forwarded-proto"]).toBe("https");
    }
    await expect(curl([`https://localhost:${port}/`, "--resolve", `localhost:${port}:127.0.0.1`])).rejects.toThrow(/certificate/i);

    process.kill(zp.proc.pid!, "SIGTERM");
    expect((await zp.exited).code).toBe(0);
  });

  it("names the option at fault", async () => {
    const zp = startZp(["reverse-proxy", "--from", "127.0.0.1:0", "--to", "127.0.0.1:1", "--tls-cert", join(dir, "none.pem"), "--tls-key", join(dir, "none.pem")]);
    expect((await zp.exited).code).toBe(2);
    expect(zp.stderr()).toContain(`zp: --tls-cert: cannot read "${join(dir, "none.pem")}" (ENOENT)`);
  });
});
