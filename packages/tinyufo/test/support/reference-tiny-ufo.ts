// A deliberately plain TinyUFO (arrays as queues, one object per item) written straight
// from the algorithm's description, to check the typed-array implementation against.
// It shares the frequency sketch and hash, seeded the way TinyUfo seeds them.
import { TinyLfu, hashKey, type Evicted } from "../../src/index.js";

interface Item {
  data: number;
  weight: number;
  uses: number;
  inMain: boolean;
}

export class ReferenceTinyUfo {
  readonly small: number[] = [];
  readonly main: number[] = [];
  readonly items = new Map<number, Item>();
  smallWeight = 0;
  mainWeight = 0;
  private readonly lfu: TinyLfu;

  constructor(
    private readonly limit: number,
    estimatedSize: number,
    private readonly seed: number,
  ) {
    this.lfu = new TinyLfu(estimatedSize, false, seed ^ 0x5f3759df);
  }

  get smallLimit(): number {
    return Math.floor(Math.fround(Math.fround(this.limit) * Math.fround(0.1))) + 1;
  }

  get(key: number): number | undefined {
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    item.uses = Math.min(item.uses + 1, 3);
    return item.data;
  }

  queueOf(key: number): "small" | "main" | undefined {
    const item = this.items.get(key);
    return item === undefined ? undefined : item.inMain ? "main" : "small";
  }

  remove(key: number): number | undefined {
    const item = this.items.get(key);
    if (item === undefined) return undefined;
    this.items.delete(key);
    const queue = item.inMain ? this.main : this.small;
    queue.splice(queue.indexOf(key), 1);
    if (item.inMain) this.mainWeight -= item.weight;
    else this.smallWeight -= item.weight;
    return item.data;
  }

  put(key: number, data: number, weight: number, force: boolean): Evicted<number, number>[] {
    if (weight > this.limit) {
      this.remove(key);
      return [{ key, data, weight }];
    }
    const newFrequency = this.lfu.increment(hashKey(key, this.seed));
    const existing = this.items.get(key);
    if (existing !== undefined) {
      existing.uses = Math.min(existing.uses + 1, 3);
      if (existing.inMain) this.mainWeight += weight - existing.weight;
      else this.smallWeight += weight - existing.weight;
      existing.weight = weight;
      existing.data = data;
      return this.evictToLimit(0);
    }
    const evicted = this.evictToLimit(weight);
    if (!force && evicted.length === 1) {
      const victim = evicted[0]!;
      if (this.lfu.estimate(hashKey(victim.key, this.seed)) > newFrequency) {
        this.insert(victim.key, victim.data, victim.weight);
        return [{ key, data, weight }];
      }
    }
    this.insert(key, data, weight);
    return evicted;
  }

  private insert(key: number, data: number, weight: number): void {
    this.items.set(key, { data, weight, uses: 0, inMain: false });
    this.small.push(key);
    this.smallWeight += weight;
  }

  private evictToLimit(extra: number): Evicted<number, number>[] {
    const out: Evicted<number, number>[] = [];
    while (this.smallWeight + this.mainWeight + extra > this.limit) {
      const item = this.evictOne();
      if (item === undefined) break;
      out.push(item);
    }
    return out;
  }

  private evictOne(): Evicted<number, number> | undefined {
    if (this.smallWeight >= this.smallLimit) {
      while (this.small.length > 0) {
        const key = this.small.shift()!;
        const item = this.items.get(key)!;
        this.smallWeight -= item.weight;
        if (item.uses > 1) {
          item.inMain = true;
          this.main.push(key);
          this.mainWeight += item.weight;
        } else {
          this.items.delete(key);
          return { key, data: item.data, weight: item.weight };
        }
      }
    }
    while (this.main.length > 0) {
      const key = this.main.shift()!;
      const item = this.items.get(key)!;
      if (item.uses > 0) {
        item.uses--;
        this.main.push(key);
      } else {
        this.items.delete(key);
        this.mainWeight -= item.weight;
        return { key, data: item.data, weight: item.weight };
      }
    }
    return undefined;
  }
}
