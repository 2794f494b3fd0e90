/**
 * The in-process fake of /testing keeps state for what a bot does most, checks every request against the spec,
 * and records every call with credentials redacted.
 */
import { describe, expect, it } from 'vitest';
import { NotFoundError, RequestValidationError, UnprocessableEntityError } from '../../src/core/index.js';
import { createOkClient, sendText, setTitle } from '../../src/ok/index.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createUnetClient } from '../../src/unet/index.js';
import { createFakeApi, FakeAssertionError, UnmockedRequestError } from '../../src/testing/index.js';

const TOKEN = 'fake-test-token-5d1e';

async function pachcaFake() {
  const fake = await createFakeApi('pachca');
  return { fake, pachca: createPachcaClient({ token: TOKEN, ...fake.clientOptions }) };
}

describe('Pachca state', () => {
  it('creates a message that can then be fetched, listed in its chat, edited and deleted, with fresh ids', async () => {
    const { pachca } = await pachcaFake();
    const first = (await pachca.createMessage({ body: { message: { entity_id: 334, content: 'Отчёт готов' } } })).data;
    const second = (await pachca.createMessage({ body: { message: { entity_id: 334, content: 'Ещё один' } } })).data;
    expect(first).toMatchObject({ entity_type: 'discussion', entity_id: 334, chat_id: 334, content: 'Отчёт готов', thread: null });
    expect(new Set([first.id, second.id, 194275]).size).toBe(3);
    expect((await pachca.getMessage({ id: first.id })).data.content).toBe('Отчёт готов');
    await pachca.updateMessage({ id: first.id, body: { message: { content: 'Отчёт обновлён' } } });
    const listed: string[] = [];
    for await (const message of pachca.iterateChatMessages({ chat_id: 334, limit: 1 })) listed.push(`${message.id}:${message.content}`);
    // Newest first, a page at a time; the example message of the spec is there from the start.
    expect(listed).toEqual([`${second.id}:Ещё один`, `${first.id}:Отчёт обновлён`, expect.stringMatching(/^194275:/)]);
    await pachca.deleteMessage({ id: first.id });
    await expect(pachca.getMessage({ id: first.id })).rejects.toMatchObject({ name: 'NotFoundError', status: 404 });
    await expect(pachca.deleteMessage({ id: first.id })).rejects.toBeInstanceOf(NotFoundError);
  });

  it('keeps reactions per message, and a thread whose chat takes messages', async () => {
    const { pachca } = await pachcaFake();
    const { id } = (await pachca.createMessage({ body: { message: { entity_id: 334, content: 'Голосуем' } } })).data;
    await pachca.addReaction({ id, body: { code: '👍' } });
    await pachca.addReaction({ id, body: { code: '🔥' } });
    await pachca.removeReaction({ id, code: '👍' });
    expect((await pachca.listReactions({ id })).data.map((reaction) => reaction.code)).toEqual(['🔥']);
    const thread = (await pachca.createThread({ id })).data;
    // The thread's ids are int64: they arrive as exact strings, and asking again gives the same thread.
    expect(thread).toMatchObject({ id: expect.stringMatching(/^\d+$/), chat_id: expect.stringMatching(/^\d{10}$/), message_id: String(id) });
    expect((await pachca.createThread({ id })).data.id).toBe(thread.id);
    expect((await pachca.getMessage({ id })).data.thread).toEqual({ id: thread.id, chat_id: thread.chat_id });
    const reply = (await pachca.createMessage({ body: { message: { entity_type: 'thread', entity_id: Number(thread.id), content: 'В треде' } } })).data;
    expect(reply).toMatchObject({ entity_type: 'thread', entity_id: Number(thread.id), content: 'В треде' });
    expect(String((await pachca.getMessage({ id: reply.id })).data.chat_id)).toBe(thread.chat_id);
    expect((await pachca.getThread({ id: Number(thread.id) })).data.message_id).toBe(String(id));
  });

  it('keeps chats and their members with roles', async () => {
    const { pachca } = await pachcaFake();
    const chat = (await pachca.createChat({ body: { chat: { name: 'Релиз', member_ids: [186] } } })).data;
    expect(chat).toMatchObject({ name: 'Релиз', member_ids: [185, 186], archived: false });
    await pachca.updateChat({ id: chat.id, body: { chat: { name: 'Релиз 2.0' } } });
    await pachca.addChatMembers({ id: chat.id, body: { member_ids: [187, 188] } });
    await pachca.updateChatMemberRole({ id: chat.id, user_id: 187, body: { role: 'admin' } });
    await pachca.removeChatMember({ id: chat.id, user_id: 186 });
    const members: number[] = [];
    for await (const user of pachca.iterateChatMembers({ id: chat.id })) members.push(user.id);
    expect(members).toEqual([185, 187, 188]);
    expect((await pachca.listChatMembers({ id: chat.id, role: 'admin' })).data.map((user) => user.id)).toEqual([187]);
    await pachca.archiveChat({ id: chat.id });
    expect((await pachca.getChat({ id: chat.id })).data).toMatchObject({ name: 'Релиз 2.0', archived: true, member_ids: [185, 187, 188] });
    const archived: number[] = [];
    for await (const found of pachca.iterateChats({ archived: true })) archived.push(found.id);
    expect(archived).toEqual([chat.id]);
    await expect(pachca.createMessage({ body: { message: { entity_id: 999_999, content: 'x' } } })).rejects.toMatchObject({
      status: 404,
      body: { errors: [{ key: 'message.entity_id', code: 'not_found' }] },
    });
  });

  it('uploads a file to its own upload host, in process, and answers the rest from the spec’s examples', async () => {
    const { fake, pachca } = await pachcaFake();
    const file = await pachca.uploadFile({ data: 'Sales', name: 'report.txt', contentType: 'text/plain' });
    expect(file).toMatchObject({ name: 'report.txt', size: 5, file_type: 'file', key: expect.stringMatching(/\/report\.txt$/) });
    const upload = fake.expectSent('directUpload');
    expect(upload.headers.authorization).toBeUndefined();
    expect((upload.body as { file: File }).file.name).toBe('report.txt');
    expect((await pachca.getTokenInfo()).data).toMatchObject({ id: '4827', user_id: '185' });
  });

  it('writes to a user in one direct chat, made on the first message', async () => {
    const { pachca } = await pachcaFake();
    const first = (await pachca.createMessage({ body: { message: { entity_type: 'user', entity_id: 186, content: 'Привет' } } })).data;
    const second = (await pachca.createMessage({ body: { message: { entity_type: 'user', entity_id: 186, content: 'Ещё' } } })).data;
    const other = (await pachca.createMessage({ body: { message: { entity_type: 'user', entity_id: 187, content: 'Привет' } } })).data;
    expect(second.chat_id).toBe(first.chat_id);
    expect(other.chat_id).not.toBe(first.chat_id);
    expect((await pachca.listChatMessages({ chat_id: first.chat_id })).data.map((message) => message.content)).toEqual(['Ещё', 'Привет']);
  });

  it('refuses options it cannot honour', async () => {
    await expect(createFakeApi('pachca', { stateful: 'no' as never })).rejects.toThrow('stateful must be true or false');
    await expect(createFakeApi('slack' as never)).rejects.toThrow("unknown API slack; use 'pachca', 'ok' or 'unet'");
    const { fake } = await pachcaFake();
    expect(() => fake.queueEvent('hello' as never)).toThrow('the event must be an object');
    const ok = await createFakeApi('ok');
    expect(() => ok.queueEvent({ type: 'message' })).toThrow('only Pachca stores events');
  });

  it('answers every call from the examples and keeps nothing when stateless', async () => {
    const fake = await createFakeApi('pachca', { stateful: false });
    const pachca = createPachcaClient({ token: TOKEN, ...fake.clientOptions });
    const created = (await pachca.createMessage({ body: { message: { entity_id: 334, content: 'Новое' } } })).data;
    expect(created.id).toBe(194275);
    expect((await pachca.getMessage({ id: 42 })).data.id).toBe(194275);
  });

  it('forgets everything on reset', async () => {
    const { fake, pachca } = await pachcaFake();
    const { id } = (await pachca.createMessage({ body: { message: { entity_id: 334, content: 'x' } } })).data;
    fake.reset();
    expect(fake.calls).toEqual([]);
    await expect(pachca.getMessage({ id })).rejects.toBeInstanceOf(NotFoundError);
  });
});

