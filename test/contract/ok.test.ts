/**
 * The OK client against a Prism mock started from specs/ok: every operation, every POST variant (the documents'
 * examples as they are, and the builders' bodies), bodies mixing two variants, and errors answered with 200.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, inject, it } from 'vitest';
import { BadRequestError, HttpError } from '../../src/core/index.js';
import {
  addMembers,
  createOkClient,
  leave,
  OkApiError,
  parseServiceMessage,
  removeMember,
  sendAttachment,
  sendAttachments,
  senderAction,
  sendText,
  sendToUser,
  sendToUsers,
  setIcon,
  setTitle,
  type OkClient,
  type OkSendRequest,
} from '../../src/ok/index.js';
import { mockOf } from './harness.js';

const TOKEN = 'tkn18YdUJZe:CQABPOJKAKEKEKEKE';
const CHAT = 'chat:C3ecb9d02a600';

let mock: { url: string; fetch: typeof fetch };
let ok: OkClient;
const sentUrls: string[] = [];

beforeAll(async () => {
  mock = await mockOf('ok');
  ok = createOkClient({
    accessToken: TOKEN,
    baseUrl: mock.url,
    fetch: (input, init) => {
      sentUrls.push(String(input));
      return mock.fetch(input, init);
    },
  });
});

interface SpecExamples {
  paths: Record<string, Record<string, { requestBody?: { content: Record<string, { examples?: Record<string, { value: unknown }> }> } }>>;
}

function requestExamples(path: string, method: string): [string, unknown][] {
  const spec = JSON.parse(readFileSync(inject('mocks').ok?.specPath ?? '', 'utf8')) as SpecExamples;
  const content = spec.paths[path]?.[method]?.requestBody?.content ?? {};
  return Object.values(content).flatMap((media) => Object.entries(media.examples ?? {}).map(([name, example]) => [name, example.value] as [string, unknown]));
}

describe('reading', () => {
  it('reads a chat with the chat in the path, keeping every digit of seq and timestamp', async () => {
    const page = await ok.listMessages({ chat_id: CHAT, from: '1498581292941', to: '1498577000197', count: 2 });
    expect(page.messages[0]?.message).toEqual({ text: 'text', seq: '98211023614189660', mid: 'mid:C3ecb9d02a600.15cea67d78d2059' });
    expect(page.messages[0]?.timestamp).toBe('1498581292941');
    expect(page.messages[1]?.message.attachments).toEqual([{ type: 'SHARE', payload: { url: 'https://ya.ru/' } }]);
    // The token travels in the query, and the chat id keeps its colon.
    expect(sentUrls.at(-1)).toContain(`/me/messages/${CHAT}?`);
    expect(sentUrls.at(-1)).toContain(`access_token=${encodeURIComponent(TOKEN)}`);
  });

  it('reads a chat with the chat in the query', async () => {
    const page = await ok.listMessagesByQuery({ chat_id: CHAT, count: 2 });
    expect(page.messages).toHaveLength(2);
  });

  it('reads a chat through the chat node', async () => {
    const page = await ok.listChatMessages({ chat_id: CHAT });
    expect(page.messages[1]?.message.seq).toBe('98211018056672380');
  });

  it('iterates over a chat’s history', async () => {
    const mids: string[] = [];
    for await (const envelope of ok.iterateMessages({ chat_id: CHAT })) mids.push(envelope.message.mid);
    expect(mids).toEqual(['mid:C3ecb9d02a600.15cea67d78d2059', 'mid:C3ecb9d02a600.15cea668c4c2481']);
  });

  it('turns the documented service message into a user-left event', async () => {
    const page = await ok.listMessages({ chat_id: CHAT }, { headers: { Prefer: 'example=serviceMessage' } });
    const [envelope] = page.messages;
    if (!envelope) throw new Error('no message');
    expect(parseServiceMessage(envelope)).toEqual({ kind: 'userLeft', action: 'EXIT', userId: 'user:1234567890123' });
  });

  it('lists and iterates chats, with participants’ times as exact strings', async () => {
    const page = await ok.listChats({ count: 10 });
    expect(page.chats[0]?.participants).toEqual({ 'user:123456789012': '1498581292941', 'user:123456789021': '1498577000197' });
    const ids: string[] = [];
    for await (const chat of ok.iterateChats({ count: 10 })) ids.push(chat.chat_id);
    expect(ids).toEqual([CHAT]);
  });

  it('gets one chat', async () => {
    expect((await ok.getChat({ chat_id: CHAT })).type).toBe('DIALOG');
  });

  it('gets one chat with the chat in the query', async () => {
    expect((await ok.getChatByQuery({ chat_id: CHAT })).chat_id).toBe(CHAT);
    expect(sentUrls.at(-1)).toContain(`/me/chat?chat_id=${encodeURIComponent(CHAT)}`);
  });

  it('gets a chat’s web address', async () => {
    expect(await ok.getChatUrl({ chat_id: CHAT })).toEqual({ url: 'https://ok.ru/messages/g71001234567890' });
    expect(sentUrls.at(-1)).toContain(`/${CHAT}/url?`);
  });

  it('reads from and to given as numbers', async () => {
    const page = await ok.listMessages({ chat_id: CHAT, from: 1498581292941, to: 1498577000197 });
    expect(page.messages).toHaveLength(2);
    expect(sentUrls.at(-1)).toContain('from=1498581292941&to=1498577000197');
  });

  it('describes the group', async () => {
    expect(await ok.getInfo()).toEqual({ name: 'Наша группа', group_id: 'group:12345678901234' });
  });
});

describe('sending', () => {
  const builders: [string, OkSendRequest][] = [
    ['sendText to a chat', sendText(CHAT, 'Привет')],
    ['sendText to a user', sendText('user:123456789012', 'Привет', { replyTo: 'mid:C3ecb9d02a600.15cea67d78d2059' })],
    ['sendAttachment', sendAttachment(CHAT, { type: 'IMAGE', payload: { url: 'https://st.mycdn.me/res/i/ok_logo.png' } })],
    ['sendAttachments', sendAttachments(CHAT, [{ type: 'FILE', payload: { token: 'a' } }, { type: 'VIDEO', payload: { token: 'b' } }], 'Файлы')],
    ['setTitle', setTitle(CHAT, 'Наш уютный чатик')],
    ['setIcon', setIcon(CHAT, 'https://and.su/tamtam/icon128.png')],
    ['addMembers', addMembers(CHAT, ['user:123456789012', 'user:123456789021'])],
    ['removeMember', removeMember(CHAT, 'user:123456789012')],
    ['leave', leave(CHAT)],
    ['senderAction', senderAction(CHAT, 'typing_on')],
    ['sendToUser', sendToUser('210987654321', 'Hello')],
    ['sendToUsers', sendToUsers(['user:123456789012', '210987654321'], 'Hello')],
  ];

  it.each(builders)('%s builds a body the mock accepts', async (_name, body) => {
    await expect(ok.send(body)).resolves.toBeDefined();
  });

  it('returns per-user results for a mass send', async () => {
    expect(await ok.send(sendToUsers(['user:123456789012', '210987654321'], 'Hello'))).toEqual({
      success: [true, false],
      chat_ids: ['chat:C401b13206b00', null],
    });
  });

  it.each(requestExamples('/me/messages/{chat_id}', 'post'))('accepts the document’s %s example as it is', async (_name, example) => {
    const result = await ok.raw.POST('/me/messages/{chat_id}', { params: { path: { chat_id: CHAT } }, body: example as OkSendRequest });
    expect(result.response.status).toBe(200);
  });

  it.each(requestExamples('/me/messages', 'post'))('accepts the %s example without a chat in the path', async (_name, example) => {
    const result = await ok.raw.POST('/me/messages', { body: example as never });
    expect(result.response.status).toBe(200);
  });

  const mixed: [string, unknown][] = [
    ['a message and a chat change', { recipient: { chat_id: CHAT }, message: { text: 'x' }, chat_control: { title: 'y' } }],
    ['a message and a sender action', { recipient: { chat_id: CHAT }, message: { text: 'x' }, sender_action: 'mark_seen' }],
    ['two chat changes', { recipient: { chat_id: CHAT }, chat_control: { title: 'y', icon: { url: 'https://x/i.png' } } }],
    ['a chat and a user as recipient', { recipient: { chat_id: CHAT, user_id: 'user:1' }, message: { text: 'x' } }],
    ['one attachment and a list of them', { recipient: { chat_id: CHAT }, message: { attachment: { type: 'IMAGE', payload: { url: 'u' } }, attachments: [] } }],
    ['six attachments', { recipient: { chat_id: CHAT }, message: { attachments: Array.from({ length: 6 }, () => ({ type: 'FILE', payload: { token: 't' } })) } }],
    ['leave as a boolean', { recipient: { chat_id: CHAT }, chat_control: { leave: true } }],
    ['an unknown sender action', { recipient: { chat_id: CHAT }, sender_action: 'dancing' }],
  ];

  it.each(mixed)('rejects a body with %s', async (_name, body) => {
    // The client's own checks refuse some of these before sending; off, the mock is what judges them.
    const unchecked = createOkClient({ accessToken: TOKEN, baseUrl: mock.url, fetch: mock.fetch, checkRequests: false });
    const result = await unchecked.raw.POST('/me/messages/{chat_id}', { params: { path: { chat_id: CHAT } }, body: body as OkSendRequest });
    expect(result.response.status).toBe(422);
    expect(result.response.headers.get('sl-violations')).toBeTruthy();
  });

  it('answers a callback button press', async () => {
    await expect(ok.answerCallback({ chat_id: CHAT, callbackId: 'someCallbackId', body: { message: { text: 'Заказ принят' } } })).resolves.toEqual({ success: true });
    expect(sentUrls.at(-1)).toContain('callbackId=someCallbackId');
  });

  it('fetches long-polling updates with seq and timestamp exact', async () => {
    const updates = await ok.getUpdates();
    expect(Array.isArray(updates) && updates[0]).toMatchObject({ webhookType: 'MESSAGE_CREATED', timestamp: '1498581300000' });
  });

  it('shows a chat action with an upper-case type', async () => {
    await expect(ok.chatAction({ chat_id: CHAT, body: { type: 'TYPING_ON' } })).resolves.toEqual({ success: true });
  });

  it('serves the POST document’s own mass-send answer', async () => {
    const answer = await ok.sendUserMessage(
      { body: { recipient: { user_ids: ['user:123456789012', '210987654321'] }, message: { text: 'Hello' } } },
      { headers: { Prefer: 'example=massSendDocument' } },
    );
    expect(answer).toEqual({ success: [false, false] });
  });

  it('sends through the chat node', async () => {
    expect(await ok.sendChatMessage({ chat_id: CHAT, body: { message: { text: 'Привет' } } })).toEqual({ success: true });
  });
});

/** A client whose fetch records every URL it sends to. */
function spyingUploader() {
  const seen: string[] = [];
  const uploader = createOkClient({
    accessToken: TOKEN,
    baseUrl: mock.url,
    fetch: (input, init) => {
      seen.push(String(input));
      return mock.fetch(input, init);
    },
  });
  return { seen, uploader };
}

