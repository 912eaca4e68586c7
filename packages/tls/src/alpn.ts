import { Buffer } from "node:buffer";
import { TlsConfigError } from "./tls-config-error.js";

/**
 * Checks an ALPN protocol list (`["h2", "http/1.1"]`): non-empty, each name 1 to 255 bytes
 * (the wire format's limit), no duplicates. Throws a `TlsConfigError` naming `option`.
 */
export function checkAlpnList(protocols: readonly string[], option: string): void {
  if (!Array.isArray(protocols) || protocols.length === 0) {
    throw new TlsConfigError(`${option} must be a non-empty array of protocol names, or false`);
  }
  const seen = new Set<string>();
  for (const name of protocols) {
    if (typeof name !== "string" || name.length === 0 || Buffer.byteLength(name) > 255) {
      throw new TlsConfigError(`${option}: ${JSON.stringify(name)} is not a valid ALPN protocol name`);
    }
    if (seen.has(name)) throw new TlsConfigError(`${option}: ${name} is listed twice`);
    seen.add(name);
  }
}
