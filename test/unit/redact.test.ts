import { describe, expect, it } from 'vitest';
import { REDACTED, Redactor } from '../../src/core/errors/redact.js';

describe('Redactor', () => {
  const redactor = new Redactor({ query: ['access_token'], header: ['X-Api-Key'] });
  redactor.addSecret('tkn18YdUJZe:CQABPOJKAKEKEKEKE');

  it('replaces credential query parameters by name, whatever their value', () => {
    expect(redactor.url('https://api.ok.ru/graph/me/chats?count=5&access_token=other&x=1')).toBe(
      `https://api.ok.ru/graph/me/chats?count=5&access_token=${REDACTED}&x=1`,
    );
  });

  it('replaces known secrets by value, raw and URL-encoded', () => {
    expect(redactor.text('token tkn18YdUJZe:CQABPOJKAKEKEKEKE and tkn18YdUJZe%3ACQABPOJKAKEKEKEKE')).toBe(
      `token ${REDACTED} and ${REDACTED}`,
    );
  });

  it('hides credential headers and cookies', () => {
    const headers = new Headers({ authorization: 'Bearer x', 'x-api-key': 'k', 'set-cookie': 's=1', 'content-type': 'text/plain' });
    expect(redactor.headers(headers)).toEqual({
      authorization: REDACTED,
      'x-api-key': REDACTED,
      'set-cookie': REDACTED,
      'content-type': 'text/plain',
    });
  });

  it('replaces secrets deep inside a JSON value without changing the original', () => {
    const body = { errors: [{ value: 'tkn18YdUJZe:CQABPOJKAKEKEKEKE', code: 'invalid' }], n: 1 };
    expect(redactor.value(body)).toEqual({ errors: [{ value: REDACTED, code: 'invalid' }], n: 1 });
    expect(body.errors[0]?.value).toBe('tkn18YdUJZe:CQABPOJKAKEKEKEKE');
  });

  it('copies an error chain with redacted messages, keeping names and codes', () => {
    const inner = Object.assign(new Error('connect to ?access_token=abc failed'), { code: 'ECONNREFUSED' });
    const outer = new TypeError('fetch failed for tkn18YdUJZe:CQABPOJKAKEKEKEKE', { cause: inner });
    const safe = redactor.error(outer) as Error & { cause: Error & { code: string } };
    expect(safe.name).toBe('TypeError');
    expect(safe.message).toBe(`fetch failed for ${REDACTED}`);
    expect(safe.cause.message).toBe(`connect to ?access_token=${REDACTED} failed`);
    expect(safe.cause.code).toBe('ECONNREFUSED');
    expect(safe.stack).not.toContain('CQABPOJ');
  });
});
