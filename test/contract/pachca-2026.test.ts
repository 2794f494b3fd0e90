/**
 * The Pachca client against the Prism mock of specs/pachca, for what changed in July and August 2026: array
 * filters written with brackets still reach a mock that knows them without (Prism ignores a query parameter it
 * does not declare), a status that is not set answers `null`, and the request objects the vendor opened accept a
 * field the vendor adds.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { BadRequestError } from '../../src/core/index.js';
import { createPachcaClient, type PachcaClient } from '../../src/pachca/index.js';
import { instantRetry, mockOf } from './harness.js';

let mock: { url: string; fetch: typeof fetch };
let client: PachcaClient;
const urls: string[] = [];

beforeAll(async () => {
  mock = await mockOf('pachca');
  const spying: typeof fetch = (input, init) => {
    urls.push(String(input));
    return mock.fetch(input, init);
  };
  client = createPachcaClient({ token: 'pachca-contract-2026', baseUrl: mock.url, fetch: spying, retry: instantRetry() });
});

describe('Pachca since August 2026, against the mock', () => {
  it('filters group tags and searches with bracketed array parameters the mock accepts', async () => {
    urls.length = 0;
    const tags = await client.listGroupTags({ names: ['Design', 'Product'] });
    expect(tags.data.length).toBeGreaterThan(0);
    await client.searchMessages({ query: 't-shirts', chat_ids: [198, 334], user_ids: [12] });
    await client.searchUsers({ query: 'Oleg', company_roles: ['admin'] });
    expect(urls.map((url) => new URL(url).search)).toEqual([
      '?names[]=Design&names[]=Product',
      '?query=t-shirts&chat_ids[]=198&chat_ids[]=334&user_ids[]=12',
      '?query=Oleg&company_roles[]=admin',
    ]);
  });

  it('resolves a status read to the status, or to null when the mock serves the unset example', async () => {
    expect((await client.getProfileStatus())?.data.title).toBe('В отпуске');
    await expect(client.getProfileStatus({}, { headers: { Prefer: 'example=none' } })).resolves.toBeNull();
    await expect(client.getUserStatus({ user_id: 12 }, { headers: { Prefer: 'example=none' } })).resolves.toBeNull();
  });

  it('lists archived chats beside active ones, each saying which it is', async () => {
    const { data } = await client.listChats({ archived: true });
    expect(data.length).toBeGreaterThan(0);
    for (const chat of data) expect(typeof chat.archived).toBe('boolean');
  });

  it('answers an unknown entity type with a 400 invalid, typed', async () => {
    const error = await client.listAuditEvents({ entity_type: 'Spaceship' }, { headers: { Prefer: 'code=400' } }).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(BadRequestError);
    expect((error as BadRequestError<{ errors: { code: string }[] }>).body.errors[0]?.code).toBe('invalid');
  });

  it('may answer the bot webhook update with a 400, typed', async () => {
    const update = client.updateBotWebhook({ body: { webhook: { outgoing_url: 'not a url' } } }, { headers: { Prefer: 'code=400' } });
    await expect(update).rejects.toBeInstanceOf(BadRequestError);
  });

  it('answers the bot webhook update with the bot and its settings', async () => {
    const { data } = await client.updateBotWebhook({ body: { webhook: { outgoing_url: 'https://www.website.com/tasks/new' } } });
    expect(data.id).toBe(1738816);
    expect(typeof data.webhook.outgoing_url).toBe('string');
  });

  it('creates a task without a kind, a reminder by default', async () => {
    await expect(client.createTask({ body: { task: { content: 'Позвонить' } } })).resolves.toMatchObject({ data: expect.any(Object) });
  });

  it('sends an export request and a form with a field the vendor may add, which the mock accepts', async () => {
    const exportBody = { start_at: '2025-03-01', end_at: '2025-03-31', webhook_url: 'https://example.com/hook', added_later: true };
    await expect(client.requestChatExport({ body: exportBody as never })).resolves.toBeUndefined();
    const form = { type: 'modal', trigger_id: 'trg', view: { title: 'Отпуск', blocks: [{ type: 'header', text: 'Заявка' }] }, added_later: 1 };
    await expect(client.openView({ body: form as never })).resolves.toBeUndefined();
  });
});
