import { didYouMean } from "@zp/runtime";

/** `unknown key` with `, did you mean "x"?` when a candidate is close (see `didYouMean` of `@zp/runtime`). */
export function unknownMessage(what: string, word: string, candidates: Iterable<string>): string {
  const hint = didYouMean(word, candidates);
  return hint === undefined ? what : `${what}, did you mean "${hint}"?`;
}
