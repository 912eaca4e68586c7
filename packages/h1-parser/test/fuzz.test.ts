import { describe, expect, it } from "vitest";
import { runFuzz } from "./fuzz/fuzz-core.js";

// The same fuzzer as `pnpm fuzz`, smaller. A parser stuck in a loop fails by timeout.
describe("fuzz", () => {
  it("20,000 mutated messages: only ParseError escapes, every invariant holds", () => {
    const report = runFuzz(20_000, 20240611);
    expect(report.failures).toEqual([]);
    expect(report.inputs).toBe(20_000);
    // the mutations hit both sides of the accept/reject line
    expect(report.accepted).toBeGreaterThan(1000);
    expect(report.rejected).toBeGreaterThan(1000);
  });
});
