/**
 * The Pachca client against a Prism mock started from specs/pachca: every operation, every declared error
 * status, and proof that the mock validates what it receives.
 */
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { inject } from 'vitest';
import {
  AuthenticationError,
  BadRequestError,
  GoneError,
  NotFoundError,
  PaymentRequiredError,
  PermissionDeniedError,
  RateLimitError,
  UnprocessableEntityError,
  type HttpError,
} from '../../src/core/index.js';
import { ButtonLayoutError, createPachcaClient, describeAccess, type PachcaClient } from '../../src/pachca/index.js';
import { operationTable } from '../../generated/pachca.js';
import { instantRetry, mockOf } from './harness.js';

const TOKEN = 'pachca-contract-token-7f3a9c';

let mock: { url: string; fetch: typeof fetch };
let client: PachcaClient;

beforeAll(async () => {
  mock = await mockOf('pachca');
  client = createPachcaClient({ token: TOKEN, baseUrl: mock.url, fetch: mock.fetch, retry: instantRetry() });
});

const messageId = { id: 194275 };

/** A fetch to the mock that records each request's URL and Authorization header. */
function spyOnMock() {
  const seen: { url: string; authorization: string | null }[] = [];
  const spying: typeof fetch = (input, init) => {
    seen.push({ url: String(input), authorization: new Headers(init?.headers).get('authorization') });
    return mock.fetch(input, init);
  };
  return { seen, spying };
}

