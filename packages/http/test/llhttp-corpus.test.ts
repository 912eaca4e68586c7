import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { HttpError, parseUri } from "./helpers.js";

/** One case of llhttp's markdown corpus: a target and the spans llhttp reported. */
interface CorpusCase {
  title: string;
  method: string | undefined;
  target: string;
  /** Spans llhttp reported, by name (`url.host`, `url.path`, `url` ...). */
  spans: Map<string, string>;
  /** Whether llhttp rejected the target itself. */
  rejected: boolean;
}

function expandEscapes(text: string): string {
  return text
    .replace(/\\x([0-9a-fA-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
    .replace(/\\t/g, "\t")
    .replace(/\\f/g, "\f")
    .replace(/\\r/g, "\r")
    .replace(/\\n/g, "\n");
}

function block(section: string, lang: string): string | undefined {
  const match = new RegExp("```" + lang + "\\n([\\s\\S]*?)\\n```").exec(section);
  return match?.[1];
}

function spansOf(log: string): Map<string, string> {
  const spans = new Map<string, string>();
  for (const m of log.matchAll(/span\[([a-z._]+)\]="(.*)"$/gm)) spans.set(m[1]!, m[2]!);
  return spans;
}

function load(file: string): CorpusCase[] {
  const text = readFileSync(new URL(`./fixtures/llhttp/${file}`, import.meta.url), "utf8");
  const cases: CorpusCase[] = [];
  for (const section of text.split(/^## /m).slice(1)) {
    const title = section.slice(0, section.indexOf("\n"));
    const log = block(section, "log") ?? "";
    const url = block(section, "url");
    if (url !== undefined) {
      // A trailing backslash continues the line.
      const target = expandEscapes(url.replace(/\\\n/g, ""));
      cases.push({ title, method: undefined, target, spans: spansOf(log), rejected: /error code=/.test(log) });
      continue;
    }
    const http = block(section, "http");
    if (http === undefined) continue;
    const line = expandEscapes(http.split("\n")[0]!);
    const target = line.slice(line.indexOf(" ") + 1, line.lastIndexOf(" "));
    const spans = spansOf(log);
    // llhttp rejected the target if it never completed it, or completed only part of it.
    const rejected = !/url complete/.test(log) || spans.get("url") !== target;
    cases.push({ title, method: line.slice(0, line.indexOf(" ")), target, spans, rejected });
  }
  return cases;
}

/** Where RFC 9110/9112 make us stricter than llhttp. */
function stricter(c: CorpusCase): string | undefined {
  if (c.target.includes("#")) return "fragment";
  const host = c.spans.get("url.host") ?? "";
  if (host.includes("@") || /^[a-z]+:\/\/[^/]*@/i.test(c.target)) return "userinfo";
  if (/\[[^\]]*%/.test(c.target)) return "zone id";
  return undefined;
}

function expectRejected(target: string, method: string | undefined): void {
  expect(() => parseUri(target, method), JSON.stringify(target)).toThrow(HttpError);
}

describe.each(["url.md", "request-uri.md"])("llhttp corpus %s", (file) => {
  const cases = load(file);

  it("holds targets llhttp accepts and targets it rejects", () => {
    expect(cases.filter((c) => !c.rejected && stricter(c) === undefined).length).toBeGreaterThanOrEqual(5);
    expect(cases.filter((c) => c.rejected).length).toBeGreaterThanOrEqual(2);
  });

  it.each(cases.map((c) => [c.title, c] as const))("%s", (_title, c) => {
    if (c.rejected || stricter(c) !== undefined) return expectRejected(c.target, c.method);
    const uri = parseUri(c.target, c.method);
    const schema = c.spans.get("url.schema");
    if (schema !== undefined || c.method === undefined) {
      expect(uri.scheme).toBe(schema);
      expect(uri.authority).toBe(c.spans.get("url.host"));
      expect(uri.path).toBe(c.spans.get("url.path") ?? (uri.form === "absolute" ? "/" : undefined));
      expect(uri.query).toBe(c.spans.get("url.query"));
    }
    expect(uri.raw).toBe(c.target);
  });
});
