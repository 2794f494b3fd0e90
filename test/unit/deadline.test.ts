import { afterEach, describe, expect, it, vi } from 'vitest';
import { systemClock } from '../../src/core/exchange/clock.js';
import { createDeadlines } from '../../src/core/exchange/deadline.js';

const aborted = (signal: AbortSignal | undefined): Promise<unknown> =>
  new Promise((resolve) => signal?.addEventListener('abort', () => resolve(signal.reason), { once: true }));

afterEach(() => {
  vi.restoreAllMocks();
});

describe('call deadlines', () => {
  it('aborts a call whose time is up with a TimeoutError reason and reports that the timeout ended it', async () => {
    const start = createDeadlines(systemClock);
    const deadline = start(undefined, 20);
    const reason = await aborted(deadline.signal);
    expect(reason).toBeInstanceOf(DOMException);
    expect((reason as DOMException).name).toBe('TimeoutError');
    expect(deadline.timedOut()).toBe(true);
    deadline.end();
  });

  it('never aborts a call that ended before its time was up, and keeps serving the calls after it', async () => {
    const start = createDeadlines(systemClock);
    const finished = start(undefined, 30);
    finished.end();
    const later = start(undefined, 30);
    await aborted(later.signal);
    expect(finished.signal?.aborted).toBe(false);
    expect(finished.timedOut()).toBe(false);
    expect(later.timedOut()).toBe(true);
  });

  it('expires calls of different lengths each at its own time, whatever order they started in', async () => {
    const start = createDeadlines(systemClock);
    const began = Date.now();
    const long = start(undefined, 120);
    const short = start(undefined, 20);
    await aborted(short.signal);
    const shortTook = Date.now() - began;
    expect(long.signal?.aborted).toBe(false);
    await aborted(long.signal);
    expect(shortTook).toBeLessThan(110);
    expect(Date.now() - began).toBeGreaterThanOrEqual(115);
  });

  it('aborts with the caller’s reason when the caller aborts first, which is not a timeout', async () => {
    const start = createDeadlines(systemClock);
    const caller = new AbortController();
    const deadline = start(caller.signal, 10_000);
    caller.abort(new Error('stop'));
    expect(deadline.signal?.aborted).toBe(true);
    expect((deadline.signal?.reason as Error).message).toBe('stop');
    expect(deadline.timedOut()).toBe(false);
    deadline.end();
  });

  it('starts aborted when the caller’s signal already is', () => {
    const start = createDeadlines(systemClock);
    const deadline = start(AbortSignal.abort('gone'), 10_000);
    expect(deadline.signal?.aborted).toBe(true);
    expect(deadline.signal?.reason).toBe('gone');
    deadline.end();
  });

  it('removes its listener from the caller’s signal when the call ends, so a long-lived signal gathers none', () => {
    const start = createDeadlines(systemClock);
    const caller = new AbortController();
    const add = vi.spyOn(caller.signal, 'addEventListener');
    const remove = vi.spyOn(caller.signal, 'removeEventListener');
    for (let i = 0; i < 3; i++) start(caller.signal, 10_000).end();
    expect(add).toHaveBeenCalledTimes(3);
    expect(remove.mock.calls.map((call) => call[1])).toEqual(add.mock.calls.map((call) => call[1]));
  });

  it('gives no signal at all without a timeout or a caller signal, and the caller’s own signal without a timeout', () => {
    const start = createDeadlines(systemClock);
    expect(start(undefined, 0).signal).toBeUndefined();
    expect(start(undefined, 0).at).toBeUndefined();
    const caller = new AbortController().signal;
    expect(start(caller, 0).signal).toBe(caller);
  });

  it('arms one timer for many calls of the same length instead of one per call', () => {
    const setTimer = vi.spyOn(globalThis, 'setTimeout');
    const start = createDeadlines(systemClock);
    for (let i = 0; i < 100; i++) start(undefined, 10_000).end();
    expect(setTimer).toHaveBeenCalledTimes(1);
  });

  it('places the deadline on the retry clock, so retries and backoff waits are judged against it', () => {
    const start = createDeadlines({ now: () => 5_000, sleep: () => Promise.resolve() });
    const deadline = start(undefined, 250);
    expect(deadline.at).toBe(5_250);
    deadline.end();
  });
});