describe('OK and uNet state', () => {
  it('OK: a message sent is listed in its chat with an exact int64 seq, and the chat is known', async () => {
    const fake = await createFakeApi('ok');
    const ok = createOkClient({ accessToken: 'ok-access-token-1', ...fake.clientOptions });
    expect(await ok.send(sendText('chat:C3ecb9d02a600', 'Привет'))).toEqual({ success: true });
    expect(await ok.send(sendText('chat:Cnew0000001', 'Второй чат'))).toEqual({ success: true });
    const history = [];
    for await (const envelope of ok.iterateMessages({ chat_id: 'chat:C3ecb9d02a600' })) history.push(envelope);
    expect(history).toHaveLength(1);
    // Above 2^53: a number would have lost the last digit.
    expect(history[0]?.message).toMatchObject({ text: 'Привет', seq: '9007199254740993' });
    const chats: string[] = [];
    for await (const chat of ok.iterateChats()) chats.push(chat.chat_id);
    expect(chats).toEqual(['chat:C3ecb9d02a600', 'chat:Cnew0000001']);
    expect((await ok.getChat({ chat_id: 'chat:Cnew0000001' })).chat_id).toBe('chat:Cnew0000001');
    // A chat change renames the chat and adds no message.
    await ok.send(setTitle('chat:Cnew0000001', 'Релиз'));
    expect((await ok.getChat({ chat_id: 'chat:Cnew0000001' })).title).toBe('Релиз');
    expect((await ok.listMessages({ chat_id: 'chat:Cnew0000001' })).messages).toHaveLength(1);
    await expect(ok.getChat({ chat_id: 'chat:Cunknown' })).rejects.toMatchObject({ body: { error_code: 300, error_data: 'chat_id' } });
  });

  it('uNet: a message added can be fetched, listed in its chat, edited and deleted, with fresh ids', async () => {
    const fake = await createFakeApi('unet');
    const unet = createUnetClient({ accessToken: 'unet-access-token', resourceUri: 'https://3801130518.unet.com/api/', ...fake.clientOptions });
    const added = await unet.addMessage({ q: { chat_id: 2200334455, message: 'Отчёт готов' } });
    // The spec leaves the id optional (the answer is not documented); the fake always gives one.
    const id = added.id as number;
    expect(id).toEqual(expect.any(Number));
    const other = await unet.addMessage({ q: { chat_id: 7700112233, message: 'Другой чат' } });
    expect(other.id).not.toBe(id);
    expect(await unet.getMessage({ id })).toEqual({ id, uid: 3801130518, message: 'Отчёт готов', attachments: {} });
    await unet.editMessage({ id, q: { chat_id: 2200334455, message: 'Отчёт готов, ссылка в почте' } });
    const listed = await unet.listMessages({ q: { chat_id: 2200334455 } });
    expect(listed).toMatchObject({ total_count: 1, items: [{ id, message: 'Отчёт готов, ссылка в почте' }] });
    expect(await unet.deleteMessage({ id })).toEqual({});
    await expect(unet.getMessage({ id })).rejects.toMatchObject({ status: 404, body: { error: 'not_found' } });
  });

  it('uNet: keeps a chat id beyond 2^53 exact, so two neighbouring ids stay two chats', async () => {
    const fake = await createFakeApi('unet');
    const send = (chatId: string, text: string) =>
      fake.fetch(`${fake.url}/messages/add/?q=${encodeURIComponent(`{"chat_id":${chatId},"message":"${text}"}`)}`, {
        method: 'POST',
        headers: { authorization: 'Bearer unet-access-token' },
      });
    expect((await send('9007199254740993', 'a')).status).toBe(200);
    expect((await send('9007199254740992', 'b')).status).toBe(200);
    const listed = await fake.fetch(`${fake.url}/messages/?q=${encodeURIComponent('{"chat_id":9007199254740993}')}`, { headers: { authorization: 'Bearer unet-access-token' } });
    expect(((await listed.json()) as { items: { message: string }[] }).items.map((item) => item.message)).toEqual(['a']);
    expect(fake.calls[0]?.params.query).toEqual({ q: { chat_id: 9007199254740993n, message: 'a' } });
  });
});

