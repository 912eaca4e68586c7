import { Bench } from "tinybench";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** One function under measurement. */
export interface Contender {
  /** Label shown in the table, e.g. `@zp/lru` or `lru-cache`. */
  name: string;
  /** The measured body; one call is one operation. */
  fn: () => unknown;
}

/** A row of the comparison: our implementation beside the one a user would pick instead. */
export interface Case {
  /** What the row measures, e.g. `get (hit)`. */
  name: string;
  ours: Contender;
  theirs: Contender[];
}

/** What `compare` measured for one contender. */
export interface Measured {
  case: string;
  name: string;
  opsPerSec: number;
  nsPerOp: number;
  rme: number;
  samples: number;
}

export interface CompareOptions {
  /** Time per contender in ms (default 1000, or `ZP_BENCH_TIME`). */
  time?: number;
  /** Warm-up time per contender in ms (default 200). */
  warmupTime?: number;
}

const resultsDir = join(dirname(fileURLToPath(import.meta.url)), "..", "results");

function format(n: number): string {
  if (n >= 1e6) return `${(n / 1e6).toFixed(2)}M`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)}k`;
  return n.toFixed(1);
}

async function measure(name: string, fn: () => unknown, opts: Required<CompareOptions>): Promise<Measured> {
  const bench = new Bench({ time: opts.time, warmupTime: opts.warmupTime, warmup: true });
  bench.add(name, fn);
  await bench.run();
  const task = bench.tasks[0]!;
  const r = task.result as unknown as {
    throughput?: { mean: number; rme: number };
    latency?: { mean: number; samplesCount?: number; samples?: number[] };
    hz?: number;
    period?: number;
    rme?: number;
    samples?: number[];
    error?: unknown;
  };
  if (r?.error) throw r.error;
  // ops/s from the mean time per operation (not the mean of per-sample rates, which
  // favours the fastest samples).
  const meanMs = r.latency?.mean ?? r.period ?? 0;
  const hz = meanMs > 0 ? 1000 / meanMs : (r.throughput?.mean ?? r.hz ?? 0);
  return {
    case: "",
    name,
    opsPerSec: hz,
    nsPerOp: meanMs * 1e6,
    rme: r.throughput?.rme ?? r.rme ?? 0,
    samples: r.latency?.samplesCount ?? r.latency?.samples?.length ?? r.samples?.length ?? 0,
  };
}

/**
 * Runs each case's contenders one after another (ours first), prints a table with
 * ops/s and the ratio ours/theirs, and writes the numbers to `bench/results/<suite>.json`.
 */
export async function compare(suite: string, cases: Case[], options: CompareOptions = {}): Promise<Measured[]> {
  const opts: Required<CompareOptions> = {
    time: options.time ?? Number(process.env.ZP_BENCH_TIME ?? 1000),
    warmupTime: options.warmupTime ?? 200,
  };
  const all: Measured[] = [];
  const rows: string[][] = [["case", "contender", "ops/s", "ns/op", "±%", "ours/theirs"]];
  for (const c of cases) {
    const ours = { ...(await measure(c.ours.name, c.ours.fn, opts)), case: c.name };
    all.push(ours);
    rows.push([c.name, ours.name, format(ours.opsPerSec), ours.nsPerOp.toFixed(1), ours.rme.toFixed(1), ""]);
    for (const t of c.theirs) {
      const theirs = { ...(await measure(t.name, t.fn, opts)), case: c.name };
      all.push(theirs);
      const ratio = theirs.opsPerSec > 0 ? ours.opsPerSec / theirs.opsPerSec : Number.NaN;
      rows.push(["", theirs.name, format(theirs.opsPerSec), theirs.nsPerOp.toFixed(1), theirs.rme.toFixed(1), `${ratio.toFixed(2)}x`]);
    }
  }
  printTable(suite, rows);
  writeResults(suite, all);
  return all;
}

/** Prints a plain-text table with a title line. */
export function printTable(title: string, rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? "").length)));
  console.log(`\n## ${title}`);
  for (const [i, r] of rows.entries()) {
    console.log(r.map((cell, j) => (j === 0 || j === 1 ? cell.padEnd(widths[j]!) : cell.padStart(widths[j]!))).join("  "));
    if (i === 0) console.log(widths.map((w) => "-".repeat(w)).join("  "));
  }
}

/** Saves any JSON-serialisable result under `bench/results/<suite>.json`. */
export function writeResults(suite: string, data: unknown): void {
  mkdirSync(resultsDir, { recursive: true });
  writeFileSync(join(resultsDir, `${suite.replace(/[^a-z0-9-]+/gi, "-")}.json`), JSON.stringify(data, null, 2));
}
