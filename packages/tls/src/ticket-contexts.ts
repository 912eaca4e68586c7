import type { SecureContext, SecureContextOptions } from "node:tls";
import { contextFor, type ContextSnapshot } from "./context-snapshot.js";
import { ticketKeyName, type TicketKeyRing } from "./ticket-key-ring.js";

/**
 * The default certificate's SecureContext once per live ticket key. Node encrypts and
 * decrypts session tickets with the key of the context a connection *starts* with (an SNI
 * switch later changes the certificate, not the ticket key), and each context holds a single
 * key. Starting a connection on the context whose key made its ticket is how retired keys
 * keep decrypting.
 */
export class TicketContexts {
  readonly #ring: TicketKeyRing | undefined;
  readonly #base: SecureContextOptions;
  #byName = new Map<string, SecureContext>();
  #current!: SecureContext;

  /** Builds the contexts for `snapshot`'s default certificate and every key of `ring` (one context without tickets). */
  constructor(ring: TicketKeyRing | undefined, base: SecureContextOptions, snapshot: ContextSnapshot) {
    this.#ring = ring;
    this.#base = base;
    this.rebuild(snapshot, false);
  }

  /** The context for the current key: where connections without a known ticket start. */
  get current(): SecureContext {
    return this.#current;
  }

  /** Whether a retired key is still accepted (only then is the ticket worth looking at). */
  get hasRetiredKeys(): boolean {
    return this.#ring?.hasRetiredKeys ?? false;
  }

  /** The context whose key made `ticket`, if that key is still live. */
  forTicket(ticket: Uint8Array | undefined): SecureContext | undefined {
    if (ticket === undefined || this.#ring === undefined) return undefined;
    const key = this.#ring.find(ticket);
    return key === undefined ? undefined : this.#byName.get(ticketKeyName(key));
  }

  /**
   * Rebuilds the contexts after a key rotation (`reuse`: keep those of keys still live) or for
   * new certificates. Throws (leaving everything as it was) when a context cannot be built.
   */
  rebuild(snapshot: ContextSnapshot, reuse: boolean): void {
    const next = new Map<string, SecureContext>();
    for (const key of this.#ring?.keys ?? [undefined]) {
      const name = key === undefined ? "" : ticketKeyName(key);
      const existing = reuse ? this.#byName.get(name) : undefined;
      next.set(name, existing ?? contextFor(snapshot.defaultCertificate, snapshot.ca, this.#base, key));
    }
    this.#byName = next;
    this.#current = next.values().next().value!;
  }
}
