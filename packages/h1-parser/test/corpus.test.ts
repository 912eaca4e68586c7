import { describe, expect, it } from "vitest";
import { loadCorpus, type CorpusCase } from "./corpus/load-corpus.js";
import { collect, randomSplit, type Collected } from "./helpers/collect.js";

/**
 * The llhttp v9.3.1 corpus (test/fixtures/llhttp). Every strict request and response case
 * runs; excluded are
 * - cases whose meta type asks for a lenient flag (`*-lenient-*`): 32 cases, listed by
 *   `lenientCases` below;
 * - cases about protocols other than HTTP that llhttp accepts: RTSP and ICE start lines
 *   and the HTTP/2 `PRI` preface (6 cases, `outOfScope` below). RTSP/ICE cases that
 *   llhttp rejects do run: we reject them too.
 */
const outOfScope: Record<string, string> = {
  "SOURCE request with ICE": "ICE protocol",
  "OPTIONS request with RTSP": "RTSP protocol",
  "ANNOUNCE request with RTSP": "RTSP protocol",
  "PRI request HTTP2": "HTTP/2 preface (PRI method)",
  "RTSP response": "RTSP protocol",
  "ICE response": "ICE protocol",
};

const all = loadCorpus();
const lenientCases = all.filter((c) => c.type.includes("lenient"));
const excluded = all.filter((c) => !c.type.includes("lenient") && outOfScope[c.title] !== undefined);
const strict = all.filter((c) => !c.type.includes("lenient") && outOfScope[c.title] === undefined);

function trimOws(s: string): string {
  return s.replace(/^[ \t]+|[ \t]+$/g, "");
}

function run(c: CorpusCase, split: Parameters<typeof collect>[2]): Collected {
  return collect(c.mode, c.input, split, { finish: c.finish, skipBody: c.meta.skipBody === true });
}

/** Checks our result against the llhttp log of the case. */
function check(c: CorpusCase, got: Collected): void {
  const rejected = c.error !== null;
  if (rejected) {
    expect(got.error, `llhttp rejects: ${c.error!.reason}`).not.toBeNull();
  } else {
    expect(got.error?.message ?? null, "llhttp accepts").toBeNull();
  }
  // Every message llhttp completed must match; a message llhttp was still reading when it
  // failed may already be gone for us, since we fail at the first bad byte of the head.
  const want = c.messages.filter((m) => m.headersComplete && (m.complete || !rejected));
  expect(got.messages.length).toBeGreaterThanOrEqual(want.length);
  for (let i = 0; i < want.length; i++) {
    const w = want[i]!;
    const g = got.messages[i]!;
    if (c.mode === "request") {
      expect(g.method).toBe(w.method);
      expect(g.url).toBe(w.url);
    } else {
      expect(g.status).toBe(w.status);
    }
    expect([g.versionMajor, g.versionMinor]).toEqual([w.versionMajor, w.versionMinor]);
    expect(g.headers).toEqual(w.headers.map(([n, v]) => [n, trimOws(v)]));
    expect(g.trailers).toEqual(w.trailers.map(([n, v]) => [n, trimOws(v)]));
    expect(g.body).toBe(w.body);
    expect(g.complete).toBe(w.complete);
  }
  if (!rejected) {
    expect(got.messages.length).toBe(want.length);
    expect(got.upgradeOffset).toBe(c.upgradeOffset);
  }
}

describe("llhttp corpus", () => {
  it("loads every case", () => {
    expect(all.length).toBe(239);
    expect(lenientCases.length).toBe(32);
    expect(excluded.length).toBe(Object.keys(outOfScope).length);
    expect(strict.length).toBe(all.length - lenientCases.length - excluded.length);
  });

  for (const c of strict) {
    it(`${c.file}: ${c.title}`, () => {
      const whole = run(c, "whole");
      check(c, whole);
      // the same result whatever the split
      const bytes = run(c, "bytes");
      expect(normalise(bytes)).toEqual(normalise(whole));
      for (let seed = 1; seed <= 5; seed++) {
        expect(normalise(run(c, randomSplit(c.input.length, seed * 7919 + c.input.length)))).toEqual(normalise(whole));
      }
    });
  }
});

/** A split-independent summary: bodies arrive in different pieces but concatenate the same. */
function normalise(r: Collected): unknown {
  return { messages: r.messages, error: r.error && { code: r.error.code, offset: r.error.offset }, upgradeOffset: r.upgradeOffset };
}