/** A valid call of every operation, used to force each declared error status. */
const validCalls: Record<string, (client: PachcaClient, headers: Record<string, string>) => Promise<unknown>> = {
  createMessage: (c, headers) => c.createMessage({ body: { message: { entity_id: 198, content: 'Привет' } } }, { headers }),
  listChatMessages: (c, headers) => c.listChatMessages({ chat_id: 334 }, { headers }),
  getMessage: (c, headers) => c.getMessage(messageId, { headers }),
  updateMessage: (c, headers) => c.updateMessage({ ...messageId, body: { message: { content: 'Новый текст' } } }, { headers }),
  deleteMessage: (c, headers) => c.deleteMessage(messageId, { headers }),
  pinMessage: (c, headers) => c.pinMessage(messageId, { headers }),
  unpinMessage: (c, headers) => c.unpinMessage(messageId, { headers }),
  addReaction: (c, headers) => c.addReaction({ ...messageId, body: { code: '👍' } }, { headers }),
  removeReaction: (c, headers) =>
    c.removeReaction({ id: 194275, code: '👍' }, { headers }),
  listReactions: (c, headers) => c.listReactions(messageId, { headers }),
  listReadMembers: (c, headers) => c.listReadMembers(messageId, { headers }),
  createThread: (c, headers) => c.createThread(messageId, { headers }),
  unfurlLinks: (c, headers) =>
    c.unfurlLinks(
      { ...messageId, body: { link_previews: { 'https://example.com/details': { title: 'Отчёт', description: 'Продажи' } } } },
      { headers },
    ),
  getUploadParams: (c, headers) => c.getUploadParams({}, { headers }),
  listWebhookEvents: (c, headers) => c.listWebhookEvents({ limit: 1 }, { headers }),
  deleteWebhookEvent: (c, headers) => c.deleteWebhookEvent({ id: '01KAJZ2XDSS2S3DSW9EXJZ0TBV' }, { headers }),
  updateBotWebhook: (c, headers) => c.updateBotWebhook({ body: { webhook: { outgoing_url: 'https://www.website.com/tasks/new' } } }, { headers }),
  listChats: (c, headers) => c.listChats({ limit: 1 }, { headers }),
  createChat: (c, headers) => c.createChat({ body: { chat: { name: '🤿 aqua', member_ids: [186, 187] } } }, { headers }),
  getChat: (c, headers) => c.getChat({ id: 334 }, { headers }),
  updateChat: (c, headers) => c.updateChat({ id: 334, body: { chat: { name: 'Бассейн' } } }, { headers }),
  archiveChat: (c, headers) => c.archiveChat({ id: 334 }, { headers }),
  unarchiveChat: (c, headers) => c.unarchiveChat({ id: 334 }, { headers }),
  addChatGroupTags: (c, headers) => c.addChatGroupTags({ id: 334, body: { group_tag_ids: [86, 18] } }, { headers }),
  removeChatGroupTag: (c, headers) => c.removeChatGroupTag({ id: 334, tag_id: 86 }, { headers }),
  leaveChat: (c, headers) => c.leaveChat({ id: 334 }, { headers }),
  requestChatExport: (c, headers) =>
    c.requestChatExport({ body: { start_at: '2025-03-01', end_at: '2025-03-31', webhook_url: 'https://example.com/pachca/exports', chat_ids: [334] } }, { headers }),
  downloadChatExport: (c, headers) => c.downloadChatExport({ id: 22322 }, { headers }),
  listChatMembers: (c, headers) => c.listChatMembers({ id: 334, role: 'all' }, { headers }),
  addChatMembers: (c, headers) => c.addChatMembers({ id: 334, body: { member_ids: [186, 187], silent: true } }, { headers }),
  updateChatMemberRole: (c, headers) => c.updateChatMemberRole({ id: 334, user_id: 186, body: { role: 'admin' } }, { headers }),
  removeChatMember: (c, headers) => c.removeChatMember({ id: 334, user_id: 186 }, { headers }),
  listUsers: (c, headers) => c.listUsers({ query: 'Oleg' }, { headers }),
  getUser: (c, headers) => c.getUser({ id: 12 }, { headers }),
  getTokenInfo: (c, headers) => c.getTokenInfo({}, { headers }),
  listGroupTags: (c, headers) => c.listGroupTags({ names: ['Design', 'Product'] }, { headers }),
  createGroupTag: (c, headers) => c.createGroupTag({ body: { group_tag: { name: 'Design' } } }, { headers }),
  getGroupTag: (c, headers) => c.getGroupTag({ id: 9111 }, { headers }),
  updateGroupTag: (c, headers) => c.updateGroupTag({ id: 9111, body: { group_tag: { name: 'Product design' } } }, { headers }),
  deleteGroupTag: (c, headers) => c.deleteGroupTag({ id: 9111 }, { headers }),
  listGroupTagUsers: (c, headers) => c.listGroupTagUsers({ id: 9111 }, { headers }),
  listThreads: (c, headers) => c.listThreads({ limit: 1 }, { headers }),
  createStandaloneThread: (c, headers) => c.createStandaloneThread({}, { headers }),
  getThread: (c, headers) => c.getThread({ id: 265142 }, { headers }),
  listCustomProperties: (c, headers) => c.listCustomProperties({ entity_type: 'User' }, { headers }),
  listTasks: (c, headers) => c.listTasks({ limit: 10 }, { headers }),
  recreateOwnBotToken: (c, headers) => c.recreateOwnBotToken({}, { headers }),
  openView: (c, headers) =>
    c.openView(
      {
        body: {
          type: 'modal',
          trigger_id: '791a056b-006c-49dd-834b-c633fde52fe8',
          view: {
            title: 'Leave request',
            blocks: [
              { type: 'header', text: 'Dates' },
              { type: 'date', name: 'first_day', label: 'First day', required: true },
              { type: 'divider' },
              { type: 'select', name: 'kind', label: 'Kind', options: [{ text: 'Vacation', value: 'vacation' }] },
            ],
          },
        },
      },
      { headers },
    ),
  createUser: (c, headers) => c.createUser({ body: { user: { email: 'olegp@example.com', first_name: 'Олег' }, skip_email_notify: true } }, { headers }),
  updateUser: (c, headers) => c.updateUser({ id: 12, body: { user: { department: 'Дизайн' } } }, { headers }),
  deleteUser: (c, headers) => c.deleteUser({ id: 12 }, { headers }),
  updateUserAvatar: (c, headers) => c.updateUserAvatar({ user_id: 12, body: { image: new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }) } }, { headers }),
  deleteUserAvatar: (c, headers) => c.deleteUserAvatar({ user_id: 12 }, { headers }),
  updateProfileAvatar: (c, headers) => c.updateProfileAvatar({ body: { image: new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }) } }, { headers }),
  deleteProfileAvatar: (c, headers) => c.deleteProfileAvatar({}, { headers }),
  listAuditEvents: (c, headers) => c.listAuditEvents({ event_key: 'user_login', limit: 1 }, { headers }),
  listBots: (c, headers) => c.listBots({ query: 'task' }, { headers }),
  createBot: (c, headers) => c.createBot({ body: { webhook: { name: 'Tasks bot', commands: ['/task'] } } }, { headers }),
  getBot: (c, headers) => c.getBot({ id: 1738816 }, { headers }),
  updateBot: (c, headers) => c.updateBot({ id: 1738816, body: { webhook: { commands: ['/task', '/help'] } } }, { headers }),
  deleteBot: (c, headers) => c.deleteBot({ id: 1738816 }, { headers }),
  recreateBotToken: (c, headers) => c.recreateBotToken({ id: 1738816 }, { headers }),
  createTask: (c, headers) => c.createTask({ body: { task: { kind: 'reminder', content: 'Забрать заказ', performer_ids: [12] } } }, { headers }),
  getTask: (c, headers) => c.getTask({ id: 22283 }, { headers }),
  updateTask: (c, headers) => c.updateTask({ id: 22283, body: { task: { status: 'done' } } }, { headers }),
  deleteTask: (c, headers) => c.deleteTask({ id: 22283 }, { headers }),
  searchChats: (c, headers) => c.searchChats({ query: 'Development', chat_subtype: 'discussion' }, { headers }),
  searchMessages: (c, headers) => c.searchMessages({ query: 't-shirts', chat_ids: [198, 334] }, { headers }),
  searchUsers: (c, headers) => c.searchUsers({ query: 'Oleg', company_roles: ['admin', 'user'] }, { headers }),
  getProfile: (c, headers) => c.getProfile({}, { headers }),
  getProfileStatus: (c, headers) => c.getProfileStatus({}, { headers }),
  updateProfileStatus: (c, headers) => c.updateProfileStatus({ body: { status: { emoji: '🏖', title: 'В отпуске', is_away: true } } }, { headers }),
  deleteProfileStatus: (c, headers) => c.deleteProfileStatus({}, { headers }),
  getUserStatus: (c, headers) => c.getUserStatus({ user_id: 12 }, { headers }),
  updateUserStatus: (c, headers) => c.updateUserStatus({ user_id: 12, body: { status: { emoji: '🏖', title: 'В отпуске' } } }, { headers }),
  deleteUserStatus: (c, headers) => c.deleteUserStatus({ user_id: 12 }, { headers }),
  directUpload: (c, headers) =>
    c.directUpload(
      {
        body: {
        'Content-Disposition': 'attachment',
        acl: 'private',
        policy: 'cG9saWN5',
        'x-amz-credential': 'credential',
        'x-amz-algorithm': 'AWS4-HMAC-SHA256',
        'x-amz-date': '20210828T155723Z',
        'x-amz-signature': 'signature',
        key: 'attaches/files/1/${filename}',
        file: new Blob(['hello'], { type: 'text/plain' }),
        },
      },
      { headers },
    ),
};

