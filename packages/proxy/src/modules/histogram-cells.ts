import { Histogram, type MetricType, type Registry } from "prom-client";
import { ModuleError, ModuleErrorType } from "./module-error.js";

/** Checks histogram bucket bounds: finite, strictly increasing, at least one. */
export function checkBuckets(name: string, bounds: readonly number[]): Float64Array {
  if (bounds.length === 0) throw new ModuleError(ModuleErrorType.InvalidOption, `${name} needs at least one bucket`);
  for (let i = 0; i < bounds.length; i++) {
    const b = bounds[i]!;
    if (!Number.isFinite(b) || (i > 0 && !(b > bounds[i - 1]!))) {
      throw new ModuleError(ModuleErrorType.InvalidOption, `${name} must be finite and strictly increasing, got ${bounds.join(", ")}`);
    }
  }
  return Float64Array.from(bounds);
}

/**
 * The counts of one histogram series, kept as plain numbers: one cell per bucket (not
 * cumulative; the last cell is `+Inf`), the sum and the count. `observe` costs a short
 * scan of the bounds and three additions.
 */
export class HistogramCells {
  /** Observations per bucket; `counts[bounds.length]` holds those above the last bound. */
  readonly counts: Float64Array;
  /** Sum of the observed values. */
  sum = 0;
  /** Number of observations. */
  count = 0;
  private readonly bounds: Float64Array;

  constructor(bounds: Float64Array) {
    this.bounds = bounds;
    this.counts = new Float64Array(bounds.length + 1);
  }

  /** Records one value. */
  observe(value: number): void {
    const bounds = this.bounds;
    let i = 0;
    while (i < bounds.length && value > bounds[i]!) i++;
    this.counts[i]!++;
    this.sum += value;
    this.count++;
  }
}

/** One labelled series of a {@link CellsHistogram}. */
export interface CellsSeries {
  /** Label values of the series (without `le`). */
  readonly labels: Readonly<Record<string, string>>;
  /** Its counts. */
  readonly cells: HistogramCells;
}

/**
 * A prom-client `Histogram` whose values come from {@link HistogramCells} kept elsewhere:
 * observations never go through prom-client (whose per-call label hashing costs far more
 * than the counting itself); a scrape reads the cells and reports them in the usual
 * `_bucket` / `_sum` / `_count` form.
 */
export class CellsHistogram extends Histogram<string> {
  // Field names must not shadow prom-client's own (`name`, `help`, `buckets`, ...): class
  // fields are defined after super() and would overwrite them.
  private readonly cellName: string;
  private readonly cellHelp: string;
  private readonly cellBounds: Float64Array;
  private readonly cellSeries: () => Iterable<CellsSeries>;

  constructor(
    name: string,
    help: string,
    labelNames: readonly string[],
    bounds: Float64Array,
    registry: Registry,
    series: () => Iterable<CellsSeries>,
  ) {
    super({ name, help, labelNames: [...labelNames], buckets: [...bounds], registers: [registry], aggregator: "sum" });
    this.cellName = name;
    this.cellHelp = help;
    this.cellBounds = bounds;
    this.cellSeries = series;
  }

  /** The series as prom-client reports histograms. */
  override async get(): Promise<Awaited<ReturnType<Histogram<string>["get"]>>> {
    return this.snapshot();
  }

  /** What prom-client's registry reads when it writes the text format. */
  async getForPromString(): Promise<Awaited<ReturnType<Histogram<string>["get"]>>> {
    return this.snapshot();
  }

  private snapshot(): Awaited<ReturnType<Histogram<string>["get"]>> {
    const values: { labels: Record<string, string | number>; value: number; metricName: string }[] = [];
    const bucketName = `${this.cellName}_bucket`;
    const sumName = `${this.cellName}_sum`;
    const countName = `${this.cellName}_count`;
    const bounds = this.cellBounds;
    for (const { labels, cells } of this.cellSeries()) {
      if (cells.count === 0) continue;
      let cumulative = 0;
      for (let i = 0; i < bounds.length; i++) {
        cumulative += cells.counts[i]!;
        values.push({ labels: { ...labels, le: bounds[i]! }, value: cumulative, metricName: bucketName });
      }
      values.push({ labels: { ...labels, le: "+Inf" }, value: cells.count, metricName: bucketName });
      values.push({ labels: { ...labels }, value: cells.sum, metricName: sumName });
      values.push({ labels: { ...labels }, value: cells.count, metricName: countName });
    }
    return { name: this.cellName, help: this.cellHelp, type: HISTOGRAM, values, aggregator: "sum", collect: noop };
  }
}

function noop(): void {}

// prom-client types `type` as a numeric enum that does not exist at run time; the registry reads the string.
const HISTOGRAM = "histogram" as unknown as MetricType;
