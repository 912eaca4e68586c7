/**
 * The `timeout` parameter of a `Keep-Alive` response header (`timeout=5, max=100`), in
 * seconds, or -1 when absent or malformed.
 */
export function keepAliveTimeoutSeconds(value: string): number {
  const lower = value.toLowerCase();
  let at = lower.indexOf("timeout");
  while (at !== -1) {
    // Only a parameter name: at the start or after a separator.
    const before = at === 0 ? 0x2c : lower.charCodeAt(at - 1);
    if (before === 0x2c || before === 0x20 || before === 0x09 || before === 0x3b) {
      let i = at + 7;
      while (lower.charCodeAt(i) === 0x20 || lower.charCodeAt(i) === 0x09) i++;
      if (lower.charCodeAt(i) === 0x3d) {
        i++;
        while (lower.charCodeAt(i) === 0x20 || lower.charCodeAt(i) === 0x09) i++;
        let n = 0;
        let digits = 0;
        for (let c = lower.charCodeAt(i); c >= 0x30 && c <= 0x39 && digits < 10; c = lower.charCodeAt(++i), digits++) n = n * 10 + (c - 0x30);
        return digits > 0 ? n : -1;
      }
    }
    at = lower.indexOf("timeout", at + 7);
  }
  return -1;
}

/**
 * How long to keep a connection idle when the server announced it keeps it `seconds`: the
 * server's time less a safety margin (a quarter of it, at most `maxMarginMs`), so that the
 * client stops using it before the server closes it, and never more than `oursMs`. Zero or
 * less means: do not keep it.
 */
export function pooledIdleMs(oursMs: number, seconds: number, maxMarginMs: number): number {
  if (seconds < 0) return oursMs;
  const serverMs = seconds * 1000;
  const margin = Math.min(maxMarginMs, serverMs / 4);
  return Math.min(oursMs, serverMs - margin);
}