describe('every Pachca operation answers through the client', () => {
  it('sends a message and resolves to the whole body, the message under data', async () => {
    const { data: message } = await client.createMessage({
      body: {
      message: {
        entity_type: 'discussion',
        entity_id: 198,
        content: 'Вчера мы продали 756 футболок (что на 10% больше, чем в прошлое воскресенье)',
        buttons: [[{ text: 'Подробнее', url: 'https://example.com/details' }, { text: 'Отлично!', data: 'awesome' }]],
      },
      link_preview: true,
      },
    });
    expect(message).toMatchObject({ id: 194275, entity_type: 'discussion', chat_id: 334, thread: null });
    expect(message.buttons?.[0]?.[1]).toEqual({ text: 'Отлично!', data: 'awesome' });
  });

  it('lists messages with int64 thread ids as exact strings', async () => {
    const page = await client.listChatMessages({ chat_id: 334, limit: 20, order: 'desc' });
    expect(page.data[0]?.thread).toEqual({ id: '265142', chat_id: '2637266' });
    expect(page.meta.paginate.has_next).toBe(false);
  });

  it('iterates over every message of a chat', async () => {
    const ids: number[] = [];
    for await (const message of client.iterateChatMessages({ chat_id: 334 })) ids.push(message.id);
    expect(ids).toEqual([194275]);
  });

  it('gets, edits and deletes a message', async () => {
    expect((await client.getMessage(messageId)).data.url).toBe('https://app.pachca.com/chats/334?message=194275');
    const edited = await client.updateMessage({ ...messageId, body: { message: { content: 'Вчера мы продали 757 футболок', buttons: [] } } });
    expect(edited.data.changed_at).toBe('2021-08-28T16:01:02.000Z');
    await expect(client.deleteMessage(messageId)).resolves.toBeUndefined();
  });

  it('pins and unpins a message', async () => {
    await expect(client.pinMessage(messageId)).resolves.toBeUndefined();
    await expect(client.unpinMessage(messageId)).resolves.toBeUndefined();
  });

  it('adds, lists, iterates and removes reactions', async () => {
    expect(await client.addReaction({ ...messageId, body: { code: '👍' } })).toEqual({
      user_id: 185,
      created_at: '2021-08-28T16:00:00.000Z',
      code: '👍',
      name: '+1',
    });
    expect((await client.listReactions(messageId)).data).toHaveLength(2);
    const codes: string[] = [];
    for await (const reaction of client.iterateReactions({ id: 194275, limit: 50 })) codes.push(reaction.code);
    expect(codes).toEqual(['👍', '🦜']);
    await expect(client.removeReaction({ id: 194275, code: '👍' })).resolves.toBeUndefined();
  });

  it('lists and iterates the readers of a message', async () => {
    expect((await client.listReadMembers({ id: 194275, limit: 300 })).data).toEqual([185, 186, 187]);
    const readers: number[] = [];
    for await (const id of client.iterateReadMembers({ id: 194275 })) readers.push(id);
    expect(readers).toEqual([185, 186, 187]);
  });

  it('opens a thread and returns its int64 ids as strings', async () => {
    expect((await client.createThread(messageId)).data).toEqual({
      id: '265142',
      chat_id: '2637266',
      message_id: '194275',
      message_chat_id: '334',
      updated_at: '2021-08-28T15:58:00.000Z',
    });
  });

  it('attaches link previews', async () => {
    const body = { link_previews: { 'https://example.com/details': { title: 'Отчёт', description: 'Продажи' } } };
    await expect(client.unfurlLinks({ ...messageId, body })).resolves.toBeUndefined();
  });

  it('uploads a file in two steps, without sending the token to the upload URL, and returns a files[] entry', async () => {
    const { seen, spying } = spyOnMock();
    const uploader = createPachcaClient({ token: TOKEN, baseUrl: mock.url, fetch: spying });
    const file = await uploader.uploadFile({ data: new TextEncoder().encode('Отчёт за неделю'), name: 'report.txt', contentType: 'text/plain' });
    expect(file).toEqual({
      key: 'attaches/files/93746/e354fd79-9d8b-4e3f-a3d2-5e1c1c4a2b7f/report.txt',
      name: 'report.txt',
      file_type: 'file',
      size: new TextEncoder().encode('Отчёт за неделю').byteLength,
    });
    expect(seen.map((request) => [request.url.replace(mock.url, 'MOCK'), request.authorization])).toEqual([
      ['MOCK/uploads', `Bearer ${TOKEN}`],
      ['https://api.pachca.com/api/v3/direct_upload', null],
    ]);
    const sent = await uploader.createMessage({ body: { message: { entity_id: 198, content: 'Отчёт', files: [file] } } });
    expect(sent.data.id).toBe(194275);
  });

  it('calls directUpload as a typed method: at the upload host the spec names, without the token', async () => {
    const { seen, spying } = spyOnMock();
    const uploader = createPachcaClient({ token: TOKEN, baseUrl: mock.url, fetch: spying });
    await expect(validCalls.directUpload?.(uploader, {})).resolves.toBeUndefined();
    expect(seen).toEqual([{ url: 'https://api.pachca.com/api/v3/direct_upload', authorization: null }]);
  });

  it('sends a call to the per-call baseUrl, with the token only when it lies under the client’s own', async () => {
    const { seen, spying } = spyOnMock();
    const tokenHolder = createPachcaClient({ token: TOKEN, baseUrl: `${mock.url}/`, fetch: spying });
    await tokenHolder.getMessage(messageId, { baseUrl: mock.url });
    // The mock refuses a call without the token: proof enough that none went along.
    await expect(tokenHolder.getUploadParams({}, { baseUrl: 'https://api.pachca.com/api/shared/v1' })).rejects.toBeInstanceOf(AuthenticationError);
    expect(seen).toEqual([
      { url: `${mock.url}/messages/194275`, authorization: `Bearer ${TOKEN}` },
      { url: 'https://api.pachca.com/api/shared/v1/uploads', authorization: null },
    ]);
  });

  it('lists stored webhook events as typed events, deletes one, and sets the bot’s webhook', async () => {
    const events: string[] = [];
    for await (const stored of client.iterateWebhookEvents({ limit: 1 })) events.push(`${stored.id}:${stored.payload.type}`);
    expect(events).toEqual(['01KAJZ2XDSS2S3DSW9EXJZ0TBV:message']);
    await expect(client.deleteWebhookEvent({ id: '01KAJZ2XDSS2S3DSW9EXJZ0TBV' })).resolves.toBeUndefined();
    await expect(client.updateBotWebhook({ body: { webhook: { outgoing_url: 'https://www.website.com/tasks/new' } } })).resolves.toBeDefined();
  });

  it('answers every chat, member and user operation', async () => {
    for (const id of ['listChats', 'createChat', 'getChat', 'updateChat', 'archiveChat', 'unarchiveChat', 'addChatGroupTags', 'removeChatGroupTag', 'leaveChat', 'listChatMembers', 'addChatMembers', 'updateChatMemberRole', 'removeChatMember', 'listUsers', 'getUser']) {
      await expect(validCalls[id]?.(client, {}), id).resolves.not.toBeInstanceOf(Error);
    }
    expect((await client.getChat({ id: 334 })).data.name).toBe('🤿 aqua');
    expect((await client.getUser({ id: 12 })).data.nickname).toBe('olegpetrov');
  });

  it('answers the profile, status and token operations, with the token’s int64 ids as strings', async () => {
    for (const id of ['getTokenInfo', 'getProfile', 'getProfileStatus', 'updateProfileStatus', 'deleteProfileStatus', 'getUserStatus', 'updateUserStatus', 'deleteUserStatus']) {
      await expect(validCalls[id]?.(client, {}), id).resolves.not.toBeInstanceOf(Error);
    }
    expect((await client.getTokenInfo()).data).toMatchObject({ id: '4827', user_id: '185' });
    await expect(client.updateProfileStatus({ body: { status: { emoji: '🏖', title: 'x'.repeat(51) } } })).rejects.toMatchObject({ field: 'status.title' });
  });

  it('answers the group tag, thread and custom property operations, threads’ int64 ids as strings', async () => {
    for (const id of ['listGroupTags', 'createGroupTag', 'getGroupTag', 'updateGroupTag', 'deleteGroupTag', 'listGroupTagUsers', 'listThreads', 'createStandaloneThread', 'getThread', 'listCustomProperties']) {
      await expect(validCalls[id]?.(client, {}), id).resolves.not.toBeInstanceOf(Error);
    }
    expect((await client.getThread({ id: 265142 })).data).toMatchObject({ id: '265142', chat_id: '2637266155', message_id: null });
    const tags: string[] = [];
    for await (const tag of client.iterateGroupTags()) tags.push(tag.name);
    const taggedUsers: number[] = [];
    for await (const user of client.iterateGroupTagUsers({ id: 9111 })) taggedUsers.push(user.id);
    const threads: string[] = [];
    for await (const thread of client.iterateThreads()) threads.push(thread.id);
    expect({ tags, taggedUsers, threads }).toEqual({ tags: ['Design'], taggedUsers: [12], threads: ['265142'] });
  });

  it('answers the task and search operations, and walks tasks and search results', async () => {
    for (const id of ['listTasks', 'createTask', 'getTask', 'updateTask', 'deleteTask', 'searchChats', 'searchMessages', 'searchUsers']) {
      await expect(validCalls[id]?.(client, {}), id).resolves.not.toBeInstanceOf(Error);
    }
    const tasks: number[] = [];
    for await (const task of client.iterateTasks()) tasks.push(task.id);
    expect(tasks).toEqual([22283]);
    // The mock answers every search page with the same example and cursor: the walk notices the repeat and ends
    // with a PaginationError instead of looping.
    const found: number[] = [];
    const walk = async () => {
      for await (const user of client.iterateSearchUsers({ query: 'Oleg' })) found.push(user.id);
    };
    await expect(walk()).rejects.toMatchObject({ name: 'PaginationError', operationId: 'searchUsers' });
    expect(found[0]).toBe(12);
  });

  it('answers the user management, avatar and audit operations', async () => {
    for (const id of ['createUser', 'updateUser', 'deleteUser', 'updateUserAvatar', 'deleteUserAvatar', 'updateProfileAvatar', 'deleteProfileAvatar', 'listAuditEvents']) {
      await expect(validCalls[id]?.(client, {}), id).resolves.not.toBeInstanceOf(Error);
    }
    const avatar = await client.updateProfileAvatar({ body: { image: new Blob([new Uint8Array([137, 80, 78, 71])], { type: 'image/png' }) } });
    expect(avatar.data.image_url).toMatch(/^https:/);
    const entries: string[] = [];
    for await (const entry of client.iterateAuditEvents({ event_key: 'user_login' })) entries.push(entry.event_key);
    expect(entries).toEqual(['user_login']);
    await expect(client.createUser({ body: { user: { email: 'x'.repeat(256) } } })).rejects.toMatchObject({ field: 'user.email' });
  });

  it('starts a chat export, and gives a finished export as the address its redirect points to, unfollowed', async () => {
    await expect(validCalls.requestChatExport?.(client, {})).resolves.toBeUndefined();
    await expect(client.downloadChatExport({ id: 22322 })).resolves.toEqual({ location: 'https://files.pachca.com/exports/22322/archive.zip' });
  });

  it('answers the bot operations, and walks the bots', async () => {
    for (const id of ['recreateOwnBotToken', 'listBots', 'createBot', 'getBot', 'updateBot', 'deleteBot', 'recreateBotToken']) {
      await expect(validCalls[id]?.(client, {}), id).resolves.not.toBeInstanceOf(Error);
    }
    expect((await client.createBot({ body: { webhook: { name: 'Tasks bot' } } })).data.access_token).toBe('bm90X2FfcmVhbF90b2tlbg');
    const bots: string[] = [];
    for await (const bot of client.iterateBots()) bots.push(bot.webhook.nickname);
    expect(bots).toEqual(['tasks_bot']);
  });

  it('iterates chats, a chat’s members and users', async () => {
    const chats: number[] = [];
    for await (const chat of client.iterateChats({ archived: false })) chats.push(chat.id);
    const members: number[] = [];
    for await (const user of client.iterateChatMembers({ id: 334 })) members.push(user.id);
    const users: string[] = [];
    for await (const user of client.iterateUsers({ query: 'Oleg' })) users.push(user.nickname);
    expect({ chats, members, users }).toEqual({ chats: [334], members: [12], users: ['olegpetrov'] });
  });

  it('also answers in the openapi-fetch style, without throwing', async () => {
    const ok = await client.raw.GET('/messages/{id}', { params: { path: { id: 194275 } } });
    expect(ok.data?.data.id).toBe(194275);
    expect(ok.response.status).toBe(200);
    const failed = await client.raw.GET('/messages/{id}', {
      params: { path: { id: 194275 } },
      headers: { Prefer: 'code=404' },
    });
    expect(failed.data).toBeUndefined();
    expect(failed.error).toMatchObject({ errors: [{ code: 'not_found' }] });
  });
});

