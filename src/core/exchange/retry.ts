/**
 * When to try a request again, and how long to wait first. The rule that matters most: a request that is not
 * idempotent (a POST that sends a message) is never repeated after a 5xx or a dropped connection, because the
 * server may already have acted on it. Only a 429 is retried for every method, since the server refused it.
 */
import { RequestValidationError } from '../errors/errors.js';
import { optionalFunction, optionalMethods, optionalNumber, requireObject } from '../request/arguments.js';
import type { Clock } from './clock.js';
import type { RetryPolicy } from '../client/types.js';

export type { RetryPolicy };

/** Methods whose repetition has no further effect (RFC 9110, section 9.2.2): the ones retried after a 5xx. */
export const IDEMPOTENT_METHODS: ReadonlySet<string> = new Set(['GET', 'HEAD', 'PUT', 'DELETE', 'OPTIONS', 'TRACE']);

/** The policy used when a client is given none. */
export const defaultRetryPolicy: RetryPolicy = {
  maxRetries: 3,
  baseDelayMs: 500,
  maxDelayMs: 8000,
  maxRetryAfterMs: 60_000,
  retryStatuses: [408, 500, 502, 503, 504],
  random: Math.random,
};

/** Fills a partial policy from the defaults. */
export function resolveRetryPolicy(policy: Partial<RetryPolicy> | undefined): RetryPolicy {
  if (policy === undefined) return defaultRetryPolicy;
  checkRetryPolicy(policy);
  return { ...defaultRetryPolicy, ...policy };
}

/** The fields a retry policy has, each with its check; an unknown or wrong field is refused, not ignored. */
const RETRY_FIELDS: Readonly<Record<keyof RetryPolicy, (value: unknown, field: string) => void>> = {
  maxRetries: (value, field) => optionalNumber(value, field, { min: 0, max: 100, integer: true }),
  baseDelayMs: (value, field) => optionalNumber(value, field, { min: 0 }),
  maxDelayMs: (value, field) => optionalNumber(value, field, { min: 0 }),
  maxRetryAfterMs: (value, field) => optionalNumber(value, field, { min: 0 }),
  retryStatuses: (value, field) => {
    if (value === undefined) return;
    if (!Array.isArray(value)) throw new RequestValidationError(field, 'must be an array of HTTP statuses');
    value.forEach((status: unknown, index) => optionalNumber(status, `${field}[${index}]`, { min: 100, max: 599, integer: true }));
  },
  random: (value, field) => optionalFunction(value, field),
  clock: (value, field) => optionalMethods(value, field, ['now', 'sleep']),
};

/** Checks a retry policy the caller gave. */
function checkRetryPolicy(policy: unknown): void {
  const fields = requireObject(policy, 'retry');
  for (const [name, value] of Object.entries(fields)) {
    const check = RETRY_FIELDS[name as keyof RetryPolicy];
    if (!check) throw new RequestValidationError(`retry.${name}`, `is not a retry option (${Object.keys(RETRY_FIELDS).join(', ')})`);
    check(value, `retry.${name}`);
  }
}

/**
 * The backoff before retry number `retry` (0 for the first): exponential, capped, with full jitter (a uniform
 * wait between 0 and the cap), which spreads out clients that failed together.
 */
export function backoffDelay(policy: RetryPolicy, retry: number): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** retry);
  return Math.round(ceiling * policy.random());
}

/** What one failed attempt looked like. */
export type AttemptOutcome = { readonly status: number; readonly retryAfterMs?: number | undefined } | 'network';

/**
 * Decides whether to retry after an attempt, and how long to wait.
 *
 * @param retry - how many retries were made already
 * @returns the wait in milliseconds, or `undefined` to stop and report the outcome
 */
export function retryDelay(
  policy: RetryPolicy,
  outcome: AttemptOutcome,
  idempotent: boolean,
  retry: number,
): number | undefined {
  if (retry >= policy.maxRetries) return undefined;
  if (outcome === 'network') return idempotent ? backoffDelay(policy, retry) : undefined;
  const isRateLimit = outcome.status === 429;
  if (!isRateLimit && !(idempotent && policy.retryStatuses.includes(outcome.status))) return undefined;
  if (outcome.retryAfterMs === undefined) return backoffDelay(policy, retry);
  return outcome.retryAfterMs <= policy.maxRetryAfterMs ? outcome.retryAfterMs : undefined;
}

/**
 * Why a failed attempt that the policy could have repeated was not, in words for the error's message; `undefined`
 * when there is nothing to add (retries are off, spent, which the message says by their count, or never apply).
 *
 * @param outlastsDeadline - the policy allowed a retry, but its wait would end after the call's deadline
 */
export function whyNotRetried(
  policy: RetryPolicy,
  outcome: AttemptOutcome,
  idempotent: boolean,
  retries: number,
  outlastsDeadline: boolean,
): string | undefined {
  if (outlastsDeadline) return "not retried: the wait before another attempt would end after the call's timeoutMs";
  if (policy.maxRetries === 0 || retries >= policy.maxRetries) return undefined;
  if (outcome === 'network') {
    return idempotent ? undefined : 'not retried: the request may have reached the server, and this operation is not safe to repeat';
  }
  if (outcome.status === 429) {
    const wait = outcome.retryAfterMs;
    return wait !== undefined && wait > policy.maxRetryAfterMs
      ? `not retried: that is longer than retry.maxRetryAfterMs (${Math.ceil(policy.maxRetryAfterMs / 1000)} s)`
      : undefined;
  }
  return !idempotent && policy.retryStatuses.includes(outcome.status)
    ? 'not retried: the server may have acted on it, and this operation is not safe to repeat'
    : undefined;
}
