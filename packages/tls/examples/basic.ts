import { execFileSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createServer, type AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TLSSocket } from "node:tls";
import { connectTls, createTlsServerContext, verifiedPeerCertificate } from "@zp/tls";

// A throwaway self-signed certificate for the demo; point certFile/keyFile at your own files.
const dir = mkdtempSync(join(tmpdir(), "zp-tls-example-"));
const certFile = join(dir, "cert.pem");
const keyFile = join(dir, "key.pem");
execFileSync("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes",
  "-keyout", keyFile, "-out", certFile, "-days", "1", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost"], { stdio: "ignore" });

// Server side: certificates chosen by SNI (one here), reloaded when the files change,
// ALPN h2/http1.1, session tickets with rotating keys, TLS >= 1.2.
const tls = await createTlsServerContext({ certificates: [{ certFile, keyFile }], watch: true });
console.log(tls.certificates[0]!.names); // [ 'localhost' ]

// The proxy accepts raw TCP sockets and runs the handshake itself.
const server = createServer(async (raw) => {
  try {
    const socket = await tls.accept(raw);
    socket.end(`hello ${socket.servername} over ${socket.alpnProtocol}\n`);
  } catch (err) {
    console.log("handshake failed:", (err as { code: string }).code); // the untrusting client hung up
  }
});
await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
const { port } = server.address() as AddressInfo;

// Client side (upstream connections): certificate and hostname verification are on;
// trust the self-signed certificate explicitly. The second connection resumes the session.
const peer = { host: "127.0.0.1", port, sni: "localhost", ca: readFileSync(certFile), alpn: ["http/1.1"] };
for (let i = 0; i < 2; i++) {
  const socket = await connectTls(peer);
  const info = { resumed: socket.isSessionReused(), cert: verifiedPeerCertificate(socket)?.subject };
  console.log((await readText(socket)).trim(), info);
  // hello localhost over http/1.1 { resumed: false, cert: 'CN=localhost' }, then resumed: true
}

// Without the CA the certificate is refused, as a typed error.
const err = await connectTls({ host: "127.0.0.1", port, sni: "localhost", sessionCache: false }).catch((e: { code: string }) => e);
console.log("untrusted:", (err as { code: string }).code); // untrusted: ZP_INVALID_CERT

server.close();
tls.close();
rmSync(dir, { recursive: true, force: true });

function readText(socket: TLSSocket): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = "";
    socket.setEncoding("utf8").on("data", (chunk: string) => (text += chunk)).once("end", () => resolve(text)).once("error", reject);
  });
}
