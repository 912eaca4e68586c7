import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { CertificateStore, isIpLiteral, normalizeHostname } from "../src/index.js";

describe("CertificateStore", () => {
  const store = new CertificateStore("default");
  store.add("a.test", "a");
  store.add("*.wild.test", "wild");
  store.add("exact.wild.test", "exact-under-wild");

  it("prefers exact names, then one-label wildcards, then the default", () => {
    expect(store.lookup("a.test")).toBe("a");
    expect(store.lookup("x.wild.test")).toBe("wild");
    expect(store.lookup("exact.wild.test")).toBe("exact-under-wild");
    expect(store.lookup("x.y.wild.test")).toBe("default");
    expect(store.lookup("wild.test")).toBe("default");
    expect(store.lookup(undefined)).toBe("default");
    expect(store.lookup("")).toBe("default");
    expect(store.find("nothing.test")).toBeUndefined();
  });

  it("normalises case and a trailing dot on both sides", () => {
    const s = new CertificateStore("d");
    s.add("API.Example.COM.", "api");
    expect(s.lookup("api.example.com")).toBe("api");
    expect(s.lookup("Api.Example.Com.")).toBe("api");
  });

  it("keeps the first registration of a name and ignores unusable names", () => {
    const s = new CertificateStore("d");
    expect(s.add("a.test", "first")).toBe(true);
    expect(s.add("A.TEST", "second")).toBe(false);
    expect(s.add("*.com", "tld-wildcard")).toBe(false);
    expect(s.add("w*.example.com", "partial")).toBe(false);
    expect(s.add("*", "bare")).toBe(false);
    expect(s.lookup("a.test")).toBe("first");
    expect(s.size).toBe(1);
  });

  it("matches a wildcard for exactly the names one label below it (property)", () => {
    const label = fc.stringMatching(/^[a-z0-9]([a-z0-9-]{0,10}[a-z0-9])?$/);
    fc.assert(
      fc.property(fc.array(label, { minLength: 2, maxLength: 4 }), fc.array(label, { minLength: 0, maxLength: 3 }), (parent, prefix) => {
        const s = new CertificateStore("default");
        s.add(`*.${parent.join(".")}`, "wild");
        const name = [...prefix, ...parent].join(".");
        expect(s.lookup(name)).toBe(prefix.length === 1 ? "wild" : "default");
      }),
    );
  });
});

describe("hostname helpers", () => {
  it("recognises IP literals, bracketed or not", () => {
    expect(isIpLiteral("127.0.0.1")).toBe(true);
    expect(isIpLiteral("::1")).toBe(true);
    expect(isIpLiteral("[2001:db8::1]")).toBe(true);
    expect(isIpLiteral("a.test")).toBe(false);
    expect(isIpLiteral("1.2.3")).toBe(false);
  });

  it("normalises names", () => {
    expect(normalizeHostname("A.Test.")).toBe("a.test");
    expect(normalizeHostname("a.test")).toBe("a.test");
  });
});
