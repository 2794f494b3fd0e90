/**
 * Walking a chat's history. The API pages by time, not by cursor: it returns the newest `count` messages created
 * at or before `from`. To read further back the next request sets `from` just above the oldest timestamp seen
 * (oldest + 1 ms). That is right whether the API treats `from` as inclusive or exclusive: either way every message
 * at the page edge comes again instead of being skipped, and the ones already yielded are recognised by their
 * `mid` and dropped. Only the ids at the edge are remembered, so memory stays flat however long the history.
 */
import { ClientError, RequestValidationError } from '../core/errors/errors.js';
import type { OkMessageEnvelope } from './service-messages.js';

/** What {@link walkHistory} asks for one page. */
export interface HistoryPageRequest {
  readonly from: string | undefined;
  readonly count: number;
}

/** Options of a history walk. */
export interface HistoryOptions {
  /**
   * The newest creation time to start from, in milliseconds (a number, or an exact decimal string).
   * @default the newest message
   */
  readonly from?: string | number;
  /**
   * The oldest creation time to reach, in milliseconds (a number, or an exact decimal string).
   * @default the beginning of the chat
   */
  readonly to?: string | number;
  /**
   * How many messages to ask for per page.
   * @default 50
   */
  readonly count?: number;
}

/** Above this page size the walk gives up instead of growing pages further. */
export const MAX_COUNT = 1000;

/** Checks a page size before anything is sent: a whole number from 1 to {@link MAX_COUNT}. */
export function checkCount(count: unknown, field = 'count'): number {
  if (typeof count !== 'number' || !Number.isInteger(count) || count < 1 || count > MAX_COUNT) {
    throw new RequestValidationError(field, `must be a whole number from 1 to ${MAX_COUNT}`);
  }
  return count;
}

/** Reads a creation time given as a number of milliseconds or as an exact decimal string. */
function timestampOf(value: string | number | undefined, field: string): string | undefined {
  if (value === undefined) return undefined;
  const text = typeof value === 'number' && Number.isSafeInteger(value) ? String(value) : value;
  if (typeof text !== 'string' || !/^-?\d{1,19}$/.test(text)) {
    throw new RequestValidationError(field, 'must be a whole number of milliseconds (a safe integer or a decimal string)');
  }
  return text;
}

/**
 * Yields the messages of a chat from newest to oldest, each exactly once, fetching a page at a time.
 *
 * @param fetchPage - fetches the messages created at or before `from` (newest first), at most `count`
 */
export async function* walkHistory(
  fetchPage: (request: HistoryPageRequest) => Promise<readonly OkMessageEnvelope[]>,
  options: HistoryOptions = {},
): AsyncGenerator<OkMessageEnvelope, void, undefined> {
  let from = timestampOf(options.from, 'from');
  let count = checkCount(options.count ?? 50);
  const toText = timestampOf(options.to, 'to');
  const to = toText === undefined ? undefined : BigInt(toText);
  /** Messages at the current page edge (the oldest timestamp seen, and one millisecond above it), by mid. */
  let edge = new Map<string, bigint>();
  for (;;) {
    const page = await fetchPage({ from, count });
    let oldest: bigint | undefined;
    let fresh = 0;
    for (const envelope of page) {
      const timestamp = BigInt(envelope.timestamp);
      if (oldest === undefined || timestamp < oldest) oldest = timestamp;
      if (edge.has(envelope.message.mid)) continue;
      if (to !== undefined && timestamp < to) continue;
      fresh++;
      edge.set(envelope.message.mid, timestamp);
      yield envelope;
    }
    if (oldest === undefined || page.length < count || (to !== undefined && oldest <= to)) return;
    const bottom = oldest;
    const next = String(bottom + 1n);
    if (fresh === 0 || next === from) {
      // The page did not move the edge: more than `count` messages share its timestamp. Ask for bigger pages.
      if (count >= MAX_COUNT) {
        throw new ClientError(`More than ${MAX_COUNT} messages share the timestamp ${bottom}; cannot page past them`);
      }
      count = Math.min(MAX_COUNT, count * 2);
    }
    edge = new Map([...edge].filter(([, timestamp]) => timestamp <= bottom + 1n));
    from = next;
  }
}
