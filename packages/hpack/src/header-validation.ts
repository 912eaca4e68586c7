/*
 * Optional field checks of RFC 9113 §8.2.1: a name is a lowercase token (a pseudo-header may
 * start with ':'), a value holds no NUL, CR or LF and no leading or trailing space or tab.
 */
const NAME_CHARS = new Uint8Array(256);
for (const c of "!#$%&'*+-.^_`|~0123456789abcdefghijklmnopqrstuvwxyz") NAME_CHARS[c.charCodeAt(0)] = 1;

/** Whether `name` is a valid HTTP/2 field name (lowercase token, optional leading ':'). */
export function isValidFieldName(name: string): boolean {
  if (name.length === 0) return false;
  let i = name.charCodeAt(0) === 0x3a ? 1 : 0;
  if (i === name.length) return false;
  for (; i < name.length; i++) if (NAME_CHARS[name.charCodeAt(i)] !== 1) return false;
  return true;
}

/** Whether `value` is a valid HTTP/2 field value. */
export function isValidFieldValue(value: string): boolean {
  const n = value.length;
  if (n === 0) return true;
  const first = value.charCodeAt(0);
  const last = value.charCodeAt(n - 1);
  if (first === 0x20 || first === 0x09 || last === 0x20 || last === 0x09) return false;
  for (let i = 0; i < n; i++) {
    const c = value.charCodeAt(i);
    if (c === 0 || c === 0x0a || c === 0x0d) return false;
  }
  return true;
}
