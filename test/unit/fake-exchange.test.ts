/**
 * The in-process fake reads a call from `fetch`'s arguments and answers with its body kept as text, instead of
 * building a platform `Request` and a streamed `Response` for each call; both behave as the platform's do.
 */
import { describe, expect, it } from 'vitest';
import { createFakeApi } from '../../src/testing/index.js';
import { textResponse } from '../../src/testing/fake/response.js';

const TOKEN = 'fake-exchange-token-9c2f';
const auth = { authorization: `Bearer ${TOKEN}` };

async function pachcaFake() {
  const fake = await createFakeApi('pachca');
  return { fake, message: `${fake.url}/messages/194275` };
}

/** What reading an answer in `read`'s way gave: its result, or the error it threw. */
async function outcome(response: Response, read: (response: Response) => Promise<unknown>): Promise<unknown> {
  try {
    return { value: await read(response) };
  } catch (error) {
    return { thrown: error instanceof Error ? `${error.name}: ${error.message}` : String(error) };
  }
}

/** Every byte of a stream. */
async function drain(stream: ReadableStream<Uint8Array> | null): Promise<number[]> {
  const bytes: number[] = [];
  const reader = stream?.getReader();
  for (let chunk = await reader?.read(); chunk && !chunk.done; chunk = await reader?.read()) bytes.push(...chunk.value);
  return bytes;
}

const READS: Record<string, (response: Response) => Promise<unknown>> = {
  'text, then text again': async (response) => [await response.text(), await response.text()],
  'json': (response) => response.json(),
  'bytes': async (response) => [...new Uint8Array(await response.arrayBuffer())],
  'blob': async (response) => {
    const blob = await response.blob();
    return [blob.type, blob.size];
  },
  'the stream, then text': async (response) => [await drain(response.body), response.bodyUsed, await response.text()],
  'text, then the stream': async (response) => [await response.text(), response.bodyUsed, response.body?.locked],
  'a clone and the original': async (response) => {
    const copy = response.clone();
    return [await copy.text(), await response.text(), copy.status, [...copy.headers]];
  },
  'a clone of a read answer': async (response) => {
    await response.text();
    return response.clone();
  },
  'a cancelled stream': async (response) => {
    await response.body?.cancel();
    return [response.bodyUsed, await response.text()];
  },
  'the form a JSON body is not': (response) => response.formData(),
};

describe('the answers', () => {
  it('reads like the platform’s Response of the same text in every way a body can be read', async () => {
    const { fake, message } = await pachcaFake();
    const text = await (await fake.fetch(message, { headers: auth })).text();
    expect(JSON.parse(text)).toMatchObject({ data: { id: 194275 } });
    for (const [name, read] of Object.entries(READS)) {
      const answer = await fake.fetch(message, { headers: auth });
      expect(answer).toBeInstanceOf(Response);
      const platform = new Response(text, { status: answer.status, statusText: answer.statusText, headers: answer.headers });
      expect({ name, ...((await outcome(answer, read)) as object) }).toEqual({ name, ...((await outcome(platform, read)) as object) });
    }
  });

  it('reads text back as its trip through UTF-8 leaves it: a lone surrogate replaced, a byte order mark dropped, the bytes kept', async () => {
    const text = '\ufeff{"name":"\ud800"}';
    for (const read of [(response: Response) => response.text(), async (response: Response) => [...(await response.bytes())]]) {
      expect(await read(textResponse(text, { status: 200 }))).toEqual(await read(new Response(text, { status: 200 })));
    }
    expect(textResponse('plain', { status: 200 }).headers.get('content-type')).toBe('text/plain;charset=UTF-8');
  });
});

describe('the calls', () => {
  it('reads a JSON body that starts with a byte order mark, as the platform’s Request does', async () => {
    const { fake } = await pachcaFake();
    const answer = await fake.fetch(`${fake.url}/messages`, {
      method: 'POST',
      headers: { ...auth, 'content-type': 'application/json' },
      body: '\ufeff{"message":{"entity_id":334,"content":"С меткой"}}',
    });
    expect(answer.status).toBe(201);
    expect(fake.calls[0]?.body).toEqual({ message: { entity_id: 334, content: 'С меткой' } });
  });

  it('takes a text body without a content type as text/plain, as the platform’s Request does, and refuses it where JSON is declared', async () => {
    const { fake } = await pachcaFake();
    const answer = await fake.fetch(`${fake.url}/messages`, { method: 'POST', headers: auth, body: '{"message":{"entity_id":334,"content":"x"}}' });
    expect(answer.status).toBe(422);
    expect(fake.calls[0]?.headers['content-type']).toBe('text/plain;charset=UTF-8');
    expect(answer.statusText).toContain('content-type must be application/json');
  });

  it('rejects with a TypeError what the platform’s fetch refuses before sending', async () => {
    const { fake, message } = await pachcaFake();
    const refused: RequestInit[] = [
      { method: 'GET', body: 'a body on a GET' },
      { headers: { 'x-note': 'two\nlines' } },
      { redirect: 'sideways' as RequestRedirect },
      { method: 'CONNECT' },
      { signal: 'not a signal' as unknown as AbortSignal },
    ];
    for (const init of refused) await expect(fake.fetch(message, { ...init, headers: { ...auth, ...(init.headers as object) } })).rejects.toBeInstanceOf(TypeError);
    expect(fake.calls).toEqual([]);
  });

  it('reads a form sent as text, and a Request given whole, as their types say', async () => {
    const fake = await createFakeApi('unet');
    const form = new URLSearchParams({ grant_type: 'client_credentials', client_id: 'bot', client_secret: 'form-secret-4f1a' }).toString();
    const tokenUrl = await tokenEndpoint(fake.url);
    await fake.fetch(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form });
    await fake.fetch(new Request(tokenUrl, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: form }));
    expect(fake.calls.map((call) => [call.operationId, call.body])).toEqual([
      ['requestToken', { grant_type: 'client_credentials', client_id: 'bot', client_secret: '[REDACTED]' }],
      ['requestToken', { grant_type: 'client_credentials', client_id: 'bot', client_secret: '[REDACTED]' }],
    ]);
  });
});

/** uNet's token endpoint under the fake's URL, from the generated table. */
async function tokenEndpoint(base: string): Promise<string> {
  const { operationTable } = await import('../../generated/unet.js');
  return `${base}${operationTable.requestToken.path}`;
}
