/**
 * The pieces of exactly-once sends that need no server: what counts as "certainly not reached", the bounded
 * memory of a client's own sends, and the procedure's decisions given a look-up's verdict.
 */
import { describe, expect, it } from 'vitest';
import { NetworkError, TimeoutError, type RequestLogEntry } from '../../src/core/index.js';
import { sendExactlyOnce, type UnclearSend, type Verdict } from '../../src/core/delivery/exactly-once.js';
import { REMEMBERED_CHATS, REMEMBERED_SENDS_PER_CHAT, SentMemory } from '../../src/core/delivery/sent-memory.js';
import { NotSent, reachOf } from '../../src/core/errors/reach.js';
import { systemClock } from '../../src/core/exchange/clock.js';

const withCode = (code: string): Error => Object.assign(new Error(code), { code });

describe('reachOf', () => {
  it('says no for failures only a connection attempt produces, and for a transport’s NotSent', () => {
    for (const code of ['ECONNREFUSED', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'UND_ERR_CONNECT_TIMEOUT', 'DEPTH_ZERO_SELF_SIGNED_CERT', 'ERR_TLS_CERT_ALTNAME_INVALID', 'ERR_SSL_WRONG_VERSION_NUMBER']) {
      expect(reachOf(new TypeError('fetch failed', { cause: withCode(code) })), code).toBe('no');
    }
    expect(reachOf(new NotSent(new DOMException('aborted', 'AbortError')))).toBe('no');
  });

  it('says possibly for a reset, a closed socket, an abort and anything unknown', () => {
    for (const error of [withCode('ECONNRESET'), withCode('UND_ERR_SOCKET'), withCode('EPIPE'), new DOMException('x', 'AbortError'), 'a string', undefined]) {
      expect(reachOf(error)).toBe('possibly');
    }
  });
});

describe('SentMemory', () => {
  it('keeps the newest sends of each chat, and forgets the stalest chat first', () => {
    const memory = new SentMemory();
    for (let id = 0; id <= REMEMBERED_SENDS_PER_CHAT; id++) memory.remember(1, id);
    expect(memory.has(1, 0)).toBe(false);
    expect(memory.has('1', 1)).toBe(true);
    expect(memory.has(1, REMEMBERED_SENDS_PER_CHAT)).toBe(true);
    for (let chat = 2; chat <= REMEMBERED_CHATS; chat++) memory.remember(chat, 'm');
    // Chat 1 is now the stalest of REMEMBERED_CHATS; one more chat pushes it out, unless it is used again.
    memory.remember(1, 'again');
    memory.remember('new', 'm');
    expect(memory.has(1, 'again')).toBe(true);
    expect(memory.has(2, 'm')).toBe(false);
    memory.remember(undefined, 'x');
    memory.remember(3, null);
    expect(memory.has('undefined', 'x')).toBe(false);
  });
});

