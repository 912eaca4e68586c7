import { describe, expect, it } from "vitest";
import { DynamicTable } from "../src/dynamic-table.js";
import { EncoderTable } from "../src/encoder-table.js";
import { NAME_INFO } from "../src/indexing-policy.js";

const entries = (t: DynamicTable) => Array.from({ length: t.count }, (_, i) => `${t.nameAt(i)}=${t.valueAt(i)}`);

describe("DynamicTable", () => {
  it("keeps the newest entry first and accounts name + value + 32 per entry", () => {
    const t = new DynamicTable(4096);
    for (let i = 0; i < 40; i++) t.add(`n${i}`, `v${i}`); // grows the ring past 16 and 32 slots
    expect(t.count).toBe(40);
    expect(t.size).toBe(Array.from({ length: 40 }, (_, i) => 2 * String(i).length + 2 + 32).reduce((a, b) => a + b));
    expect(entries(t).slice(0, 3)).toEqual(["n39=v39", "n38=v38", "n37=v37"]);
    expect(entries(t).at(-1)).toBe("n0=v0");
  });

  it("evicts the oldest entries to make room, and empties itself for an oversized entry", () => {
    const t = new DynamicTable(100);
    t.add("a", "1"); // 34
    t.add("b", "2"); // 68
    t.add("c", "3"); // 102 > 100: "a" goes
    expect(entries(t)).toEqual(["c=3", "b=2"]);
    t.add("big", "x".repeat(70)); // 105 > 100: table emptied, entry dropped
    expect(t.count).toBe(0);
    expect(t.size).toBe(0);
    t.add("d", "4");
    t.setMaxSize(0);
    expect(t.count).toBe(0);
  });
});

describe("EncoderTable", () => {
  it("finds exact and name matches by HPACK index while entries come and go", () => {
    const t = new EncoderTable(34 * 3, NAME_INFO);
    t.add("x", "1");
    t.add("y", "1");
    t.add("x", "2");
    // Newest first: x=2 (62), y=1 (63), x=1 (64).
    expect(t.indexOf(t.slot("x")!.values!.get("1")!)).toBe(64);
    expect(t.indexOf(t.slot("x")!.seq)).toBe(62);
    t.add("z", "1"); // evicts x=1
    expect(t.slot("x")!.values!.get("1")).toBeUndefined();
    expect(t.indexOf(t.slot("x")!.seq)).toBe(63);
    t.add("z", "2"); // evicts y=1: the name goes entirely
    expect(t.slot("y")).toBeUndefined();
    t.setMaxSize(0);
    expect(t.slot("x")).toBeUndefined();
    expect(t.slot(":path")!.seq).toBe(0); // static names stay known
  });
});
