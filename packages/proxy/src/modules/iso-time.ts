/**
 * Formats epoch milliseconds as ISO 8601 UTC (`2024-05-01T12:00:00.123Z`), the same text as
 * `Date.prototype.toISOString`, rebuilding the date part only when the second changes:
 * under load most lines of a log share their second.
 */
export class IsoTime {
  private second = Number.NaN;
  private prefix = "";

  /** `ms` (epoch milliseconds, years 0 to 9999) as an ISO 8601 string. */
  format(ms: number): string {
    const whole = Math.floor(ms);
    const second = Math.floor(whole / 1000);
    if (second !== this.second) {
      this.second = second;
      // "YYYY-MM-DDTHH:MM:SS." from "YYYY-MM-DDTHH:MM:SS.sssZ"
      this.prefix = new Date(second * 1000).toISOString().slice(0, 20);
    }
    const milli = whole - second * 1000;
    return this.prefix + (milli < 10 ? `00${milli}` : milli < 100 ? `0${milli}` : `${milli}`) + "Z";
  }
}
