import { describe, expect, it } from "vitest";
import { turnNow } from "../src/index.js";

const nextTurn = (): Promise<void> => new Promise((r) => setImmediate(r));

function spin(ms: number): void {
  const until = performance.now() + ms;
  while (performance.now() < until);
}

describe("turnNow", () => {
  it("reads the clock once per turn: later reads in the turn return the same time", async () => {
    await nextTurn();
    const before = performance.now();
    const first = turnNow();
    expect(first).toBeGreaterThanOrEqual(before);
    spin(5);
    expect(turnNow()).toBe(first);
    await Promise.resolve(); // microtasks belong to the same turn
    expect(turnNow()).toBe(first);
  });

  it("moves on in the next turn, to the clock's time then", async () => {
    const first = turnNow();
    spin(3);
    await nextTurn();
    const before = performance.now();
    const second = turnNow();
    expect(second).toBeGreaterThanOrEqual(first + 3);
    expect(second).toBeGreaterThanOrEqual(before);
  });

  it("is fresh in a timer callback after an idle wait", async () => {
    turnNow();
    const start = performance.now();
    const seen = await new Promise<number>((r) => setTimeout(() => r(turnNow()), 20));
    expect(seen - start).toBeGreaterThanOrEqual(19);
  });
});
