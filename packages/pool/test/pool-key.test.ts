import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { PoolError, poolKey, type PeerIdentity } from "../src/index.js";

/** Strings that stress the encoding: separators, digits, tags, empty, non-ASCII. */
const text = fc.oneof(
  fc.constantFrom("", ":", "|", "1:", "s1:a", "a", "h2", "localhost", "g0:", "İ"),
  fc.string({ maxLength: 6 }),
  fc.string({ unit: "grapheme", maxLength: 4 }),
);

/** Short strings over the encoding's own tags and separators, so a lossy encoding collides quickly. */
const tagText = fc.string({ unit: fc.constantFrom("s", "n", "c", "a", "k", "l", "x", "g", "1", ":", "|"), maxLength: 3 });

const maybe = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });

/** Identities whose strings are drawn from `text`. */
function identityOf(text: fc.Arbitrary<string>): fc.Arbitrary<PeerIdentity> {
  return fc.record(
    {
      host: text,
      port: fc.integer({ min: 0, max: 65535 }),
      tls: fc.boolean(),
      sni: maybe(text),
      verifyCert: maybe(fc.boolean()),
      verifyHostname: maybe(fc.boolean()),
      alternativeCn: maybe(text),
      clientCert: maybe(text),
      alpn: maybe(fc.oneof(text, fc.array(text, { maxLength: 3 }))),
      ca: maybe(text),
      localAddress: maybe(text),
      proxy: maybe(text),
      group: maybe(text),
    },
    { requiredKeys: ["host", "port", "tls"] },
  );
}

const identity = identityOf(text);

/**
 * The reference meaning of "same identity": what a connection made for the peer depends
 * on, with the documented normalisations (case-insensitive names, verify flags default to
 * true, TLS-only fields ignored without TLS, a single ALPN string is a one-item list).
 */
function canonical(peer: PeerIdentity): string {
  const alpn = peer.alpn === undefined ? [] : typeof peer.alpn === "string" ? (peer.alpn === "" ? [] : [peer.alpn]) : [...peer.alpn];
  const tlsPart = peer.tls
    ? {
        sni: peer.sni?.toLowerCase() ?? null,
        verifyCert: peer.verifyCert !== false,
        verifyHostname: peer.verifyHostname !== false,
        alternativeCn: peer.alternativeCn ?? null,
        clientCert: peer.clientCert ?? null,
        alpn,
        ca: peer.ca ?? null,
      }
    : null;
  return JSON.stringify([
    peer.host.toLowerCase(),
    peer.port,
    peer.tls,
    tlsPart,
    peer.localAddress ?? null,
    peer.proxy ?? null,
    peer.group ?? null,
  ]);
}