/** The error class each declared status must arrive as. */
const ERROR_CLASSES: Record<string, new (...args: never[]) => HttpError> = {
  '400': BadRequestError,
  '401': AuthenticationError,
  '402': PaymentRequiredError,
  '403': PermissionDeniedError,
  '404': NotFoundError,
  '410': GoneError,
  '422': UnprocessableEntityError,
  '429': RateLimitError,
};

describe('every declared error status arrives as its typed error', () => {
  const spec = JSON.parse(readFileSync(inject('mocks').pachca?.specPath ?? '', 'utf8')) as {
    paths: Record<string, Record<string, { operationId?: string; responses?: Record<string, unknown> }>>;
  };
  const cases = Object.values(spec.paths).flatMap((item) =>
    Object.values(item).flatMap((operation) =>
      Object.keys(operation.responses ?? {})
        .filter((status) => /^[45]\d\d$/.test(status))
        .map((status) => [operation.operationId as string, status] as const),
    ),
  );

  it('covers every operation', () => {
    expect(new Set(cases.map(([id]) => id))).toEqual(new Set(Object.keys(validCalls)));
  });

  it.each(cases)('%s answers %s as the right error class', async (operationId, status) => {
    const call = validCalls[operationId];
    if (!call) throw new Error(`no valid call for ${operationId}`);
    const retry = instantRetry();
    const errorClient = createPachcaClient({ token: TOKEN, baseUrl: mock.url, fetch: mock.fetch, retry });
    const error = await call(errorClient, { Prefer: `code=${status}` }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ERROR_CLASSES[status]);
    expect((error as HttpError).status).toBe(Number(status));
    expect((error as HttpError).operationId).toBe(operationId);
    expect(JSON.stringify(error)).not.toContain(TOKEN);
    if (status === '403') {
      // The spec's x-scope, as a field and in the message.
      const scope = (operationTable as Record<string, { scope?: string }>)[operationId]?.scope;
      expect((error as PermissionDeniedError).scope).toBe(scope);
      if (scope) expect((error as Error).message).toContain(`the operation needs the scope ${scope}`);
    }
    if (status === '429') {
      // Retried three times, each after the one second Retry-After asks for, then surfaced.
      expect(retry.clock.waits).toEqual([1000, 1000, 1000]);
      expect((error as RateLimitError).retryAfterMs).toBe(1000);
    } else {
      expect(retry.clock.waits).toEqual([]);
    }
  });
});

