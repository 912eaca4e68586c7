import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway CA and a certificate it signed for `localhost` and 127.0.0.1. */
export interface TestPki {
  caCert: string;
  cert: string;
  key: string;
}

let made: TestPki | undefined;

/** Makes (once per test file) a CA and a server certificate with the openssl CLI. */
export function testPki(): TestPki {
  if (made !== undefined) return made;
  const dir = mkdtempSync(join(tmpdir(), "zp-proxy-pki-"));
  const run = (args: string[]): void => void execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
  const curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  try {
    run(["req", "-x509", ...curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=zp proxy test CA"]);
    run(["req", ...curve, "-keyout", "server.key", "-out", "server.csr", "-subj", "/CN=localhost"]);
    execFileSync("sh", ["-c", "printf 'subjectAltName=DNS:localhost,IP:127.0.0.1\\n' > ext.cnf"], { cwd: dir });
    run(["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"]);
    made = {
      caCert: readFileSync(join(dir, "ca.pem"), "utf8"),
      cert: readFileSync(join(dir, "server.pem"), "utf8"),
      key: readFileSync(join(dir, "server.key"), "utf8"),
    };
    return made;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
