/**
 * Whether the operation that failed may be retried.
 * - `{ kind: "decided", retry }`: the answer is known.
 * - `{ kind: "reused-only" }`: retry only if the failure happened on a reused
 *   (pooled) connection, which may have been closed by the peer while idle.
 */
export type RetryType = { readonly kind: "decided"; readonly retry: boolean } | { readonly kind: "reused-only" };

const yes: RetryType = Object.freeze({ kind: "decided", retry: true });
const no: RetryType = Object.freeze({ kind: "decided", retry: false });
const reusedOnly: RetryType = Object.freeze({ kind: "reused-only" });

/** Constructors for {@link RetryType}. */
export const RetryType = Object.freeze({
  /** A decided retry: `Decided(true)` may be retried, `Decided(false)` may not. */
  Decided(retry: boolean): RetryType {
    return retry ? yes : no;
  },
  /** Retry only when the connection was reused. */
  ReusedOnly: reusedOnly,
  /** Resolves the decision for a connection that was (or was not) reused. */
  decide(type: RetryType, reused: boolean): boolean {
    return type.kind === "decided" ? type.retry : reused;
  },
});
