import type { SeededRandom } from "./seeded-random.js";

/** `log(1 + x) / x`, by its Taylor series near 0. */
function log1pOverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.log1p(x) / x : 1 - x * (0.5 - x * (1 / 3 - 0.25 * x));
}

/** `(exp(x) - 1) / x`, by its Taylor series near 0. */
function expm1OverX(x: number): number {
  return Math.abs(x) > 1e-8 ? Math.expm1(x) / x : 1 + x * 0.5 * (1 + (x / 3) * (1 + 0.25 * x));
}

/** `H(x)`: the integral of `h(x) = x^-s`, shifted so that it is `log(x)` when `s = 1`. */
function hIntegral(x: number, exponent: number): number {
  const logX = Math.log(x);
  return expm1OverX((1 - exponent) * logX) * logX;
}

/** `h(x) = x^-s`. */
function h(x: number, exponent: number): number {
  return Math.exp(-exponent * Math.log(x));
}

/** The inverse of `H`. */
function hIntegralInverse(x: number, exponent: number): number {
  // Numerical error can push t just below -1, where the formula has no meaning.
  const t = Math.max(x * (1 - exponent), -1);
  return Math.exp(log1pOverX(t) * x);
}

/**
 * Zipf-like integers in `1..n` for exponent `s > 0`, drawn by rejection-inversion
 * (Hörmann & Derflinger, 1996) exactly as version 7.0.0 of the Rust `zipf` crate does,
 * the generator behind Pingora's published TinyUFO hit ratios: the drawn value is the
 * integer part of `H⁻¹(u)`, so `P(k)` is proportional to `H(k + 1) - H(k)` (with
 * `H(x) = ∫ x^-s`), a little more skewed toward 1 than an exact `1 / k^s` law.
 */
export class ZipfSampler {
  private readonly n: number;
  private readonly exponent: number;
  private readonly hIntegralX1: number;
  private readonly hIntegralN: number;
  private readonly s: number;

  constructor(n: number, exponent: number, private readonly random: SeededRandom) {
    if (!Number.isInteger(n) || n < 1) throw new RangeError(`zipf needs n >= 1, got ${n}`);
    if (!(exponent > 0)) throw new RangeError(`zipf needs an exponent > 0, got ${exponent}`);
    this.n = n;
    this.exponent = exponent;
    this.hIntegralX1 = hIntegral(1.5, exponent) - 1;
    this.hIntegralN = hIntegral(n + 0.5, exponent);
    this.s = 2 - hIntegralInverse(hIntegral(2.5, exponent) - h(2, exponent), exponent);
  }

  /** Draws the next value. */
  next(): number {
    const { exponent, hIntegralN } = this;
    for (;;) {
      const u = hIntegralN + this.random.nextFloat() * (this.hIntegralX1 - hIntegralN);
      const x = hIntegralInverse(u, exponent);
      const k = Math.min(Math.max(x, 1), this.n);
      const value = Math.max(1, Math.trunc(k));
      // The left test is a cheap shortcut for the right one (Theorem 2 of the paper).
      if (k - x <= this.s || u >= hIntegral(k + 0.5, exponent) - h(k, exponent)) return value;
    }
  }

  /** Fills `out` with draws (for precomputed workloads) and returns it. */
  fill(out: Uint32Array): Uint32Array {
    for (let i = 0; i < out.length; i++) out[i] = this.next();
    return out;
  }
}
