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

describe('Redactor and the answers that hand out secrets', () => {
  it('learns the secret-named fields of a JSON answer, also one cut short, and then finds them anywhere', () => {
    const redactor = new Redactor();
    redactor.learnFromAnswer('{"access_token":"acc\\"ess-1234567","refresh_token":"refresh-7654321","token_type":"bearer","resource_u');
    expect(redactor.text('now acc"ess-1234567 and refresh-7654321, bearer')).toBe(`now ${REDACTED} and ${REDACTED}, bearer`);
  });

  it('learns a form-encoded answer, and every string under a secret-named field that holds an object', () => {
    const redactor = new Redactor();
    redactor.learnFromAnswer(`access_token=${encodeURIComponent('form acc/ess+1')}&expires_in=60`);
    redactor.learnFromAnswer('{"client_secret":{"value":"nested-secret-1","also":["listed-secret-2"]},"note":"public-text-1"}');
    expect(redactor.text('form acc/ess+1 nested-secret-1 listed-secret-2 public-text-1')).toBe(`${REDACTED} ${REDACTED} ${REDACTED} public-text-1`);
  });

  it('hides a secret-named field of an answer by name, however short, in text and in a parsed body', () => {
    const redactor = new Redactor();
    expect(redactor.answerText('{"refresh_token":"ab1","id":7}')).toBe(`{"refresh_token":"${REDACTED}","id":7}`);
    expect(redactor.answerText('{"accessToken":{"v":"ab1"},"id":7}')).toBe(`{"accessToken":"${REDACTED}","id":7}`);
    expect(redactor.value({ error: 'invalid_grant', password: 'pw', nested: { api_token: 12345 } })).toEqual({ error: 'invalid_grant', password: REDACTED, nested: { api_token: REDACTED } });
  });

  it('leaves fields that only look alike: a bare token handle, token_type, expires_in', () => {
    const redactor = new Redactor();
    redactor.learnFromAnswer('{"token":"attachment-handle-1","token_type":"bearer-long-type","expires_in":"43200"}');
    expect(redactor.text('attachment-handle-1 bearer-long-type')).toBe('attachment-handle-1 bearer-long-type');
  });
});
