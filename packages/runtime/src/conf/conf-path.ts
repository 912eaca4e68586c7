/** A location inside a configuration document: keys and list indexes from the root. */
export type ConfPath = readonly (string | number)[];

/** Formats a path the way it is written in messages: `proxy.listeners[1].port`. */
export function formatConfPath(path: ConfPath): string {
  let text = "";
  for (const part of path) {
    if (typeof part === "number") text += `[${part}]`;
    else text += text === "" ? part : `.${part}`;
  }
  return text === "" ? "(root)" : text;
}

/** Describes a received value for an error message: `"two"`, `-1`, `a list`, `a mapping`. */
export function describeValue(value: unknown): string {
  if (value === null || value === undefined) return "nothing";
  if (Array.isArray(value)) return "a list";
  if (typeof value === "object") return "a mapping";
  if (typeof value === "string") return JSON.stringify(value);
  return String(value);
}
