/**
 * Faults on demand: the next call (or the next N calls) of an operation fails the way a real server or network
 * does, so that a bot's handling of each failure can be tested: an error status (with `Retry-After`), a connection
 * reset before any answer, a stall that ends only when the caller gives up, or a success whose body has the wrong
 * shape.
 */

/** A failure the fake plays instead of answering a call. */
export type FakeFault =
  | {
      /** Answer with this status, and the spec's example body for it (or the API's error shape). */
      readonly status: number;
      /** The `Retry-After` header, in seconds or as an HTTP date. @default the spec's example for 429 and 503, else none */
      readonly retryAfter?: number | string;
      /** The body to answer with instead. @default the spec's example for the status */
      readonly body?: unknown;
    }
  | {
      /**
       * `reset`: the connection breaks before an answer (fetch rejects with `TypeError: fetch failed`, cause
       * `ECONNRESET`, as undici does). `stall`: no answer at all, until the request's signal aborts.
       * `wrong-shape`: the operation's success status with a body the spec does not allow (`[]`, or `body`).
       */
      readonly kind: 'reset' | 'stall' | 'wrong-shape';
      /** For `wrong-shape`: the body to answer with. @default [] */
      readonly body?: unknown;
    };

/** How many calls a fault answers. */
export interface FakeFaultOptions {
  /**
   * How many calls in a row it answers before the fake behaves again.
   * @default 1
   */
  readonly times?: number;
}

interface Pending {
  readonly fault: FakeFault;
  remaining: number;
}

/** The faults waiting for their calls, per operationId (`*` for any operation). */
export class FaultQueue {
  readonly #pending = new Map<string, Pending[]>();

  add(operationId: string, fault: FakeFault, options: FakeFaultOptions = {}): void {
    if (fault === null || typeof fault !== 'object') throw new TypeError('a fault must be an object: { status }, or { kind }');
    const times = options.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new TypeError('times must be a whole number of calls, 1 or more');
    if ('status' in fault && (!Number.isInteger(fault.status) || fault.status < 100 || fault.status > 599)) {
      throw new TypeError(`status must be an HTTP status from 100 to 599, not ${String(fault.status)}`);
    }
    if ('status' in fault && fault.retryAfter !== undefined) {
      const valid = typeof fault.retryAfter === 'string' ? fault.retryAfter.trim() !== '' && !/[\r\n]/.test(fault.retryAfter) : Number.isFinite(fault.retryAfter) && fault.retryAfter >= 0;
      if (!valid) throw new TypeError('retryAfter must be a number of seconds (0 or more) or an HTTP date');
    }
    if (!('status' in fault) && !['reset', 'stall', 'wrong-shape'].includes(fault.kind)) {
      throw new TypeError(`kind must be reset, stall or wrong-shape, not ${String(fault.kind)}`);
    }
    const queue = this.#pending.get(operationId) ?? [];
    queue.push({ fault, remaining: times });
    this.#pending.set(operationId, queue);
  }

  /** The fault for this call, if one is waiting; counts the call against it. */
  take(operationId: string | undefined): FakeFault | undefined {
    for (const id of operationId === undefined ? ['*'] : [operationId, '*']) {
      const queue = this.#pending.get(id);
      const head = queue?.[0];
      if (!queue || !head) continue;
      head.remaining--;
      if (head.remaining === 0) queue.shift();
      return head.fault;
    }
    return undefined;
  }

  /** How many calls the waiting faults will still answer. */
  waiting(): number {
    let count = 0;
    for (const queue of this.#pending.values()) for (const pending of queue) count += pending.remaining;
    return count;
  }

  clear(): void {
    this.#pending.clear();
  }
}

/** A short description of a fault for the call log. */
export function describeFault(fault: FakeFault): string {
  return 'status' in fault ? `status ${fault.status}` : fault.kind;
}

/** The rejection undici gives when a connection is reset before an answer. */
export function connectionReset(): TypeError {
  const cause = Object.assign(new Error('read ECONNRESET'), { code: 'ECONNRESET', errno: -104, syscall: 'read' });
  return new TypeError('fetch failed', { cause });
}

/**
 * A promise that settles only when `signal` aborts (with its reason), as a request to a stalled server does. Like
 * the open socket of a real stalled request, it keeps the process alive meanwhile.
 */
export function stall(signal: AbortSignal | null | undefined): Promise<never> {
  return new Promise((_resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const open = setInterval(() => undefined, 60_000);
    signal?.addEventListener(
      'abort',
      () => {
        clearInterval(open);
        reject(signal.reason);
      },
      { once: true },
    );
  });
}
