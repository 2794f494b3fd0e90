/**
 * Parses a `Retry-After` header (RFC 9110, section 10.2.3), which is either a number of seconds or an HTTP
 * date. `Number(value)` alone would turn a date into `NaN` and so into no wait at all.
 *
 * @param value - the header's value, or `null` when the header is absent
 * @param now - the current time in milliseconds since the epoch, used for the date form
 * @returns the wait in milliseconds (never negative), or `undefined` when the header is absent or unusable
 */
export function parseRetryAfter(value: string | null | undefined, now: number): number | undefined {
  if (value == null) return undefined;
  const trimmed = value.trim();
  if (/^\d+$/.test(trimmed)) return Number(trimmed) * 1000;
  // An HTTP date always names its day or month; without letters, `Date.parse` would read '-5' as a year.
  const date = /[a-z]/i.test(trimmed) ? Date.parse(trimmed) : Number.NaN;
  if (Number.isNaN(date)) return undefined;
  return Math.max(0, date - now);
}