describe('sendExactlyOnce', () => {
  const unclear = () => new NetworkError({ method: 'POST', url: 'https://api.example/messages', operationId: 'createMessage', reached: 'possibly' }, { cause: new Error('reset') });

  function steps(verdict: Verdict<{ id: number }> | (() => never), outcomes: (() => { id: number })[]): UnclearSend<{ id: number }> & { sends: number; looks: number } {
    const state = {
      sends: 0,
      looks: 0,
      target: () => 'chat:1',
      send: async () => (outcomes[state.sends++] as () => { id: number })(),
      look: async () => {
        state.looks++;
        return typeof verdict === 'function' ? verdict() : verdict;
      },
    };
    return state;
  }
  const environment = (log: RequestLogEntry[] = []) => ({ clock: systemClock, timeoutMs: 1000, onLog: (entry: RequestLogEntry) => void log.push(entry), lookups: new Map() });

  it('found: resolves to the message found, marked recovered, and logs one entry for the look-up', async () => {
    const log: RequestLogEntry[] = [];
    const plan = steps({ found: { id: 7 } }, [() => { throw unclear(); }]);
    await expect(sendExactlyOnce(plan, { settleMs: 0 }, environment(log), 'createMessage')).resolves.toEqual({ id: 7, recovered: true });
    expect(plan.sends).toBe(1);
    expect(log).toEqual([expect.objectContaining({ operationId: 'createMessage', method: 'POST', url: 'https://api.example/messages', unclearSend: 'recovered' })]);
  });

  it('absent: sends once more, and only once, whatever that send does', async () => {
    const plan = steps({ absent: true }, [() => { throw unclear(); }, () => { throw unclear(); }]);
    const error = await sendExactlyOnce(plan, { settleMs: 0 }, environment(), 'createMessage').catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(NetworkError);
    expect(plan.sends).toBe(2);
    expect(plan.looks).toBe(1);
  });

  it('undecided, or a look-up that throws: the original error, with the reason', async () => {
    const original = unclear();
    const plan = steps({ undecided: 'the chat cannot be read' }, [() => { throw original; }]);
    const error = await sendExactlyOnce(plan, { settleMs: 0 }, environment(), 'createMessage').catch((caught: unknown) => caught);
    expect(error).toBe(original);
    expect(original.undecided).toBe('the chat cannot be read');
    const failing = steps(() => { throw new TypeError('boom'); }, [() => { throw unclear(); }]);
    const second = (await sendExactlyOnce(failing, { settleMs: 0 }, environment(), 'createMessage').catch((caught: unknown) => caught)) as NetworkError;
    expect(second.undecided).toBe('the look-up failed (TypeError)');
  });

  it('a failure that certainly did not reach the server, or is not about delivery, is thrown without a look-up', async () => {
    for (const thrown of [new NetworkError({ method: 'POST', url: 'u', reached: 'no' }, { cause: undefined }), new TimeoutError({ method: 'POST', url: 'u', timeoutMs: 1, reached: 'no' }), new Error('other')]) {
      const plan = steps({ found: { id: 1 } }, [() => { throw thrown; }]);
      await expect(sendExactlyOnce(plan, {}, environment(), 'x')).rejects.toBe(thrown);
      expect(plan.looks).toBe(0);
    }
  });

  it('a caller’s abort during the settle time ends the wait at once, as undecided', async () => {
    const controller = new AbortController();
    const plan = steps({ found: { id: 1 } }, [() => { throw unclear(); }]);
    setTimeout(() => controller.abort(), 20);
    const started = Date.now();
    const error = (await sendExactlyOnce(plan, { settleMs: 10_000, signal: controller.signal }, environment(), 'x').catch((caught: unknown) => caught)) as NetworkError;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.undecided).toBe('the caller aborted before the look-up');
    expect(plan.looks).toBe(0);
  });

  it('runs the look-ups for one target in turn, and those for different targets side by side', async () => {
    let running = 0;
    const overlaps: string[] = [];
    const plan = (target: string): UnclearSend<{ id: number }> => ({
      send: async () => {
        throw unclear();
      },
      target: () => target,
      look: async () => {
        running++;
        if (running > 1) overlaps.push(target);
        await new Promise((resolve) => setTimeout(resolve, 30));
        running--;
        return { found: { id: 1 } };
      },
    });
    const shared = environment();
    await Promise.all([1, 2, 3].map(() => sendExactlyOnce(plan('chat:1'), { settleMs: 0 }, shared, 'x')));
    expect(overlaps).toEqual([]);
    expect(shared.lookups.size).toBe(0);
    await Promise.all(['chat:1', 'chat:2'].map((target) => sendExactlyOnce(plan(target), { settleMs: 0 }, shared, 'x')));
    expect(overlaps).toEqual(['chat:2']);
  });

  it('bounds the whole look-up by the call’s timeout', async () => {
    const plan: UnclearSend<{ id: number }> = {
      send: async () => {
        throw unclear();
      },
      target: () => 'chat:1',
      look: ({ options }) =>
        new Promise((_resolve, reject) => options.signal?.addEventListener('abort', () => reject(new TimeoutError({ method: 'GET', url: 'u', timeoutMs: 50 })))),
    };
    const started = Date.now();
    const error = (await sendExactlyOnce(plan, { settleMs: 0, timeoutMs: 50 }, environment(), 'x').catch((caught: unknown) => caught)) as NetworkError;
    expect(Date.now() - started).toBeLessThan(2000);
    expect(error.undecided).toBe('the look-up did not finish in time');
  });
});
