import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** A certificate and key written by the tests (never committed). */
export interface Issued {
  certFile: string;
  keyFile: string;
  cert: string;
  key: string;
}

export interface IssueOptions {
  /** Subject CN. */
  cn: string;
  /** subjectAltName value, e.g. `DNS:a.test,IP:127.0.0.1`; omitted when undefined. */
  san?: string;
  /** Hex serial number (makes reloads easy to tell apart). */
  serial?: string;
  /** Sign with this CA instead of the test CA; `"self"` makes it self-signed. */
  issuer?: Issued | "self";
  /** Extended key usage (default serverAuth). */
  eku?: string;
}

/** A throwaway PKI in a temp dir: a CA and leaves signed by it, EC P-256 for speed. */
export class TestPki {
  readonly dir = mkdtempSync(join(tmpdir(), "zp-tls-pki-"));
  readonly ca: Issued;
  #count = 0;

  constructor() {
    const keyFile = this.path("ca.key");
    const certFile = this.path("ca.pem");
    openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", keyFile, "-out", certFile, "-days", "2", "-subj", "/CN=zp test CA"]);
    this.ca = read(certFile, keyFile);
  }

  /** A file path inside the PKI dir. */
  path(name: string): string {
    return join(this.dir, name);
  }

  /** Issues a certificate into `<name>.pem` / `<name>.key` (overwriting them). */
  issue(name: string, options: IssueOptions): Issued {
    const n = ++this.#count;
    const keyFile = this.path(`${name}.key`);
    const certFile = this.path(`${name}.pem`);
    const tmpKey = this.path(`.tmp-${n}.key`);
    const tmpCert = this.path(`.tmp-${n}.pem`);
    const csr = this.path(`.tmp-${n}.csr`);
    const ext = this.path(`.tmp-${n}.ext`);
    const lines = [`extendedKeyUsage=${options.eku ?? "serverAuth"}`, "basicConstraints=CA:FALSE"];
    if (options.san !== undefined) lines.push(`subjectAltName=${options.san}`);
    writeFileSync(ext, `${lines.join("\n")}\n`);
    const serial = options.serial ?? (0x1000 + n).toString(16);
    const subj = `/CN=${options.cn}`;
    if (options.issuer === "self") {
      const san = options.san === undefined ? [] : ["-addext", `subjectAltName=${options.san}`];
      openssl(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", tmpKey, "-out", tmpCert, "-days", "2", "-subj", subj, "-set_serial", `0x${serial}`, ...san]);
    } else {
      const issuer = options.issuer ?? this.ca;
      openssl(["req", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", tmpKey, "-out", csr, "-subj", subj]);
      openssl(["x509", "-req", "-in", csr, "-CA", issuer.certFile, "-CAkey", issuer.keyFile, "-set_serial", `0x${serial}`, "-out", tmpCert, "-days", "2", "-extfile", ext]);
    }
    // Write the final files in one go each, as a deployment would.
    const issued = read(tmpCert, tmpKey);
    writeFileSync(certFile, issued.cert);
    writeFileSync(keyFile, issued.key);
    for (const f of [tmpKey, tmpCert, csr, ext]) rmSync(f, { force: true });
    return { ...issued, certFile, keyFile };
  }

  /** Removes the temp dir. */
  dispose(): void {
    rmSync(this.dir, { recursive: true, force: true });
  }
}

function read(certFile: string, keyFile: string): Issued {
  return { certFile, keyFile, cert: readFileSync(certFile, "utf8"), key: readFileSync(keyFile, "utf8") };
}

function openssl(args: string[]): void {
  execFileSync("openssl", args, { stdio: ["ignore", "ignore", "pipe"] });
}
