/**
 * `npm run demo`: the three clients at work with no credentials and no network. It starts a Prism mock of each
 * spec (answering with the specs' examples and checking every request), runs one realistic scenario per API
 * through the public clients, prints what happened, and stops the mocks.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { writeBundles } from './lib/apis.js';
import type { RequestLogEntry } from '../src/core/index.js';
import { createOkClient, parseServiceMessage, sendText, sendToUsers, setTitle } from '../src/ok/index.js';
import { createPachcaClient } from '../src/pachca/index.js';
import { startMockServer, type MockApi, type MockServer } from '../src/testing/index.js';
import { createUnetAuth, createUnetClient } from '../src/unet/index.js';

const bold = (text: string): string => (process.stdout.isTTY ? `\x1b[1m${text}\x1b[0m` : text);
const step = (text: string): void => console.log(`  • ${text}`);
/** Prints each HTTP exchange under the step that caused it; the URLs are already redacted. */
const requestLog = (entry: RequestLogEntry): void => {
  const url = new URL(entry.url);
  console.log(`      ${entry.method} ${url.pathname}${decodeURIComponent(url.search)} → ${entry.status ?? entry.error}`);
};

async function pachcaScenario(mock: MockServer): Promise<void> {
  console.log(bold('\nPachca — upload a file, send it with buttons, page through the chat'));
  const pachca = createPachcaClient({ token: 'demo-token', ...mock.clientOptions, onLog: requestLog });
  const file = await pachca.uploadFile({ data: 'Sales: 756 T-shirts\n', name: 'report.txt', contentType: 'text/plain' });
  step(`uploaded ${file.name} (${file.size} bytes) as ${file.key}`);
  const { data: message } = await pachca.createMessage({
    body: {
    message: {
      entity_id: 198,
      content: 'Yesterday we sold 756 T-shirts, the report is attached',
      files: [file],
      buttons: [[{ text: 'Details', url: 'https://example.com/details' }, { text: 'Great!', data: 'awesome' }]],
    },
    link_preview: true,
    },
  });
  step(`sent message ${message.id} to chat ${message.chat_id}: ${message.url}`);
  let count = 0;
  for await (const item of pachca.iterateChatMessages({ chat_id: message.chat_id, limit: 20 })) {
    count++;
    step(`history: #${item.id} by user ${item.user_id}: “${item.content.slice(0, 40)}…” (thread ${item.thread?.id ?? 'none'})`);
  }
  step(`${count} message(s) in the chat`);
}

async function okScenario(mock: MockServer): Promise<void> {
  console.log(bold('\nOK.ru — send a text, rename the chat, mass send, page through history'));
  const chat = 'chat:C3ecb9d02a600';
  const ok = createOkClient({ accessToken: 'tkn18YdUJZe:CQABPOJKAKEKEKEKE', ...mock.clientOptions, onLog: requestLog });
  step(`sent a text: ${JSON.stringify(await ok.send(sendText(chat, 'Привет!')))}`);
  step(`renamed the chat: ${JSON.stringify(await ok.send(setTitle(chat, 'Наш уютный чатик')))}`);
  const mass = await ok.send(sendToUsers(['user:123456789012', '210987654321'], 'Hello'));
  if ('chat_ids' in mass) step(`mass send: delivered ${JSON.stringify(mass.success)}, chats ${JSON.stringify(mass.chat_ids)}`);
  for await (const envelope of ok.iterateMessages({ chat_id: chat, count: 50 })) {
    const event = parseServiceMessage(envelope);
    const what = event ? `service event ${event.kind} (${event.userId})` : `“${envelope.message.text}”`;
    step(`history: seq ${envelope.message.seq} at ${new Date(Number(envelope.timestamp)).toISOString()}: ${what}`);
  }
}

async function unetScenario(mock: MockServer): Promise<void> {
  console.log(bold('\nuNet — authorize, list chats, send, edit, delete, page through a chat'));
  const auth = createUnetAuth({ clientId: '1234567890', clientSecret: 'demo-secret', redirectUri: 'https://example.com/unet/callback', ...mock.clientOptions, onLog: requestLog });
  step(`authorization URL: ${auth.authorizeUrl({ scope: ['messages_read', 'messages_write'], state: '9f2c4e1a' })}`);
  const code = auth.codeFromRedirect('https://example.com/unet/callback?code=SplxlOBeZQQYbYS6WxSbIA&state=9f2c4e1a', '9f2c4e1a');
  const tokens = await auth.exchangeCode(code);
  step(`tokens for user ${tokens.userId}: expire in ${tokens.expiresIn} s (at ${tokens.expiresAt?.toISOString()}), API at ${tokens.resourceUri}`);
  const unet = createUnetClient({ tokens, auth, ...mock.clientOptions, onTokens: () => step('tokens refreshed'), onLog: requestLog });
  const { items: chats = [] } = await unet.listChats();
  step(`chats: ${chats.map((chat) => `${chat.chat_id} (${chat.type}${chat.name ? `, ${chat.name}` : ''})`).join('; ')}`);
  const added = await unet.addMessage({ q: { chat_id: 2200334455, message: 'Отчёт готов' } });
  step(`sent message ${added.id}`);
  await unet.editMessage({ id: added.id ?? 0, q: { chat_id: 2200334455, message: 'Отчёт готов, ссылка в почте' } });
  step(`edited message ${added.id}`);
  await unet.deleteMessage({ id: added.id ?? 0 });
  step(`deleted message ${added.id}`);
  for await (const message of unet.iterateMessages({ q: { chat_id: 2200334455, query: 'отчёт', period: { from: '2026-11-01', till: '2026-11-30' } } })) {
    step(`history: #${message.id} from ${message.uid}: “${message.message}”`);
  }
}

const workDir = await mkdtemp(path.join(tmpdir(), 'demo-'));
const mocks = new Map<MockApi, MockServer>();
try {
  const specs = await writeBundles(workDir);
  console.log('Starting Prism mocks of the three specs…');
  await Promise.all(
    (['pachca', 'ok', 'unet'] as const).map(async (api) => mocks.set(api, await startMockServer(api, { specPath: specs[api] as string, serveSpecServers: true }))),
  );
  await pachcaScenario(mocks.get('pachca') as MockServer);
  await okScenario(mocks.get('ok') as MockServer);
  await unetScenario(mocks.get('unet') as MockServer);
  console.log(bold('\nDone: every request above was validated by a mock built from the specs.'));
} finally {
  await Promise.all([...mocks.values()].map((mock) => mock.close()));
  await rm(workDir, { recursive: true, force: true });
}
