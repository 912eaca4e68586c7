import { createSocket, type RemoteInfo } from "node:dgram";
import { isIPv4, isIPv6 } from "node:net";

/** Record types this responder answers. */
const TYPES = { A: 1, AAAA: 28, SRV: 33 } as const;
type RecordType = keyof typeof TYPES;

/** An SRV record's data. */
export interface SrvData {
  priority: number;
  weight: number;
  port: number;
  target: string;
}

/** A question read from a query. */
interface Question {
  id: number;
  flags: number;
  name: string;
  type: number;
  /** Bytes of the question section, echoed in the answer. */
  raw: Buffer;
}

function readName(msg: Buffer, at: number): { name: string; end: number } {
  const labels: string[] = [];
  let i = at;
  for (;;) {
    const len = msg[i]!;
    if (len === 0) return { name: labels.join(".").toLowerCase(), end: i + 1 };
    if ((len & 0xc0) !== 0) throw new Error("compressed names are not expected in a question");
    labels.push(msg.toString("latin1", i + 1, i + 1 + len));
    i += 1 + len;
  }
}

function writeName(name: string): Buffer {
  const parts = name.replace(/\.$/, "").split(".").filter((l) => l.length > 0);
  return Buffer.concat([...parts.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, "latin1")])), Buffer.from([0])]);
}

function decodeQuestion(msg: Buffer): Question {
  const { name, end } = readName(msg, 12);
  return { id: msg.readUInt16BE(0), flags: msg.readUInt16BE(2), name, type: msg.readUInt16BE(end), raw: msg.subarray(12, end + 4) };
}

function ipv6Bytes(address: string): Buffer {
  const [head = "", tail = ""] = address.split("::");
  const left = head === "" ? [] : head.split(":");
  const right = tail === "" ? [] : tail.split(":");
  const groups = address.includes("::") ? [...left, ...Array<string>(8 - left.length - right.length).fill("0"), ...right] : left;
  const out = Buffer.alloc(16);
  for (const [i, g] of groups.entries()) out.writeUInt16BE(parseInt(g, 16), i * 2);
  return out;
}

function rdata(type: RecordType, value: string | SrvData): Buffer {
  if (type === "A") return Buffer.from((value as string).split(".").map(Number));
  if (type === "AAAA") return ipv6Bytes(value as string);
  const srv = value as SrvData;
  const fixed = Buffer.alloc(6);
  fixed.writeUInt16BE(srv.priority, 0);
  fixed.writeUInt16BE(srv.weight, 2);
  fixed.writeUInt16BE(srv.port, 4);
  return Buffer.concat([fixed, writeName(srv.target)]);
}

function encodeAnswer(q: Question, rcode: number, answers: Buffer[]): Buffer {
  const header = Buffer.alloc(12);
  header.writeUInt16BE(q.id, 0);
  // QR, the query's opcode and RD, RA, rcode.
  header.writeUInt16BE(0x8000 | (q.flags & 0x7900) | 0x0080 | rcode, 2);
  header.writeUInt16BE(1, 4);
  header.writeUInt16BE(answers.length, 6);
  return Buffer.concat([header, q.raw, ...answers]);
}

function encodeRecord(type: RecordType, data: Buffer): Buffer {
  const rr = Buffer.alloc(12);
  rr.writeUInt16BE(0xc00c, 0); // pointer to the question's name
  rr.writeUInt16BE(TYPES[type], 2);
  rr.writeUInt16BE(1, 4); // IN
  rr.writeUInt32BE(1, 6); // TTL 1 s
  rr.writeUInt16BE(data.length, 10);
  return Buffer.concat([rr, data]);
}

/**
 * A tiny authoritative DNS responder on 127.0.0.1 (UDP) for tests: A, AAAA and SRV records
 * that the test changes between queries. Unknown names get NXDOMAIN, known names without
 * records of the asked type an empty NOERROR answer.
 */
export class TestDnsServer {
  private readonly socket = createSocket("udp4");
  private readonly records = new Map<string, Map<RecordType, Array<string | SrvData>>>();
  /** Queries received, as `"name TYPE"`. */
  readonly queries: string[] = [];
  /** When set, queries are dropped (the resolver times out). */
  silent = false;
  port = 0;

  async start(): Promise<this> {
    this.socket.on("message", (msg: Buffer, peer: RemoteInfo) => this.answer(msg, peer));
    await new Promise<void>((resolve) => this.socket.bind(0, "127.0.0.1", resolve));
    this.port = this.socket.address().port;
    return this;
  }

  /** The server as `setServers()` wants it. */
  get address(): string {
    return `127.0.0.1:${this.port}`;
  }

  /** Replaces the records of one type for a name. */
  set(name: string, type: RecordType, values: Array<string | SrvData>): void {
    for (const v of values) {
      if (type === "A" && !isIPv4(v as string)) throw new Error(`not IPv4: ${String(v)}`);
      if (type === "AAAA" && !isIPv6(v as string)) throw new Error(`not IPv6: ${String(v)}`);
    }
    const key = name.toLowerCase();
    let byType = this.records.get(key);
    if (byType === undefined) this.records.set(key, (byType = new Map()));
    byType.set(type, values);
  }

  /** Forgets a name entirely (NXDOMAIN from then on). */
  delete(name: string): void {
    this.records.delete(name.toLowerCase());
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.socket.close(() => resolve()));
  }

  private answer(msg: Buffer, peer: RemoteInfo): void {
    let q: Question;
    try {
      q = decodeQuestion(msg);
    } catch {
      return;
    }
    const type = (Object.keys(TYPES) as RecordType[]).find((t) => TYPES[t] === q.type);
    this.queries.push(`${q.name} ${type ?? q.type}`);
    if (this.silent) return;
    const byType = this.records.get(q.name);
    const values = type === undefined ? [] : (byType?.get(type) ?? []);
    const reply = encodeAnswer(q, byType === undefined ? 3 : 0, values.map((v) => encodeRecord(type!, rdata(type!, v))));
    this.socket.send(reply, peer.port, peer.address);
  }
}