describe('uploads and webhooks', () => {
  it('uploads an image in two steps and returns the attachment with the upload’s token', async () => {
    const { seen, uploader } = spyingUploader();
    const attachment = await uploader.uploadFile({ data: new Uint8Array([137, 80, 78, 71]), type: 'IMAGE', contentType: 'image/png' });
    expect(attachment).toEqual({ type: 'IMAGE', payload: { token: 'imageTokenString' } });
    expect(seen[1]).toMatch(/^https:\/\/fu\.mycdn\.me\/api\/upload\.do\?sig=/);
    expect(seen[1]).not.toContain('access_token');
    await expect(uploader.send(sendAttachment(CHAT, attachment))).resolves.toEqual({ success: true });
  });

  it('calls uploadFileContent as a typed method, at the upload host the spec names, without the token', async () => {
    const { seen, uploader } = spyingUploader();
    const stored = await uploader.uploadFileContent({ body: new Blob(['hello']) }, { headers: { 'content-type': 'application/octet-stream' } });
    expect(stored).toBeDefined();
    expect(seen).toEqual(['https://fu.mycdn.me/api/upload.do']);
  });

  it.each([
    ['a PDF as FILE', 'FILE', 'application/pdf'],
    ['an MP4 as VIDEO', 'VIDEO', 'video/mp4'],
  ] as const)('uploads %s with its own content type', async (_name, type, contentType) => {
    const attachment = await ok.uploadFile({ data: new Uint8Array([37, 80, 68, 70]), type, contentType });
    expect(attachment).toEqual({ type, payload: { token: 'tokenString' } });
  });

  it('uses the upload URL’s token for other files', async () => {
    expect(await ok.uploadFile({ data: 'report', type: 'FILE', contentType: 'application/octet-stream' })).toEqual({ type: 'FILE', payload: { token: 'tokenString' } });
  });

  it('subscribes a webhook and for long polling, lists and removes webhooks', async () => {
    await expect(ok.subscribe({ body: { url: 'https://example.com/ok/webhook' } })).resolves.toEqual({ success: true });
    await expect(ok.subscribe({ body: { types: ['MESSAGE_CREATED'], longPolling: true } })).resolves.toEqual({ success: true });
    expect(await ok.listSubscriptions()).toEqual({ subscriptions: [{ time: '1498577751487', url: 'https://example.com/ok/webhook' }] });
    await expect(ok.unsubscribe({ body: { url: 'https://example.com/ok/webhook' } })).resolves.toEqual({ success: true });
  });
});

