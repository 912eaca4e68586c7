import { expect } from "vitest";

export * from "../src/index.js";

/** Matches a thrown error carrying this stable code. */
export function errorWithCode(code: string): unknown {
  return expect.objectContaining({ code });
}
