/**
 * An operation whose only success is a redirect (Pachca's finished chat export) resolves to the address the redirect
 * points to and never follows it; any other redirect is still a RedirectError.
 */
import { describe, expect, it } from 'vitest';
import { RedirectError, UnexpectedResponseError } from '../../src/core/errors/errors.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { json, scriptedFetch } from './helpers.js';

const TOKEN = 'tok-redirect-secret-0123';
const redirect = (status: number, headers: Record<string, string>) => new Response(null, { status, headers });

describe('a redirect as the result', () => {
  it('resolves a finished export to its archive address, with one request and nothing followed', async () => {
    const fetch = scriptedFetch(redirect(302, { location: 'https://files.example.com/exports/22322.zip?X-Amz-Signature=abc' }));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    await expect(pachca.downloadChatExport({ id: 22322 })).resolves.toEqual({ location: 'https://files.example.com/exports/22322.zip?X-Amz-Signature=abc' });
    expect(fetch.seen).toHaveLength(1);
    expect(fetch.seen[0]?.url).toBe('https://api.pachca.com/api/shared/v1/chats/exports/22322');
  });

  it('resolves a relative Location against the request address', async () => {
    const fetch = scriptedFetch(redirect(302, { location: '/files/22322.zip' }));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    await expect(pachca.downloadChatExport({ id: 22322 })).resolves.toEqual({ location: 'https://api.pachca.com/files/22322.zip' });
  });

  it('refuses a redirect without a Location as an unexpected answer that names the operation and not the token', async () => {
    const fetch = scriptedFetch(redirect(302, {}));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    const error = await pachca.downloadChatExport({ id: 22322 }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect(error).toMatchObject({ operationId: 'downloadChatExport', status: 302 });
    expect(String((error as Error).message)).toContain('without a Location');
    expect(JSON.stringify(error) + String((error as Error).stack)).not.toContain(TOKEN);
  });

  it('refuses a Location that is not an HTTP address', async () => {
    const fetch = scriptedFetch(redirect(302, { location: 'javascript:alert(1)' }));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    await expect(pachca.downloadChatExport({ id: 22322 })).rejects.toBeInstanceOf(UnexpectedResponseError);
  });

  it('keeps a redirect of any other operation a RedirectError, unfollowed', async () => {
    const fetch = scriptedFetch(redirect(302, { location: 'https://elsewhere.example.com/chats/334' }));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    await expect(pachca.getChat({ id: 334 })).rejects.toBeInstanceOf(RedirectError);
    expect(fetch.seen).toHaveLength(1);
  });

  it('treats 304 Not Modified on the export as a RedirectError, since it points nowhere', async () => {
    const fetch = scriptedFetch(redirect(304, {}), json(200, {}));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    await expect(pachca.downloadChatExport({ id: 22322 })).rejects.toBeInstanceOf(RedirectError);
  });
});