describe("poolKey", () => {
  it("builds compact keys", () => {
    expect(poolKey({ host: "127.0.0.1", port: 8080, tls: false })).toBe("P8080|9:127.0.0.1");
    expect(poolKey({ host: "10.0.0.1", port: 443, tls: true, sni: "API.example.com", alpn: ["h2", "http/1.1"] })).toBe(
      "S443|8:10.0.0.1s15:api.example.coma2|2:h28:http/1.1",
    );
  });

  it("separates every field that makes a connection different", () => {
    const base: PeerIdentity = { host: "10.0.0.1", port: 443, tls: true, sni: "a.example" };
    const variants: PeerIdentity[] = [
      base,
      { ...base, host: "10.0.0.2" },
      { ...base, port: 8443 },
      { ...base, tls: false },
      { ...base, sni: "b.example" },
      { ...base, verifyCert: false },
      { ...base, verifyHostname: false },
      { ...base, alternativeCn: "other.example" },
      { ...base, clientCert: "sha256:ab" },
      { ...base, alpn: "h2" },
      { ...base, alpn: ["h2", "http/1.1"] },
      { ...base, alpn: ["http/1.1", "h2"] },
      { ...base, ca: "bundle-1" },
      { ...base, localAddress: "10.0.0.9" },
      { ...base, proxy: "http://10.0.0.5:3128" },
      { ...base, group: "tenant-1" },
    ];
    expect(new Set(variants.map(poolKey)).size).toBe(variants.length);
  });

  it("normalises what does not change the connection", () => {
    const key = poolKey({ host: "Example.COM", port: 443, tls: true, sni: "Example.com", alpn: "h2" });
    const explicit: PeerIdentity = { host: "example.com", port: 443, tls: true, sni: "example.com", alpn: ["h2"], verifyCert: true, verifyHostname: true };
    expect(poolKey(explicit)).toBe(key);
    const plainWithTlsFields: PeerIdentity = { host: "h", port: 80, tls: false, sni: "x", verifyCert: false, alpn: "h2", ca: "c" };
    expect(poolKey(plainWithTlsFields)).toBe(poolKey({ host: "h", port: 80, tls: false }));
    expect(poolKey({ host: "h", port: 443, tls: true, alpn: [] })).toBe(poolKey({ host: "h", port: 443, tls: true }));
  });

  it("rejects a bad port or host", () => {
    for (const port of [-1, 65536, 1.5, Number.NaN]) {
      expect(() => poolKey({ host: "h", port, tls: false })).toThrow(PoolError);
    }
    expect(() => poolKey({ host: 1 as unknown as string, port: 1, tls: false })).toThrow(
      expect.objectContaining({ code: "ZP_POOL_INVALID_PEER" }),
    );
  });

  it("gives equal keys exactly to equivalent identities (property)", () => {
    fc.assert(
      fc.property(identity, identity, (a, b) => {
        expect(poolKey(a) === poolKey(b)).toBe(canonical(a) === canonical(b));
      }),
      { numRuns: 3000 },
    );
  });

  it("never maps two inequivalent identities of a crowd to one key (property)", () => {
    // Same host and port mostly, so that only the encoding of the other fields tells them apart.
    const crowdMember = identityOf(tagText).map((p) => ({ ...p, host: p.host.length % 2 === 0 ? "h" : "H", port: 443 }));
    fc.assert(
      fc.property(fc.array(crowdMember, { minLength: 100, maxLength: 400 }), (crowd) => {
        const byKey = new Map<string, string>();
        const byCanonical = new Map<string, string>();
        for (const peer of crowd) {
          const key = poolKey(peer);
          const meaning = canonical(peer);
          expect(byKey.get(key) ?? meaning).toBe(meaning);
          expect(byCanonical.get(meaning) ?? key).toBe(key);
          byKey.set(key, meaning);
          byCanonical.set(meaning, key);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("is stable and separates near-identical identities (property)", () => {
    // Random pairs are rarely equivalent, so also compare each identity with small edits of itself.
    const edit = fc.constantFrom<(p: PeerIdentity) => PeerIdentity>(
      (p) => ({ ...p }),
      (p) => ({ ...p, host: p.host.toUpperCase() }),
      (p) => ({ ...p, host: `${p.host}:` }),
      (p) => ({ ...p, sni: (p.sni ?? "") + "|" }),
      (p) => ({ ...p, group: p.sni }),
      (p) => ({ ...p, proxy: p.group, group: p.proxy }),
      (p) => ({ ...p, alpn: typeof p.alpn === "string" ? [p.alpn] : p.alpn?.join("") }),
      (p) => ({ ...p, verifyCert: !(p.verifyCert ?? true) }),
      (p) => ({ ...p, tls: !p.tls }),
    );
    fc.assert(
      fc.property(identity, edit, (peer, change) => {
        const other = change(peer);
        expect(poolKey(peer)).toBe(poolKey({ ...peer }));
        expect(poolKey(peer) === poolKey(other)).toBe(canonical(peer) === canonical(other));
      }),
      { numRuns: 3000 },
    );
  });
});
