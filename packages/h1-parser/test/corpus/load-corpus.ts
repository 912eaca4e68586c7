import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** One message as the llhttp log describes it. */
export interface ExpectedMessage {
  method: string;
  url: string;
  status: number;
  versionMajor: number;
  versionMinor: number;
  headers: [string, string][];
  trailers: [string, string][];
  body: string;
  headersComplete: boolean;
  complete: boolean;
}

/** One test case of the llhttp corpus. */
export interface CorpusCase {
  file: string;
  title: string;
  /** meta.type, e.g. `request`, `response-finish`, `request-lenient-headers`. */
  type: string;
  mode: "request" | "response";
  meta: Record<string, unknown>;
  input: Uint8Array;
  messages: ExpectedMessage[];
  /** The llhttp error line, if it rejected the input (upgrade pauses excluded). */
  error: { code: number; reason: string } | null;
  /** Offset of the first tunnelled byte when llhttp paused on CONNECT/Upgrade. */
  upgradeOffset: number;
  /** Whether the case calls `finish()` (EOF) after the input. */
  finish: boolean;
}

const fixtures = join(fileURLToPath(new URL(".", import.meta.url)), "..", "fixtures", "llhttp");

/**
 * Expands the corpus escapes \r \n \t \f \xNN and octal \NNN. Other backslashes
 * (`\"`, `\\`) are data, in `http` blocks and in log strings alike.
 */
export function unescapeCorpus(s: string): string {
  let out = "";
  for (let i = 0; i < s.length; i++) {
    const c = s[i]!;
    if (c !== "\\" || i + 1 >= s.length) {
      out += c;
      continue;
    }
    const n = s[++i]!;
    if (n === "r") out += "\r";
    else if (n === "n") out += "\n";
    else if (n === "t") out += "\t";
    else if (n === "f") out += "\f";
    else if (n === "x") {
      out += String.fromCharCode(parseInt(s.slice(i + 1, i + 3), 16));
      i += 2;
    } else if (n >= "0" && n <= "7") {
      let j = i;
      while (j < s.length && j < i + 3 && s[j]! >= "0" && s[j]! <= "7") j++;
      out += String.fromCharCode(parseInt(s.slice(i, j), 8));
      i = j - 1;
    } else out += `\\${n}`;
  }
  return out;
}

/** The bytes of an `http` block: lines joined by CRLF unless a line ends in `\`. */
function blockToBytes(block: string): Uint8Array {
  const lines = block.split("\n");
  let raw = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.endsWith("\\") && !line.endsWith("\\\\")) raw += line.slice(0, -1);
    else raw += i === lines.length - 1 ? line : `${line}\r\n`;
  }
  return Buffer.from(unescapeCorpus(raw), "latin1");
}

function newMessage(): ExpectedMessage {
  return { method: "", url: "", status: 0, versionMajor: 0, versionMinor: 0, headers: [], trailers: [], body: "", headersComplete: false, complete: false };
}

function parseLog(log: string): Pick<CorpusCase, "messages" | "error" | "upgradeOffset"> {
  const messages: ExpectedMessage[] = [];
  let error: CorpusCase["error"] = null;
  let upgradeOffset = -1;
  let cur: ExpectedMessage | null = null;
  let inTrailers = false;
  let lastSpan = "";
  for (const line of log.split("\n")) {
    const m = /^off=(\d+|NULL) (.*)$/.exec(line.trim());
    if (!m) continue;
    const off = Number(m[1]);
    const rest = m[2]!;
    const span = /^len=\d+ span\[(\w+)\]=(?:"(.*)"|(cr|lf|crlf))$/.exec(rest);
    if (span) {
      const kind = span[1]!;
      const value = span[3] === undefined ? unescapeCorpus(span[2]!) : { cr: "\r", lf: "\n", crlf: "\r\n" }[span[3]]!;
      if (!cur) continue;
      const list = inTrailers ? cur.trailers : cur.headers;
      if (kind === "method") cur.method += value;
      else if (kind === "url") cur.url += value;
      else if (kind === "body") cur.body += value;
      else if (kind === "header_field") {
        if (lastSpan !== "header_field") list.push(["", ""]);
        list[list.length - 1]![0] += value;
      } else if (kind === "header_value") {
        if (list.length === 0 || (lastSpan !== "header_value" && lastSpan !== "header_field")) list.push(["", ""]);
        list[list.length - 1]![1] += value;
      }
      lastSpan = kind;
      continue;
    }
    if (rest.startsWith("finish=")) {
      // 0 and 1 are fine (1: the finish completed a message); 2 is an error
      if (rest === "finish=2") error = { code: Number(rest.slice(7)), reason: "unsafe finish" };
      else if (rest === "finish=1" && cur) cur.complete = true;
      continue;
    }
    if (!/^(header_field|header_value) complete|^pause/.test(rest)) lastSpan = "";
    if (rest === "message begin") {
      cur = newMessage();
      messages.push(cur);
      inTrailers = false;
    } else if (rest.startsWith("headers complete") && cur) {
      const v = /v=(\d+)\/(\d+)/.exec(rest);
      cur.versionMajor = Number(v?.[1] ?? 0);
      cur.versionMinor = Number(v?.[2] ?? 0);
      const st = /status=(\d+)/.exec(rest);
      if (st) cur.status = Number(st[1]);
      inTrailers = true;
      cur.headersComplete = true;
    } else if (rest === "message complete" && cur) {
      cur.complete = true;
    } else if (rest.startsWith("error ")) {
      const e = /^error code=(\d+) reason="(.*)"$/.exec(rest)!;
      if (e[1] === "22") upgradeOffset = off;
      else error = { code: Number(e[1]), reason: e[2]! };
    }
  }
  return { messages, error, upgradeOffset };
}

/** Every request and response case of the corpus, in file order. */
export function loadCorpus(): CorpusCase[] {
  const cases: CorpusCase[] = [];
  for (const dir of ["request", "response"]) {
    for (const name of readdirSync(join(fixtures, dir)).sort()) {
      const text = readFileSync(join(fixtures, dir, name), "utf8");
      const re = /^#+ (.*)$|<!-- meta=(\{.*?\}) -->\s*```http\n([\s\S]*?)\n```\s*(?:_[^\n]*_\s*)?```log\n([\s\S]*?)```/gm;
      let title = "";
      for (let m = re.exec(text); m; m = re.exec(text)) {
        if (m[1] !== undefined) {
          title = m[1];
          continue;
        }
        const meta = JSON.parse(m[2]!) as Record<string, unknown>;
        const type = String(meta.type);
        cases.push({
          file: `${dir}/${name}`,
          title,
          type,
          mode: type.startsWith("request") ? "request" : "response",
          meta,
          input: blockToBytes(m[3]!),
          finish: type.endsWith("-finish"),
          ...parseLog(m[4]!),
        });
      }
    }
  }
  return cases;
}
