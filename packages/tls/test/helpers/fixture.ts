import { TestPki, type Issued } from "./pki.js";

/** The certificates most tests share. */
export interface Certs {
  pki: TestPki;
  localhost: Issued;
  a: Issued;
  wild: Issued;
  client: Issued;
  /** A self-signed certificate for `localhost`, trusted by nobody. */
  selfSigned: Issued;
}

export function createCerts(): Certs {
  const pki = new TestPki();
  return {
    pki,
    localhost: pki.issue("localhost", { cn: "localhost", san: "DNS:localhost,IP:127.0.0.1", serial: "01AA" }),
    a: pki.issue("a", { cn: "a.test", san: "DNS:a.test", serial: "02AA" }),
    wild: pki.issue("wild", { cn: "*.wild.test", san: "DNS:*.wild.test", serial: "03AA" }),
    client: pki.issue("client", { cn: "client-1", eku: "clientAuth", serial: "04AA" }),
    selfSigned: pki.issue("self", { cn: "localhost", san: "DNS:localhost,IP:127.0.0.1", issuer: "self", serial: "05AA" }),
  };
}
