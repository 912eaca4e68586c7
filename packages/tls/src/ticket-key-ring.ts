import { Buffer } from "node:buffer";
import { randomBytes } from "node:crypto";
import { TlsConfigError } from "./tls-config-error.js";

/** Size of one ticket key set as node:tls takes it: 16-byte name, 16-byte HMAC key, 16-byte AES key. */
export const TICKET_KEY_BYTES = 48;

/** Bytes of a ticket key set's name; OpenSSL writes them at the start of every ticket. */
export const TICKET_KEY_NAME_BYTES = 16;

/** Options for {@link TicketKeyRing}. */
export interface TicketKeyRingOptions {
  /** How many retired keys still decrypt tickets (default 1). */
  keep?: number;
  /** The first key (48 bytes), e.g. shared by several processes. Default: random. */
  initialKey?: Buffer;
}

/**
 * The session ticket keys of a server: one current key that encrypts new tickets and up to
 * `keep` retired keys whose tickets are still accepted. Keys are looked up by their 16-byte
 * name, which OpenSSL puts at the start of every ticket.
 */
export class TicketKeyRing {
  readonly #keep: number;
  /** Current key first, then retired keys, newest first. */
  #keys: Buffer[];

  constructor(options: TicketKeyRingOptions = {}) {
    const keep = options.keep ?? 1;
    if (!Number.isInteger(keep) || keep < 0) throw new TlsConfigError(`sessionTickets.keep must be an integer >= 0, got ${keep}`);
    this.#keep = keep;
    this.#keys = [checkedKey(options.initialKey ?? randomBytes(TICKET_KEY_BYTES))];
  }

  /** The key that encrypts new tickets. */
  get current(): Buffer {
    return this.#keys[0]!;
  }

  /** All keys that decrypt tickets, current first. */
  get keys(): readonly Buffer[] {
    return this.#keys;
  }

  /** Whether any retired key is still accepted. */
  get hasRetiredKeys(): boolean {
    return this.#keys.length > 1;
  }

  /**
   * Makes `next` (default: 48 random bytes) the current key and retires the previous one;
   * keys beyond `keep` retired ones are forgotten. Returns the new key.
   */
  rotate(next: Buffer = randomBytes(TICKET_KEY_BYTES)): Buffer {
    this.#keys = [checkedKey(next), ...this.#keys].slice(0, this.#keep + 1);
    return this.current;
  }

  /** The key whose name starts the given ticket (or equals the given 16-byte name). */
  find(nameOrTicket: Uint8Array): Buffer | undefined {
    if (nameOrTicket.length < TICKET_KEY_NAME_BYTES) return undefined;
    for (const key of this.#keys) {
      if (sameName(key, nameOrTicket)) return key;
    }
    return undefined;
  }
}

/** The 16-byte name of a key set, as hex (a stable Map key). */
export function ticketKeyName(key: Buffer): string {
  return key.toString("hex", 0, TICKET_KEY_NAME_BYTES);
}

function sameName(key: Buffer, name: Uint8Array): boolean {
  for (let i = 0; i < TICKET_KEY_NAME_BYTES; i++) {
    if (key[i] !== name[i]) return false;
  }
  return true;
}

function checkedKey(key: Buffer): Buffer {
  if (!Buffer.isBuffer(key) || key.length !== TICKET_KEY_BYTES) {
    throw new TlsConfigError(`a ticket key must be a ${TICKET_KEY_BYTES}-byte Buffer`);
  }
  return key;
}
