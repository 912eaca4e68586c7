import { normalizeHostname, parentDomain, wildcardParent } from "./hostname.js";

/**
 * Chooses a value (a certificate's SecureContext) by SNI server name: an exact name first,
 * then a wildcard covering exactly one label (`*.example.com` matches `a.example.com`,
 * not `example.com` nor `a.b.example.com`), then the default. Both lookups are single Map
 * reads.
 */
export class CertificateStore<T> {
  readonly #exact = new Map<string, T>();
  readonly #wildcard = new Map<string, T>();
  readonly #default: T;

  /** @param fallback The value for an absent or unknown server name. */
  constructor(fallback: T) {
    this.#default = fallback;
  }

  /**
   * Registers `value` under `name` (`a.test` or `*.wild.test`). The first registration of a
   * name wins; later ones are ignored and `false` is returned. Names that are neither a
   * DNS name nor a whole-label wildcard are ignored too.
   */
  add(name: string, value: T): boolean {
    const normalized = normalizeHostname(name);
    if (normalized.startsWith("*")) {
      const parent = wildcardParent(normalized);
      if (parent === undefined || this.#wildcard.has(parent)) return false;
      this.#wildcard.set(parent, value);
      return true;
    }
    if (normalized.length === 0 || normalized.includes("*") || this.#exact.has(normalized)) return false;
    this.#exact.set(normalized, value);
    return true;
  }

  /** The value for a server name; the default when it is absent or matches nothing. */
  lookup(servername: string | undefined | null): T {
    return this.find(servername) ?? this.#default;
  }

  /** The value registered for a server name (exact, then wildcard), or `undefined`. */
  find(servername: string | undefined | null): T | undefined {
    if (!servername) return undefined;
    const name = normalizeHostname(servername);
    const exact = this.#exact.get(name);
    if (exact !== undefined) return exact;
    const parent = parentDomain(name);
    return parent === undefined ? undefined : this.#wildcard.get(parent);
  }

  /** The value used when no name matches. */
  get defaultValue(): T {
    return this.#default;
  }

  /** How many exact and wildcard names are registered. */
  get size(): number {
    return this.#exact.size + this.#wildcard.size;
  }
}
