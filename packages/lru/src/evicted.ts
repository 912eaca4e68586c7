/** An entry taken out of an LRU by eviction or removal. */
export interface Evicted<K, V> {
  /** The entry's key. */
  key: K;
  /** The entry's value. */
  value: V;
  /** The weight the entry counted for. */
  weight: number;
}
