// Medians, ratios and the markdown table of the proxy benchmark.
import type { WrkResult } from "../http-server/measure.js";

/** One measured wrk run through one contender. */
export interface Sample extends WrkResult {
  contender: string;
  round: number;
  /** CPU time of the proxy's process tree per request (of the upstream for the baseline). */
  cpuUsPerReq: number;
  /** CPU time of the upstream per request during this run. */
  upstreamCpuUsPerReq: number;
  /** Socket errors plus non-2xx/3xx responses wrk counted. */
  errorCount: number;
  /** Share of the run (in %) the proxy's threads were runnable but waited for a CPU. */
  proxyWaitPct: number;
  /** The same for the upstream. */
  upstreamWaitPct: number;
}

/** Per-contender medians over rounds, and ratios to the reference contenders. */
export interface Summary {
  name: string;
  rounds: number;
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  cpuUsPerReq: number;
  errorCount: number;
  proxyWaitPct: number;
  /** Median over rounds of (this req/s) / (reference req/s) and (this CPU/req) / (reference CPU/req). */
  ratios: Record<string, { reqPerSec: number; cpuPerReq: number }>;
  note?: string;
}

export function median(values: number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** Sum of the numbers in wrk's "Socket errors: ..." and "Non-2xx or 3xx responses: N" lines. */
export function countErrors(errors: string): number {
  let n = 0;
  for (const m of errors.matchAll(/\d+/g)) n += Number(m[0]);
  return n;
}

/** Median over the rounds in which both ran of a/b (runs of one round ran back to back). */
function roundRatio(samples: Sample[], name: string, ref: string, pick: (s: Sample) => number): number {
  const ratios: number[] = [];
  for (const a of samples.filter((s) => s.contender === name)) {
    const b = samples.find((s) => s.round === a.round && s.contender === ref);
    if (b !== undefined && pick(b) > 0) ratios.push(pick(a) / pick(b));
  }
  return median(ratios);
}

export function summarize(samples: Sample[], names: string[], refs: string[], notes: Map<string, string>, baseline: string): Summary[] {
  return names.map((name) => {
    const mine = samples.filter((s) => s.contender === name);
    const ratios: Summary["ratios"] = {};
    if (name !== baseline) {
      for (const ref of refs) {
        ratios[ref] = {
          reqPerSec: roundRatio(samples, name, ref, (s) => s.reqPerSec),
          cpuPerReq: roundRatio(samples, name, ref, (s) => s.cpuUsPerReq),
        };
      }
    }
    const summary: Summary = {
      name,
      rounds: mine.length,
      reqPerSec: median(mine.map((s) => s.reqPerSec)),
      p50Ms: median(mine.map((s) => s.p50Ms)),
      p99Ms: median(mine.map((s) => s.p99Ms)),
      cpuUsPerReq: median(mine.map((s) => s.cpuUsPerReq)),
      errorCount: mine.reduce((n, s) => n + s.errorCount, 0),
      proxyWaitPct: median(mine.map((s) => s.proxyWaitPct)),
      ratios,
    };
    const note = notes.get(name);
    if (note !== undefined) summary.note = note;
    return summary;
  });
}

function fixed(n: number, digits: number): string {
  return Number.isFinite(n) ? n.toFixed(digits) : "—";
}

function ratio(n: number | undefined): string {
  return n !== undefined && Number.isFinite(n) ? `${n.toFixed(2)}×` : "—";
}

/** The table for docs/benchmarks.md. */
export function markdownTable(summaries: Summary[], refs: string[], baseline: string): string {
  const head = ["contender", "req/s", "p50 ms", "p99 ms", "CPU µs/req", "req/s per CPU"];
  for (const ref of refs) head.push(`req/s ÷ ${ref}`, `CPU/req ÷ ${ref}`);
  head.push("errors");
  const lines = [`| ${head.join(" | ")} |`, `|${head.map((_, i) => (i === 0 ? "---" : "---:")).join("|")}|`];
  for (const s of summaries) {
    if (s.rounds === 0) {
      const cells = head.slice(1).map(() => "—");
      cells[cells.length - 1] = `not measured${s.note !== undefined ? `: ${s.note}` : ""}`;
      lines.push(`| ${s.name} | ${cells.join(" | ")} |`);
      continue;
    }
    const row = [
      s.name === baseline ? `${s.name} *` : s.name,
      Math.round(s.reqPerSec).toString(),
      fixed(s.p50Ms, 2),
      fixed(s.p99Ms, 2),
      fixed(s.cpuUsPerReq, 1),
      Math.round(1e6 / s.cpuUsPerReq).toString(),
    ];
    for (const ref of refs) {
      const r = s.ratios[ref];
      row.push(s.name === ref ? "1.00×" : ratio(r?.reqPerSec), s.name === ref ? "1.00×" : ratio(r?.cpuPerReq));
    }
    row.push(s.errorCount > 0 ? `⚠ ${s.errorCount}` : "0");
    if (s.note !== undefined) row[row.length - 1] += ` (${s.note})`;
    lines.push(`| ${row.join(" | ")} |`);
  }
  return lines.join("\n");
}
