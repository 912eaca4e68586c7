import { STATIC_TABLE } from "./static-table.js";

/** How the encoder represents a field that is not sent as a plain index. */
export const INCREMENTAL = 0;
/** Literal without indexing: sent as is, not added to the table. */
export const NOT_INDEXED = 1;
/** Literal never indexed: like {@link NOT_INDEXED}, and intermediaries must keep it so. */
export const NEVER_INDEXED = 2;

/** Values of `cookie` shorter than this are guessable by a compression oracle: never indexed. */
export const SHORT_COOKIE = 20;
/** `:path` values longer than this are rarely repeated exactly: not indexed. */
export const LONG_PATH = 32;

const RULE_NONE = 0;
const RULE_SENSITIVE = 1;
const RULE_COOKIE = 2;
const RULE_NOT_INDEXED = 3;
const RULE_PATH = 4;

/** What the encoder knows about a well-known name: its static index, static values and rule. */
export interface NameInfo {
  /** Lowest static index with this name, or 0. */
  readonly staticIndex: number;
  /** Static index per value, when the static table lists values for this name. */
  readonly staticValues: Map<string, number> | undefined;
  readonly rule: number;
}

const rules: Record<string, number> = {
  authorization: RULE_SENSITIVE,
  "proxy-authorization": RULE_SENSITIVE,
  "set-cookie": RULE_SENSITIVE,
  cookie: RULE_COOKIE,
  ":path": RULE_PATH,
  // Different in (nearly) every message: indexing them would only evict useful entries.
  "content-length": RULE_NOT_INDEXED,
  etag: RULE_NOT_INDEXED,
  "if-none-match": RULE_NOT_INDEXED,
  "if-modified-since": RULE_NOT_INDEXED,
  age: RULE_NOT_INDEXED,
};

/** Static lookups and indexing rules by name, shared by every encoder. */
export const NAME_INFO: ReadonlyMap<string, NameInfo> = buildNameInfo(rules);
/** Static lookups without any per-name rule. */
export const STATIC_NAME_INFO: ReadonlyMap<string, NameInfo> = buildNameInfo({});

function buildNameInfo(rules: Record<string, number>): Map<string, NameInfo> {
  const infos = new Map<string, { staticIndex: number; staticValues: Map<string, number> | undefined; rule: number }>();
  STATIC_TABLE.forEach(([name, value], i) => {
    let info = infos.get(name);
    if (info === undefined) {
      info = { staticIndex: i + 1, staticValues: undefined, rule: rules[name] ?? RULE_NONE };
      infos.set(name, info);
    }
    (info.staticValues ??= new Map()).set(value, i + 1);
  });
  for (const [name, rule] of Object.entries(rules)) {
    if (!infos.has(name)) infos.set(name, { staticIndex: 0, staticValues: undefined, rule });
  }
  return infos;
}

/**
 * The representation the encoder picks for a field that has no exact match in the tables
 * (or is sensitive). `entryLimit` is the largest entry worth indexing.
 */
export function chooseRepresentation(info: NameInfo | undefined, value: string, entrySize: number, entryLimit: number): number {
  if (info !== undefined) {
    switch (info.rule) {
      case RULE_SENSITIVE:
        return NEVER_INDEXED;
      case RULE_COOKIE:
        if (value.length < SHORT_COOKIE) return NEVER_INDEXED;
        break;
      case RULE_NOT_INDEXED:
        return NOT_INDEXED;
      case RULE_PATH:
        if (value.length > LONG_PATH) return NOT_INDEXED;
        break;
    }
  }
  return entrySize > entryLimit ? NOT_INDEXED : INCREMENTAL;
}

/** Whether fields with this name are sensitive whatever their value (checked before table matches). */
export function isSensitive(info: NameInfo | undefined, value: string): boolean {
  if (info === undefined) return false;
  return info.rule === RULE_SENSITIVE || (info.rule === RULE_COOKIE && value.length < SHORT_COOKIE);
}
