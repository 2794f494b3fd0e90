/**
 * The helpers check their own arguments at run time, for plain JavaScript callers that no type holds back: a
 * wrong argument is a `RequestValidationError` naming it, thrown before any request (the injected fetch sees
 * nothing), never a file named "undefined", a `content-type: undefined` header or a bare `TypeError` after a
 * request went out.
 */
import { describe, expect, it } from 'vitest';
import { RequestValidationError } from '../../src/core/index.js';
import {
  addMembers,
  createOkClient,
  createOkWebhookHandler,
  dispatchOkEvent,
  leave,
  removeMember,
  sendAttachment,
  sendAttachments,
  senderAction,
  sendText,
  sendToUser,
  sendToUsers,
  setIcon,
  setTitle,
} from '../../src/ok/index.js';
import { createMemoryDeliveryStore, createPachcaClient, createPachcaWebhookHandler, dispatchPachcaEvent, signPachcaWebhook, verifyPachcaWebhook } from '../../src/pachca/index.js';
import { createUnetAuth, createUnetClient } from '../../src/unet/index.js';
import { json, scriptedFetch } from './helpers.js';

const TOKEN = 'helper-token-1234567890';
const BASE = 'https://api.example.test/base';

/** Clients over a fetch that answers anything; a test asserts it saw nothing. */
function clients() {
  // A fresh answer per request: the upload tests read two of them.
  const fetch = scriptedFetch(() => json(200, { direct_url: `${BASE}/upload`, key: 'k/${filename}', url: `${BASE}/up`, token: 't' }));
  const common = { fetch, baseUrl: BASE, retry: { maxRetries: 0 } };
  const auth = createUnetAuth({ ...common, clientId: 'app', clientSecret: 'client-secret-1234', redirectUri: 'https://example.com/cb' });
  return {
    fetch,
    pachca: createPachcaClient({ ...common, token: TOKEN }),
    ok: createOkClient({ ...common, accessToken: TOKEN }),
    auth,
    unet: createUnetClient({ ...common, accessToken: TOKEN, resourceUri: BASE, auth }),
  };
}
type Clients = ReturnType<typeof clients>;

/** Runs a helper that may throw, return a promise or return an async iterable; returns what it threw. */
async function failure(run: () => unknown): Promise<unknown> {
  try {
    const result = run();
    if (result && typeof (result as AsyncIterable<unknown>)[Symbol.asyncIterator] === 'function') {
      for await (const _ of result as AsyncIterable<unknown>) void _;
    } else await result;
  } catch (error) {
    return error;
  }
  return undefined;
}

const bytes = new Uint8Array([1, 2, 3]);
const on = { message: () => undefined };
const never = <T>(value: unknown): T => value as T;

