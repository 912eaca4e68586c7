import { X509Certificate } from "node:crypto";
import { execFile } from "node:child_process";

/** Runs `openssl s_client -connect 127.0.0.1:<port> <args>` with no input; resolves with stdout + stderr. */
export function sClient(port: number, args: string[], timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve) => {
    const child = execFile(
      "openssl",
      ["s_client", "-connect", `127.0.0.1:${port}`, ...args],
      { timeout: timeoutMs },
      (_err, stdout, stderr) => resolve(`${stdout}\n${stderr}`),
    );
    child.stdin?.end();
  });
}

/** The peer certificate's subject CN s_client printed (`subject=CN = a.test`). */
export function subjectCn(output: string): string | undefined {
  return /^subject=.*CN\s*=\s*([^,\n]+)/m.exec(output)?.[1]?.trim();
}

/** The `New, ...` / `Reused, ...` lines, one per handshake. */
export function handshakeLines(output: string): string[] {
  return output.split("\n").filter((line) => /^(New|Reused), /.test(line));
}

/** The negotiated ALPN protocol, if s_client printed one. */
export function alpnProtocol(output: string): string | undefined {
  return /^ALPN protocol: (\S+)/m.exec(output)?.[1];
}

/** The serial number of the first certificate s_client printed (needs `-showcerts`). */
export function firstCertificateSerial(output: string): string | undefined {
  const pem = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/.exec(output)?.[0];
  return pem === undefined ? undefined : new X509Certificate(pem).serialNumber;
}
