import { describe, expect, it } from 'vitest';
import { AbortError, NetworkError, RequestValidationError, TimeoutError } from '../../src/core/index.js';
import { createFailures } from '../../src/core/errors/failures.js';
import { Redactor } from '../../src/core/errors/redact.js';

const request = { method: 'GET', url: 'https://api.example/items?access_token=s3cret', operationId: 'listItems' };
const failures = createFailures(new Redactor({ query: ['access_token'], header: [] }));

describe('failures.thrown, the one place a thrown value is classified', () => {
  it('reads a throw after the call timed out as a TimeoutError naming the limit, whatever the caller signal says', () => {
    const caller = new AbortController();
    caller.abort(new Error('user gave up'));
    const error = failures.thrown(request, new DOMException('aborted', 'AbortError'), 'request', { timedOut: () => true, timeoutMs: 1500, callerSignal: caller.signal });
    expect(error).toBeInstanceOf(TimeoutError);
    expect((error as TimeoutError).timeoutMs).toBe(1500);
  });

  it("reads a throw after the caller's abort as an AbortError carrying the caller's reason", () => {
    const caller = new AbortController();
    const reason = new Error('user gave up');
    caller.abort(reason);
    const error = failures.thrown(request, new DOMException('aborted', 'AbortError'), 'body', { timedOut: () => false, timeoutMs: 1500, callerSignal: caller.signal });
    expect(error).toBeInstanceOf(AbortError);
    expect((error.cause as Error).message).toBe('user gave up');
  });

  it('reads any other throw as a NetworkError of the phase it happened in, with the credential redacted from its URL', () => {
    const error = failures.thrown(request, new TypeError('fetch failed'), 'body', { timedOut: () => false, timeoutMs: 0, callerSignal: undefined });
    expect(error).toBeInstanceOf(NetworkError);
    expect((error as NetworkError).phase).toBe('body');
    expect((error as NetworkError).url).toBe('https://api.example/items?access_token=[REDACTED]');
  });

  it('passes an error that is already a ClientError through unchanged', () => {
    const own = new RequestValidationError('text', 'is too long');
    expect(failures.thrown(request, own, 'request', undefined)).toBe(own);
  });
});