describe('checkAccess', () => {
  it("reads the token's scopes from the mock and reports, per operation, the scope it needs and whether the token holds it", async () => {
    const report = await client.checkAccess(['listChatMessages', 'createMessage', 'listUsers', 'getTokenInfo']);
    expect(report.tokenScopes).toEqual(['messages:read', 'messages:create']);
    expect(report.operations).toEqual([
      { operationId: 'listChatMessages', scope: 'messages:read', granted: true },
      { operationId: 'createMessage', scope: 'messages:create', granted: true },
      { operationId: 'listUsers', scope: 'users:read', granted: false },
      { operationId: 'getTokenInfo', scope: undefined, granted: true },
    ]);
    expect(report.missingScopes).toEqual(['users:read']);
    expect(describeAccess(report).split('\n').slice(0, 4)).toEqual([
      "Access check: 3 of 4 operation(s) covered by the token's scopes; missing: users:read",
      '  listChatMessages  messages:read    granted',
      '  createMessage     messages:create  granted',
      '  listUsers         users:read       MISSING',
    ]);
  });

  it('turns a refused token check into its typed error', async () => {
    const refused = createPachcaClient({ token: TOKEN, baseUrl: mock.url, fetch: mock.fetch, retry: instantRetry() });
    await expect(refused.checkAccess(['createMessage'], { headers: { Prefer: 'code=401' } })).rejects.toBeInstanceOf(AuthenticationError);
  });
});

