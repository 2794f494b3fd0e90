/**
 * The permission check and the 403 that names its scope: the operation table's scopes come from the specs
 * (Pachca's `x-scope`, uNet's OAuth 2 requirements), `checkAccess` compares them with the token's, and
 * `describeAccess` prints the result.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { operationTable as pachcaTable } from '../../generated/pachca.js';
import { operationTable as unetTable } from '../../generated/unet.js';
import { operationTable as okTable } from '../../generated/ok.js';
import { bundleApi, listApis, repoRoot } from '../../scripts/lib/apis.js';
import { extractOperations } from '../../scripts/lib/operations.js';
import { describeAccess, PermissionDeniedError, RequestValidationError, UnexpectedResponseError } from '../../src/core/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetClient } from '../../src/unet/index.js';
import { json, scriptedFetch } from './helpers.js';

const TOKEN = 'tok-access-check-0123';
const tokenInfo = (scopes: string[]) => ({
  data: { id: 1, token: 'tok…123', name: 'bot', user_id: 2, scopes, created_at: '2026-08-01T00:00:00.000Z', revoked_at: null, expires_in: null, last_used_at: null },
});

describe('the operation table', () => {
  it("carries every Pachca operation's x-scope, and none where the spec names none", async () => {
    const api = (await listApis()).find((candidate) => candidate.name === 'pachca');
    const doc = await bundleApi(api as NonNullable<typeof api>);
    const declared: Record<string, string | undefined> = {};
    for (const item of Object.values(doc.paths ?? {})) {
      for (const operation of Object.values(item as Record<string, { operationId?: string; 'x-scope'?: string }>)) {
        if (operation?.operationId) declared[operation.operationId] = operation['x-scope'];
      }
    }
    const table = Object.fromEntries(Object.entries(pachcaTable).map(([id, entry]) => [id, (entry as { scope?: string }).scope]));
    expect(table).toEqual(declared);
    expect(Object.values(table).filter((scope) => scope === undefined)).toHaveLength(2);
    expect(pachcaTable.createMessage.scope).toBe('messages:create');
  });

  it("carries uNet's OAuth 2 scopes and nothing for OK, whose documents name no permission per operation", () => {
    expect(unetTable.addMessage.scope).toBe('messages_write');
    expect(unetTable.listMessages.scope).toBe('messages_read');
    expect('scope' in unetTable.getTokenProperties).toBe(false);
    expect(Object.values(okTable).some((entry) => 'scope' in entry)).toBe(false);
  });

  it('refuses an operation that names two scopes, or two different ones', () => {
    const doc = (operation: Record<string, unknown>) => ({ openapi: '3.1.0', paths: { '/x': { get: { operationId: 'x', responses: { '200': { description: 'ok' } }, ...operation } } } });
    expect(() => extractOperations(doc({ security: [{ OAuth2: ['a', 'b'] }] }) as never)).toThrow('x names more than one scope (a, b)');
    expect(() => extractOperations(doc({ 'x-scope': 'a', security: [{ OAuth2: ['b'] }] }) as never)).toThrow('more than one scope');
    expect(extractOperations(doc({ 'x-scope': 'a', security: [{ OAuth2: ['a'] }] }) as never).x?.scope).toBe('a');
  });
});

describe('a 403', () => {
  it('names the scope the operation needs, as a field and in the message, with the role hint for insufficient_scope', async () => {
    const body = { error: 'insufficient_scope', error_description: 'The access token does not have the required scope' };
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(403, body)) });
    const error = (await pachca.listUsers().catch((caught: unknown) => caught)) as PermissionDeniedError;
    expect(error).toBeInstanceOf(PermissionDeniedError);
    expect(error.scope).toBe('users:read');
    expect(error.message).toBe(
      'GET https://api.pachca.com/api/shared/v1/users (listUsers) failed with 403: insufficient_scope: The access token does not have the required scope; ' +
        "the operation needs the scope users:read; Pachca checks a token's scopes against its owner's current role on every request, so this refusal " +
        "can come for a token that holds the scope: check the owner's role as well as the token's scopes (checkAccess lists them)",
    );
  });

  it('names the scope without the role hint when a business rule refused it', async () => {
    const body = { errors: [{ key: 'message', value: null, code: 'forbidden', message: 'Only the author may edit it', payload: null }] };
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(403, body)) });
    const error = (await pachca.updateMessage({ id: 1, body: { message: { content: 'x' } } }).catch((caught: unknown) => caught)) as PermissionDeniedError;
    expect(error.scope).toBe('messages:update');
    expect(error.message).toBe(
      'PUT https://api.pachca.com/api/shared/v1/messages/1 (updateMessage) failed with 403: message: Only the author may edit it (forbidden); the operation needs the scope messages:update',
    );
  });

  it("names uNet's OAuth 2 scope", async () => {
    const unet = createUnetClient({ accessToken: 'unet-token-0123', resourceUri: 'https://u1.unet.test/api/', fetch: scriptedFetch(json(403, { error: 'insufficient_scope', error_description: 'no' })) });
    const error = (await unet.addMessage({ q: { chat_id: 1, message: 'x' } }).catch((caught: unknown) => caught)) as PermissionDeniedError;
    expect(error.scope).toBe('messages_write');
    expect(error.message).toContain('the operation needs the scope messages_write');
    expect(error.message).not.toContain('role');
  });
});

describe('checkAccess on the Pachca client', () => {
  it("reads the token's scopes and reports each operation's scope and whether the token holds it", async () => {
    const fetch = scriptedFetch(json(200, tokenInfo(['messages:create', 'chats:read'])));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    const report = await pachca.checkAccess(['createMessage', 'listChats', 'listUsers', 'getTokenInfo']);
    expect(fetch.seen.map((request) => new URL(request.url).pathname)).toEqual(['/api/shared/v1/oauth/token/info']);
    expect(report.operations).toEqual([
      { operationId: 'createMessage', scope: 'messages:create', granted: true },
      { operationId: 'listChats', scope: 'chats:read', granted: true },
      { operationId: 'listUsers', scope: 'users:read', granted: false },
      { operationId: 'getTokenInfo', scope: undefined, granted: true },
    ]);
    expect(report.missingScopes).toEqual(['users:read']);
    expect(report.allGranted).toBe(false);
    expect(report.tokenScopes).toEqual(['messages:create', 'chats:read']);
    expect(describeAccess(report)).toBe(
      [
        'Access check: 3 of 4 operation(s) covered by the token\'s scopes; missing: users:read',
        '  createMessage  messages:create  granted',
        '  listChats      chats:read       granted',
        '  listUsers      users:read       MISSING',
        '  getTokenInfo   (none needed)    granted',
        'Token scopes: messages:create, chats:read',
        "Note: Pachca checks a token's scopes against its owner's current role on every request, so an operation marked granted can still be refused with insufficient_scope when the role does not allow it.",
      ].join('\n'),
    );
  });

  it('prints the report the README shows', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(200, tokenInfo(['messages:read', 'messages:create']))) });
    const report = await pachca.checkAccess(['createMessage', 'listChatMessages', 'openView']);
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    expect(readme).toContain(`\n${describeAccess(report)}\n`);
  });

  it('turns a token answer without scopes into an UnexpectedResponseError', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(200, { data: { id: 1 } })) });
    const error = await pachca.checkAccess(['createMessage']).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnexpectedResponseError);
    expect((error as Error).message).toContain('getTokenInfo');
  });

  it('checks every operation when given none', async () => {
    const pachca = createPachcaClient({ token: TOKEN, fetch: scriptedFetch(json(200, tokenInfo([]))) });
    const report = await pachca.checkAccess();
    expect(report.operations.map((access) => access.operationId)).toEqual(Object.keys(pachcaTable));
    expect(report.missingScopes).toHaveLength(new Set(Object.values(pachcaTable).map((entry) => (entry as { scope?: string }).scope).filter(Boolean)).size);
  });

  it('refuses an unknown operation before asking the server', async () => {
    const fetch = scriptedFetch(json(200, tokenInfo([])));
    const pachca = createPachcaClient({ token: TOKEN, fetch });
    const error = await pachca.checkAccess(['createMessage', 'sendMessage' as never]).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as Error).message).toBe('operationIds[1]: sendMessage is not an operation of this client; nothing was sent');
    await expect(pachca.checkAccess('createMessage' as never)).rejects.toThrow('operationIds: must be an array of operation ids');
    expect(fetch.seen).toHaveLength(0);
  });
});

describe('checkAccess on the uNet client', () => {
  it("compares with the token set's granted scopes", async () => {
    const unet = createUnetClient({ tokens: { accessToken: 'unet-token-0123', resourceUri: 'https://u1.unet.test/api/', scope: ['messages_read'] }, fetch: scriptedFetch() });
    const report = await unet.checkAccess(['listMessages', 'addMessage']);
    expect(report.operations).toEqual([
      { operationId: 'listMessages', scope: 'messages_read', granted: true },
      { operationId: 'addMessage', scope: 'messages_write', granted: false },
    ]);
    expect(report.notes).toEqual([]);
  });

  it('says the scopes are unknown when the client was given a bare access token', async () => {
    const unet = createUnetClient({ accessToken: 'unet-token-0123', resourceUri: 'https://u1.unet.test/api/', fetch: scriptedFetch() });
    const report = await unet.checkAccess();
    expect(report.operations.map((access) => access.granted)).toEqual([undefined, undefined, undefined, undefined, undefined, undefined]);
    expect(report.allGranted).toBe(false);
    expect(describeAccess(report).split('\n')[0]).toBe("Access check: the token's scopes are unknown; 6 operation(s) listed with the scope each needs");
    expect(describeAccess(report)).toContain('  addMessage     messages_write  unknown');
    expect(describeAccess(report)).toContain('Note: the client holds no granted scopes');
  });
});