/** Each wrong call and the field its error must name. */
const CASES: readonly (readonly [string, (c: Clients) => unknown, string])[] = [
  // Pachca's upload.
  ['pachca.uploadFile(bytes)', (c) => c.pachca.uploadFile(never(bytes)), 'data'],
  ['pachca.uploadFile(undefined)', (c) => c.pachca.uploadFile(never(undefined)), 'input'],
  ['pachca.uploadFile without a name', (c) => c.pachca.uploadFile(never({ data: bytes, contentType: 'text/plain' })), 'name'],
  ['pachca.uploadFile without a content type', (c) => c.pachca.uploadFile(never({ data: bytes, name: 'a.txt' })), 'contentType'],
  ['pachca.uploadFile with a content type holding a line break', (c) => c.pachca.uploadFile({ data: bytes, name: 'a.txt', contentType: 'text/plain\r\nx-evil: 1' }), 'contentType'],
  ['pachca.uploadFile with a number as data', (c) => c.pachca.uploadFile(never({ data: 42, name: 'a.txt', contentType: 'text/plain' })), 'data'],
  ['pachca.uploadFile with an unknown file type', (c) => c.pachca.uploadFile(never({ data: bytes, name: 'a', contentType: 'text/plain', fileType: 'movie' })), 'fileType'],
  ['pachca.uploadFile with a width of NaN', (c) => c.pachca.uploadFile({ data: bytes, name: 'a.png', contentType: 'image/png', width: Number.NaN }), 'width'],
  ['pachca.uploadFile with options that are not an object', (c) => c.pachca.uploadFile({ data: bytes, name: 'a.txt', contentType: 'text/plain' }, never('fast')), 'options'],
  // Pachca's walks and poller.
  ['pachca.iterateChats("all")', (c) => c.pachca.iterateChats(never('all')), 'input'],
  ['pachca.pollWebhookEvents with handlers that are not an object', (c) => c.pachca.pollWebhookEvents(never({ on: 'log' })), 'on'],
  ['pachca.pollWebhookEvents with a handler that is not a function', (c) => c.pachca.pollWebhookEvents(never({ on: { message: 'log' } })), 'on.message'],
  ['pachca.pollWebhookEvents with a misspelt handler', (c) => c.pachca.pollWebhookEvents(never({ on: { messages: () => undefined } })), 'on.messages'],
  ['pachca.pollWebhookEvents with limit 0', (c) => c.pachca.pollWebhookEvents({ on, limit: 0 }), 'limit'],
  ['pachca.pollWebhookEvents with a signal that is not one', (c) => c.pachca.pollWebhookEvents(never({ on, signal: {} })), 'signal'],
  ['pachca.pollWebhookEvents with a clock without sleep', (c) => c.pachca.pollWebhookEvents(never({ on, clock: { now: () => 0 } })), 'clock.sleep'],
  // Pachca's webhook helpers.
  ['createPachcaWebhookHandler with handlers that are not an object', () => createPachcaWebhookHandler(never({ signingSecret: 'signing-secret-1', on: 'log' })), 'on'],
  ['createPachcaWebhookHandler with ackAfterMs NaN', () => createPachcaWebhookHandler({ signingSecret: 'signing-secret-1', on, ackAfterMs: Number.NaN }), 'ackAfterMs'],
  ['createPachcaWebhookHandler with a store without release', () => createPachcaWebhookHandler(never({ signingSecret: 'signing-secret-1', on, store: { claim: () => true } })), 'store.release'],
  ['verifyPachcaWebhook with a parsed body', () => verifyPachcaWebhook(never({ type: 'message' }), 'ab', { signingSecret: 'signing-secret-1' }), 'body'],
  ['verifyPachcaWebhook with a replay window of -1', () => verifyPachcaWebhook('{}', 'ab', { signingSecret: 'signing-secret-1', replayWindowMs: -1 }), 'replayWindowMs'],
  ['signPachcaWebhook with a BigInt in the body', () => signPachcaWebhook({ id: 1n }, 'signing-secret-1'), 'body.id'],
  // OK's helpers.
  ['ok.uploadFile({ data }) without a content type', (c) => c.ok.uploadFile(never({ data: bytes, type: 'FILE' })), 'contentType'],
  ['ok.uploadFile with an unknown type', (c) => c.ok.uploadFile(never({ data: bytes, type: 'PDF', contentType: 'application/pdf' })), 'type'],
  ['ok.uploadFile(bytes)', (c) => c.ok.uploadFile(never(bytes)), 'data'],
  ['ok.send(undefined)', (c) => c.ok.send(never(undefined)), 'body'],
  ['ok.send with a numeric chat id', (c) => c.ok.send(never({ recipient: { chat_id: 1 }, message: { text: 'x' } })), 'recipient.chat_id'],
  ['ok.iterateMessages without a chat', (c) => c.ok.iterateMessages(never({})), 'chat_id'],
  ['ok.iterateMessages with count NaN', (c) => c.ok.iterateMessages({ chat_id: 'chat:C1', count: Number.NaN }), 'count'],
  ['ok.iterateChats("all")', (c) => c.ok.iterateChats(never('all')), 'input'],
  ['ok.pollUpdates with an unknown event type', (c) => c.ok.pollUpdates(never({ on, types: ['MESSAGE_DELETED'] })), 'types[0]'],
  ['ok.pollUpdates with maxAttempts 0', (c) => c.ok.pollUpdates({ on, maxAttempts: 0 }), 'maxAttempts'],
  ['createOkWebhookHandler with a network that is not one', () => createOkWebhookHandler({ on, sourceNetworks: ['10.0.0.0/99'] }), 'sourceNetworks[0]'],
  ['createOkWebhookHandler with proxies as a string', () => createOkWebhookHandler(never({ on, trustedProxies: '10.0.0.1' })), 'trustedProxies'],
  // OK's builders.
  ['sendText(42, "x")', () => sendText(never(42), 'x'), 'to'],
  ['sendText("chat:C1", 42)', () => sendText('chat:C1', never(42)), 'message.text'],
  ['sendText with extras that are not an object', () => sendText('chat:C1', 'x', never('reply')), 'extras'],
  ['sendAttachment without an attachment', () => sendAttachment('chat:C1', never(undefined)), 'message.attachment'],
  ['sendAttachments with a string', () => sendAttachments('chat:C1', never('a')), 'message.attachments'],
  ['sendToUsers with a string', () => sendToUsers(never('user:1'), 'x'), 'recipient.user_ids'],
  ['sendToUsers with a numeric id', () => sendToUsers(never([1]), 'x'), 'recipient.user_ids[0]'],
  ['sendToUser without a message', () => sendToUser('user:1', never(undefined)), 'message'],
  ['setTitle with a number', () => setTitle('chat:C1', never(1)), 'chat_control.title'],
  ['setIcon without a URL', () => setIcon('chat:C1', never(undefined)), 'chat_control.icon.url'],
  ['addMembers with a string', () => addMembers('chat:C1', never('user:1')), 'chat_control.add_members'],
  ['removeMember with a number', () => removeMember('chat:C1', never(5)), 'chat_control.remove_member.user_id'],
  ['leave with a number', () => leave(never(5)), 'recipient.chat_id'],
  ['senderAction without an action', () => senderAction('chat:C1', never(undefined)), 'sender_action'],
  // uNet's auth helpers and client.
  ['auth.authorizeUrl without a state', (c) => c.auth.authorizeUrl(never({ scope: 'messages_read' })), 'state'],
  ['auth.authorizeUrl with a numeric scope', (c) => c.auth.authorizeUrl(never({ scope: [1], state: 's' })), 'scope[0]'],
  ['auth.codeFromRedirect with a relative URL', (c) => c.auth.codeFromRedirect('/cb?code=1&state=s', 's'), 'redirectUrl'],
  ['auth.codeFromRedirect without an expected state', (c) => c.auth.codeFromRedirect('https://example.com/cb?code=1', never(undefined)), 'expectedState'],
  ['auth.exchangeCode(undefined)', (c) => c.auth.exchangeCode(never(undefined)), 'code'],
  ['auth.refresh(42)', (c) => c.auth.refresh(never(42)), 'refreshToken'],
  ['auth.tokenProperties("")', (c) => c.auth.tokenProperties(''), 'accessToken'],
  ['createUnetAuth without a redirect URI', () => createUnetAuth(never({ clientId: 'app', clientSecret: 'client-secret-1234' })), 'redirectUri'],
  ['createUnetClient with onTokens that is not a function', () => createUnetClient(never({ accessToken: TOKEN, resourceUri: BASE, onTokens: 'save' })), 'onTokens'],
  ['unet.iterateMessages("chat")', (c) => c.unet.iterateMessages(never('chat')), 'input'],
  // Client options, retry policies, delivery stores and event dispatch.
  ['createPachcaClient({ timeoutMS })', () => createPachcaClient(never({ token: TOKEN, timeoutMS: 1 })), 'timeoutMS'],
  ['createOkClient with a misspelt retry option', () => createOkClient(never({ accessToken: TOKEN, retry: { maxRetry: 2 } })), 'retry.maxRetry'],
  ['createUnetClient with maxRetries -1', () => createUnetClient({ accessToken: TOKEN, resourceUri: BASE, retry: { maxRetries: -1 } }), 'retry.maxRetries'],
  ['createPachcaClient with a retry status of 99', () => createPachcaClient({ token: TOKEN, retry: { retryStatuses: [99] } }), 'retry.retryStatuses[0]'],
  ['createUnetAuth with onLog that is not a function', () => createUnetAuth(never({ clientId: 'a', clientSecret: 'client-secret-1234', redirectUri: 'https://e.com', onLog: 'console' })), 'onLog'],
  ['createPachcaClient("token")', () => createPachcaClient(never(TOKEN)), 'options'],
  ['createMemoryDeliveryStore({ maxEntries: 0 })', () => createMemoryDeliveryStore({ maxEntries: 0 }), 'maxEntries'],
  ['dispatchPachcaEvent without handlers', () => dispatchPachcaEvent(never({ type: 'message', event: 'new' }), never(undefined)), 'on'],
  ['dispatchOkEvent with a handler that is not a function', () => dispatchOkEvent(never({ webhookType: 'MESSAGE_CALLBACK', callbackId: 'c' }), never({ callback: 1 })), 'on.callback'],
];

