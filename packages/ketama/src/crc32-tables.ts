/** Reflected CRC-32 (IEEE 802.3) polynomial. */
const POLYNOMIAL = 0xedb88320;

function makeTable(previous: Int32Array | undefined, base: Int32Array | undefined): Int32Array {
  const table = new Int32Array(256);
  for (let n = 0; n < 256; n++) {
    if (previous === undefined || base === undefined) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? POLYNOMIAL ^ (c >>> 1) : c >>> 1;
      table[n] = c;
    } else {
      // Table k advances the CRC of a byte by k further zero bytes (slicing-by-8).
      const p = previous[n]!;
      table[n] = (p >>> 8) ^ base[p & 0xff]!;
    }
  }
  return table;
}

/** `T0` is the classic byte table; `Tk` folds a byte that sits k bytes earlier in a slice. */
export const T0 = makeTable(undefined, undefined);
export const T1 = makeTable(T0, T0);
export const T2 = makeTable(T1, T0);
export const T3 = makeTable(T2, T0);
export const T4 = makeTable(T3, T0);
export const T5 = makeTable(T4, T0);
export const T6 = makeTable(T5, T0);
export const T7 = makeTable(T6, T0);