describe('request checks', () => {
  it('refuses a body the spec forbids with 422 in Pachca’s error shape, naming the field, and keeps nothing', async () => {
    // The client's own checks would refuse these before sending; with them off the fake is what refuses.
    const fake = await createFakeApi('pachca');
    const pachca = createPachcaClient({ token: TOKEN, checkRequests: false, ...fake.clientOptions });
    const result = await pachca.raw.POST('/messages', { body: { message: { entity_type: 'channel' as never, entity_id: 334, content: 'x' } } });
    expect(result.response.status).toBe(422);
    expect(result.error).toMatchObject({ errors: [{ key: 'message.entity_type', value: 'channel', code: 'invalid' }] });
    const missing = await pachca.raw.POST('/messages', { body: { message: { entity_id: 334 } as never } });
    expect(missing.error).toMatchObject({ errors: [{ key: 'message.content', message: 'is required' }] });
    expect([...(await pachca.listChatMessages({ chat_id: 334 })).data].map((message) => message.id)).toEqual([194275]);
    expect(fake.calls.map((call) => [call.operationId, call.status])).toEqual([
      ['createMessage', 422],
      ['createMessage', 422],
      ['listChatMessages', 200],
    ]);
  });

  it('refuses a missing parameter, a wrong type, a wrong media type and bad JSON, naming each', async () => {
    const { fake } = await pachcaFake();
    const auth = { authorization: `Bearer ${TOKEN}` };
    const body = async (response: Response) => ((await response.json()) as { errors: { key: string }[] }).errors[0]?.key;
    expect(await body(await fake.fetch(`${fake.url}/messages`, { headers: auth }))).toBe('chat_id');
    expect(await body(await fake.fetch(`${fake.url}/messages?chat_id=abc`, { headers: auth }))).toBe('chat_id');
    const text = await fake.fetch(`${fake.url}/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'text/plain' }, body: 'hi' });
    expect([text.status, await body(text)]).toEqual([422, 'content-type']);
    const broken = await fake.fetch(`${fake.url}/messages`, { method: 'POST', headers: { ...auth, 'content-type': 'application/json' }, body: '{"message":' });
    expect([broken.status, await body(broken)]).toEqual([422, 'body']);
    expect((await fake.fetch(`${fake.url}/messages/194275`)).status).toBe(401);
    expect((await fake.fetch(`${fake.url}/no/such/path`, { headers: auth })).status).toBe(404);
  });

  it('names the field in OK’s and uNet’s error shapes too', async () => {
    const ok = await createFakeApi('ok');
    const okClient = createOkClient({ accessToken: 'ok-access-token-1', checkRequests: false, ...ok.clientOptions });
    const refused = await okClient.raw.POST('/me/messages/{chat_id}', { params: { path: { chat_id: 'chat:C1' } }, body: { recipient: { chat_id: 'chat:C1' }, message: {} } as never });
    expect(refused.response.status).toBe(422);
    expect(refused.error).toMatchObject({ error_code: 100, error_msg: expect.stringMatching(/^PARAM : message/) });
    const unet = await createFakeApi('unet');
    const unetClient = createUnetClient({ accessToken: 'unet-access-token', resourceUri: 'https://3801130518.unet.com/api/', checkRequests: false, ...unet.clientOptions });
    const error = await unetClient.listMessages({ q: { chat_id: 'general' as never } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect(error).toMatchObject({ body: { error: 'invalid_request', error_description: expect.stringMatching(/^q\.chat_id /) } });
  });

  it('refuses any URL that is not the API’s, sending nothing', async () => {
    const { fake, pachca } = await pachcaFake();
    await expect(pachca.getMessage({ id: 194275 }, { baseUrl: 'https://example.com/api' })).rejects.toBeInstanceOf(UnmockedRequestError);
    await expect(fake.fetch('https://example.com/steal?token=abc')).rejects.toMatchObject({ url: 'https://example.com/steal' });
    expect(fake.calls).toEqual([]);
    // Checks the client makes before sending still come first: a row of nine buttons never reaches the fake.
    const row = Array.from({ length: 9 }, (_, i) => ({ text: `${i}`, data: `${i}` }));
    await expect(pachca.createMessage({ body: { message: { entity_id: 334, content: 'x', buttons: [row] } } })).rejects.toBeInstanceOf(RequestValidationError);
    expect(fake.calls).toEqual([]);
  });
});

describe('recorded calls and expectations', () => {
  it('records operation, parameters, body and headers, with every credential redacted', async () => {
    const { fake, pachca } = await pachcaFake();
    await pachca.listChatMessages({ chat_id: 334, limit: 5 });
    await pachca.createMessage({ body: { message: { entity_id: 334, content: `echo ${TOKEN}` } } });
    expect(fake.calls[0]).toMatchObject({
      operationId: 'listChatMessages',
      method: 'GET',
      params: { path: {}, query: { chat_id: 334, limit: 5 } },
      headers: { authorization: '[REDACTED]' },
      status: 200,
    });
    expect(fake.calls[1]?.body).toEqual({ message: { entity_id: 334, content: 'echo [REDACTED]' } });
    expect(JSON.stringify(fake.calls)).not.toContain(TOKEN);
    const ok = await createFakeApi('ok');
    await createOkClient({ accessToken: 'ok-access-token-1', ...ok.clientOptions }).getInfo();
    expect(ok.calls[0]?.url).toBe(`${ok.url}/me/info?access_token=[REDACTED]`);
  });

  it('expectSent finds a call by a partial body, and otherwise throws an assertion error listing the calls', async () => {
    const { fake, pachca } = await pachcaFake();
    await pachca.createMessage({ body: { message: { entity_id: 334, content: 'Привет', buttons: [[{ text: 'Да', data: 'yes' }]] } } });
    expect(fake.expectSent('createMessage', { message: { content: 'Привет', buttons: [[{ data: 'yes' }]] } }).status).toBe(201);
    expect(fake.expectSent('createMessage').operationId).toBe('createMessage');
    let thrown: unknown;
    try {
      fake.expectSent('createMessage', { message: { content: 'Пока' } });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(FakeAssertionError);
    expect(thrown).toBeInstanceOf(Error);
    expect(thrown).toMatchObject({ name: 'AssertionError', expected: { message: { content: 'Пока' } } });
    expect((thrown as Error).message).toBe(
      'Expected a createMessage call whose body includes {"message":{"content":"Пока"}}, but the createMessage calls were:\n' +
        '  1. {"message":{"entity_id":334,"content":"Привет","buttons":[[{"text":"Да","data":"yes"}]]}} (answered 201)',
    );
    expect(() => fake.expectSent('addReaction')).toThrow('no addReaction call was made; the calls were: createMessage');
    expect(() => fake.expectNotSent('addReaction')).not.toThrow();
    expect(() => fake.expectNotSent('createMessage')).toThrow(FakeAssertionError);
  });
});