describe('helpers refuse a wrong argument before any request', () => {
  it.each(CASES.map((entry) => [entry[0], entry] as const))('%s', async (_name, [, run, field]) => {
    const c = clients();
    const error = await failure(() => run(c));
    expect(error).toBeInstanceOf(RequestValidationError);
    expect((error as RequestValidationError).field).toBe(field);
    expect(String(error)).not.toContain(TOKEN);
    expect(c.fetch.seen).toEqual([]);
  });

  it('still uploads what the types allow: a Pachca file, an OK file, each with its content type', async () => {
    const c = clients();
    const entry = await c.pachca.uploadFile({ data: bytes, name: 'a.txt', contentType: 'text/plain' });
    expect(entry).toEqual({ key: 'k/a.txt', name: 'a.txt', file_type: 'file', size: 3 });
    const attachment = await c.ok.uploadFile({ data: bytes, type: 'FILE', contentType: 'application/pdf' });
    expect(attachment).toEqual({ type: 'FILE', payload: { token: 't' } });
    // The multipart request's type (with its boundary) is left to the runtime; the file keeps its name.
    expect(c.fetch.seen.map((request) => request.headers.get('content-type') ?? undefined)).toEqual([undefined, undefined, undefined, 'application/pdf']);
    expect(((c.fetch.seen[1]?.body as FormData).get('file') as File).name).toBe('a.txt');
  });
});
