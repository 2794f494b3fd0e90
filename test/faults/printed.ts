/**
 * What a user could print of an error and of the request log, for the fault tier's secret checks: the error as a
 * string, as JSON and through `util.inspect` (hidden fields too), and along its cause chain each message, stack
 * and field that carries server text.
 */
import { inspect } from 'node:util';
import type { RequestLogEntry } from '../../src/core/index.js';

/** Every form in which a secret could show. */
export function forms(secret: string): string[] {
  return [...new Set([secret, encodeURIComponent(secret), new URLSearchParams({ v: secret }).toString().slice(2), JSON.stringify(secret).slice(1, -1)])];
}

/** Everything a user could print of an error and of the log. */
export function printed(error: unknown, log: readonly RequestLogEntry[]): string {
  const parts = [String(error), JSON.stringify(error), inspect(error, { depth: 20, showHidden: true }), JSON.stringify(log)];
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 10; depth++, current = current.cause) {
    parts.push(current.message, current.stack ?? '');
    for (const field of ['url', 'headers', 'body', 'bodyText', 'location', 'statusText', 'problem']) parts.push(JSON.stringify((current as unknown as Record<string, unknown>)[field]) ?? '');
  }
  return parts.join('\n');
}