describe('the mock validates requests against the spec', () => {
  // The client's own checks would refuse these before sending; off, the mock is what judges them.
  const unchecked = () => createPachcaClient({ token: TOKEN, baseUrl: mock.url, fetch: mock.fetch, retry: instantRetry(), checkRequests: false });

  it('accepts the document’s example but rejects the same message with an entity_type the types forbid', async () => {
    await expect(validCalls.createMessage?.(client, {})).resolves.toBeDefined();
    const result = await unchecked().raw.POST('/messages', {
      body: { message: { entity_type: 'channel' as never, entity_id: 198, content: 'Привет' } },
    });
    expect(result.response.status).toBe(422);
    expect(result.response.headers.get('sl-violations')).toContain('entity_type');
  });

  it('accepts a form of several kinds of block but rejects a block that mixes two kinds', async () => {
    await expect(validCalls.openView?.(client, {})).resolves.toBeUndefined();
    // A header carries only text: with a field of an input block it matches no branch of the union.
    const mixed = await unchecked().raw.POST('/views/open', {
      body: { type: 'modal', trigger_id: 't', view: { title: 'Form', blocks: [{ type: 'header', text: 'Hi', name: 'x' } as never] } },
    });
    expect(mixed.response.status).toBe(422);
    const unknown = await unchecked().raw.POST('/views/open', {
      body: { type: 'modal', trigger_id: 't', view: { title: 'Form', blocks: [{ type: 'slider', name: 'x', label: 'X' } as never] } },
    });
    expect(unknown.response.status).toBe(422);
  });

  it('puts the mock’s reason for a refusal into the thrown error’s message', async () => {
    const error = await unchecked().listChatMessages({} as never).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(UnprocessableEntityError);
    expect((error as Error).message).toMatch(/Refused by the (mock|fake)/);
    expect((error as Error).message).toContain('chat_id');
    // Only the mock's reason: the spec's canned 422 example is about another request, and is dropped.
    expect((error as Error).message).toMatch(/Refused by the mock: [^:]*chat_id[^:]*$/);
    expect((error as UnprocessableEntityError).body).toBeUndefined();
  });

  it('rejects a list request without its required chat_id', async () => {
    const result = await unchecked().raw.GET('/messages', { params: { query: {} as never } });
    expect(result.response.status).toBe(422);
    expect(result.response.headers.get('sl-violations')).toContain('chat_id');
  });

  it('has the client refuse, before sending, what the mock would refuse: an entity_type the spec forbids, a missing chat_id', async () => {
    await expect(client.raw.POST('/messages', { body: { message: { entity_type: 'channel' as never, entity_id: 198, content: 'Привет' } } })).rejects.toMatchObject({
      name: 'RequestValidationError',
      field: 'message.entity_type',
    });
    await expect(client.listChatMessages({} as never)).rejects.toMatchObject({ name: 'RequestValidationError', field: 'chat_id' });
  });

  it('rejects a request without a token', async () => {
    const response = await mock.fetch(`${mock.url}/messages/194275`);
    expect(response.status).toBe(401);
  });

  it('rejects a row of nine buttons before anything is sent', async () => {
    let requests = 0;
    const counting = createPachcaClient({
      token: TOKEN,
      baseUrl: mock.url,
      fetch: (input, init) => {
        requests++;
        return mock.fetch(input, init);
      },
    });
    const row = Array.from({ length: 9 }, (_, i) => ({ text: `Кнопка ${i + 1}`, data: String(i) }));
    const error = await counting
      .createMessage({ body: { message: { entity_id: 198, content: 'Выберите', buttons: [[{ text: 'Да' }], row] } } })
      .catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(ButtonLayoutError);
    expect(error).toMatchObject({ row: 1, column: 8, field: 'message.buttons[1][8]' });
    expect(requests).toBe(0);
  });
});
