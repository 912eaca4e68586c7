import { readFileSync, readdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import type { HeaderPair } from "../../src/index.js";

/** Root of the hpack-test-case copy. */
export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), "..", "fixtures", "hpack-test-case");

/** One header block of a story: its header list, and the encoding when the story has one. */
export interface StoryCase {
  headers: HeaderPair[];
  wire?: string;
  header_table_size?: number;
}

/** A story: a sequence of header blocks sharing one compression context. */
export interface Story {
  file: string;
  cases: StoryCase[];
}

/** The directories holding encoded stories (every one but raw-data). */
export function encodedDirs(): string[] {
  return readdirSync(FIXTURES, { withFileTypes: true })
    .filter((d) => d.isDirectory() && d.name !== "raw-data")
    .map((d) => d.name)
    .sort();
}

/** Loads every story of a directory; the JSON's `{name: value}` objects become pairs. */
export function loadStories(dir: string): Story[] {
  const path = join(FIXTURES, dir);
  return readdirSync(path)
    .filter((f) => f.endsWith(".json"))
    .sort()
    .map((file) => {
      const json = JSON.parse(readFileSync(join(path, file), "utf8")) as {
        cases: { headers: Record<string, string>[]; wire?: string; header_table_size?: number }[];
      };
      return {
        file,
        cases: json.cases.map((c) => ({
          ...c,
          headers: c.headers.map((h) => Object.entries(h)[0] as HeaderPair),
        })),
      };
    });
}
