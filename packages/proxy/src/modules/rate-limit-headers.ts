import type { HeaderMap } from "@zp/http";
import type { RateDecision } from "./rate-decision.js";

/**
 * Which rate-limit fields responses carry:
 *
 * - `"ietf"`: the current draft of the IETF RateLimit header fields
 *   (draft-ietf-httpapi-ratelimit-headers-10): `RateLimit-Policy: "name";q=<burst>;w=<s>` and
 *   `RateLimit: "name";r=<remaining>;t=<reset s>`.
 * - `"legacy"`: the earlier split form (draft -06 and before, still read by many clients):
 *   `RateLimit-Limit`, `RateLimit-Remaining`, `RateLimit-Reset`, `RateLimit-Policy: <burst>;w=<s>`.
 * - `"none"`: no rate-limit fields (rejections still carry `Retry-After`).
 */
export type RateLimitHeaderStyle = "ietf" | "legacy" | "none";

const POLICY_NAME = /^[A-Za-z0-9_.:-]{1,64}$/;

/** Whether `name` can be a policy name (letters, digits, `_ . : -`, up to 64 chars). */
export function isValidPolicyName(name: string): boolean {
  return POLICY_NAME.test(name);
}

/**
 * Writes the rate-limit fields of one {@link RateDecision} in one style. Values that never
 * change (the policy) are built once; per response only the `r`/`t` numbers are formatted.
 */
export class RateLimitHeaderWriter {
  /** The style written. */
  readonly style: RateLimitHeaderStyle;
  private readonly policyValue: string;
  private readonly itemPrefix: string;
  private readonly limitValue: string;

  /**
   * @param style the fields to write.
   * @param policyName the quota policy's name in the `"ietf"` style.
   * @param burst the quota (`q`, `RateLimit-Limit`).
   * @param windowSeconds the window (`w`): seconds to refill a whole burst, at least 1.
   */
  constructor(style: RateLimitHeaderStyle, policyName: string, burst: number, windowSeconds: number) {
    this.style = style;
    const quota = Math.floor(burst);
    this.limitValue = String(quota);
    if (style === "legacy") {
      this.policyValue = `${quota};w=${windowSeconds}`;
      this.itemPrefix = "";
    } else {
      this.policyValue = `"${policyName}";q=${quota};w=${windowSeconds}`;
      this.itemPrefix = `"${policyName}";r=`;
    }
  }

  /**
   * Adds the fields for `decision` to `headers`.
   *
   * `"ietf"` fields are Lists, so they are appended: a `RateLimit` an upstream sent for its
   * own policy stays beside ours (clients heed the most restrictive). `"legacy"` fields hold
   * one value each: ours replaces the upstream's unless the upstream's `RateLimit-Remaining`
   * is already lower (an intermediary must not announce a more permissive limit).
   */
  write(headers: HeaderMap, decision: RateDecision): void {
    if (this.style === "ietf") {
      headers.appendUnchecked("RateLimit-Policy", this.policyValue);
      headers.appendUnchecked("RateLimit", `${this.itemPrefix}${decision.remaining};t=${decision.resetSeconds}`);
      return;
    }
    if (this.style === "none") return;
    const upstream = headers.get("ratelimit-remaining");
    if (upstream !== undefined) {
      const theirs = Number.parseInt(upstream, 10);
      if (theirs >= 0 && theirs <= decision.remaining) return;
    }
    headers.setUnchecked("RateLimit-Limit", this.limitValue);
    headers.setUnchecked("RateLimit-Remaining", String(decision.remaining));
    headers.setUnchecked("RateLimit-Reset", String(decision.resetSeconds));
    headers.setUnchecked("RateLimit-Policy", this.policyValue);
  }
}