describe('errors', () => {
  it('throws an OkApiError for an error body answered with 200, without the token', async () => {
    const error = await ok.getInfo({}, { headers: { Prefer: 'example=error' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OkApiError);
    expect(error).toMatchObject({ status: 200, errorCode: 102, errorName: 'PARAM_SESSION_EXPIRED', errorData: null });
    expect((error as OkApiError).url).toContain('access_token=[REDACTED]');
    expect(JSON.stringify(error)).not.toContain('CQABPOJ');
    expect((error as Error).message).not.toContain('CQABPOJ');
  });

  it('returns the error body in the raw style for an error answered with 200', async () => {
    const result = await ok.raw.GET('/me/info', { headers: { Prefer: 'example=error' } });
    expect(result.data).toBeUndefined();
    expect(result.error).toEqual({ error_code: 102, error_msg: 'PARAM_SESSION_EXPIRED : Session expired', error_data: null });
  });

  it('throws the status error for an error body with a 4xx status', async () => {
    const error = await ok.getInfo({}, { headers: { Prefer: 'code=400' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as HttpError).body).toMatchObject({ error_code: 10 });
  });

  it('is refused by the mock without a token', async () => {
    expect((await mock.fetch(`${mock.url}/me/info`)).status).toBe(401);
  });
});
