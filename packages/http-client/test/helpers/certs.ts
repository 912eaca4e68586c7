import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A throwaway CA and a server certificate it signed, made with the openssl CLI. */
export interface TestPki {
  caCert: string;
  cert: string;
  key: string;
  cleanup: () => void;
}

function openssl(dir: string, args: string[]): void {
  execFileSync("openssl", args, { cwd: dir, stdio: "ignore" });
}

/** Makes a CA and a certificate for `names` (DNS) plus 127.0.0.1 (IP), signed by it. */
export function makePki(names: string[]): TestPki {
  const dir = mkdtempSync(join(tmpdir(), "zp-http-client-pki-"));
  const curve = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"];
  openssl(dir, ["req", "-x509", ...curve, "-keyout", "ca.key", "-out", "ca.pem", "-days", "2", "-subj", "/CN=zp test CA"]);
  openssl(dir, ["req", ...curve, "-keyout", "server.key", "-out", "server.csr", "-subj", `/CN=${names[0]}`]);
  const san = [...names.map((n) => `DNS:${n}`), "IP:127.0.0.1"].join(",");
  execFileSync("sh", ["-c", `printf 'subjectAltName=${san}\\n' > ext.cnf`], { cwd: dir });
  openssl(dir, ["x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-out", "server.pem", "-days", "2", "-extfile", "ext.cnf"]);
  return {
    caCert: readFileSync(join(dir, "ca.pem"), "utf8"),
    cert: readFileSync(join(dir, "server.pem"), "utf8"),
    key: readFileSync(join(dir, "server.key"), "utf8"),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
