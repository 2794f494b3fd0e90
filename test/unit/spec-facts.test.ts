/**
 * Facts the specs state that the clients' helpers rely on: the servers, and the enums and limits the helpers check
 * before anything is sent. Each is read here from the spec's YAML as written, so a change to the spec that the
 * generated output and the clients do not follow fails here.
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { parseYaml } from '@redocly/openapi-core';
import { describe, expect, it } from 'vitest';
import { repoRoot } from '../../scripts/lib/apis.js';
import { RequestValidationError } from '../../src/core/errors/errors.js';
import { createOkClient, MAX_ATTACHMENTS, OK_BASE_URL } from '../../src/ok/index.js';
import { createPachcaClient, PACHCA_BASE_URL } from '../../src/pachca/index.js';
import { createUnetAuth, UNET_AUTH_URL } from '../../src/unet/index.js';
import { fakeClock, json, scriptedFetch } from './helpers.js';

type Node = Record<string, unknown>;

/** One YAML file of `specs/`, parsed. */
async function specFile(file: string): Promise<Node> {
  return parseYaml(await readFile(path.join(repoRoot, 'specs', file), 'utf8')) as Node;
}

/** The first server a spec file (a root document or a path item) names. */
async function firstServer(file: string): Promise<string> {
  const servers = (await specFile(file)).servers as { url: string }[];
  return servers[0]?.url as string;
}

/** The `enum` of a schema, or of a parameter's schema. */
function enumOf(node: Node): unknown[] {
  return ((node.schema as Node | undefined) ?? node).enum as unknown[];
}

describe('the servers the specs name', () => {
  it("Pachca's default base URL is the first server of its spec, and a client given no baseUrl calls it", async () => {
    const server = await firstServer('pachca/openapi.yaml');
    expect(PACHCA_BASE_URL).toBe(server);
    const fetch = scriptedFetch(json(200, { data: { id: 1, user_id: 2, scopes: [] } }));
    await createPachcaClient({ token: 'tok-servers-0123', fetch }).getTokenInfo();
    expect(fetch.seen.map((request) => request.url)).toEqual([`${server}/oauth/token/info`]);
  });

  it("OK's default base URL is the first server of its spec, and a client given no baseUrl calls it", async () => {
    const server = await firstServer('ok/openapi.yaml');
    expect(OK_BASE_URL).toBe(server);
    const fetch = scriptedFetch(json(200, { name: 'Group', group_id: 'group:1' }));
    await createOkClient({ accessToken: 'tkn-servers-0123', fetch }).getInfo();
    const called = new URL(fetch.seen[0]?.url ?? '');
    expect(`${called.origin}${called.pathname}`).toBe(`${server}/me/info`);
  });

  it("uNet's authorization server is the server of each OAuth path, and the auth client builds and calls URLs on it", async () => {
    const servers = await Promise.all(['unet/paths/auth.yaml', 'unet/paths/token.yaml', 'unet/paths/token-props.yaml'].map(firstServer));
    expect(servers).toEqual([UNET_AUTH_URL, UNET_AUTH_URL, UNET_AUTH_URL]);
    const [server] = servers;
    const fetch = scriptedFetch(
      json(200, { access_token: 'acc-servers-0123', refresh_token: 'ref-servers-0123', resource_uri: 'https://3801130518.unet.com/api/' }),
      json(200, { user_id: '3801130518' }),
    );
    const auth = createUnetAuth({ clientId: 'app-1', clientSecret: 'sec-servers-0123', redirectUri: 'https://example.com/cb', fetch });
    expect(auth.authorizeUrl({ scope: 'messages_read', state: 's1' }).startsWith(`${server}/auth?`)).toBe(true);
    await auth.exchangeCode('code-servers-0123');
    await auth.tokenProperties('acc-servers-0123');
    expect(fetch.seen.map((request) => request.url)).toEqual([`${server}/token`, `${server}/token_props`]);
  });
});

describe('enums and limits the helpers check before sending', () => {
  it("OK's long polling subscribes by default to every event type of the spec's OkEventType, in its order", async () => {
    const types = enumOf(await specFile('ok/components/schemas/OkEventType.yaml'));
    const controller = new AbortController();
    const fetch = scriptedFetch((url) => {
      if (new URL(url).pathname.endsWith('/subscribe')) return json(200, { success: true });
      controller.abort();
      return json(200, []);
    });
    await createOkClient({ accessToken: 'tkn-types-0123', fetch }).pollUpdates({ on: {}, signal: controller.signal, clock: fakeClock() });
    expect(JSON.parse(String(fetch.seen[0]?.body))).toEqual({ types, longPolling: true });
  });

  it("OK's MAX_ATTACHMENTS is the maxItems of the attachments its spec's OutgoingMessage takes", async () => {
    const branches = (await specFile('ok/components/schemas/OutgoingMessage.yaml')).oneOf as Node[];
    const attachments = branches.map((branch) => (branch.properties as Node | undefined)?.attachments as Node | undefined).find(Boolean);
    expect(MAX_ATTACHMENTS).toBe(attachments?.maxItems);
  });

  it("OK's uploadFile refuses a type its spec's getFileUploadUrl does not list, naming the spec's list, before any request", async () => {
    const spec = await specFile('ok/paths/me-file-upload-url.yaml');
    const typeParameter = ((spec.get as Node).parameters as Node[]).find((parameter) => parameter.name === 'type') as Node;
    const fetch = scriptedFetch(json(500, {}));
    const ok = createOkClient({ accessToken: 'tkn-upload-0123', fetch });
    const upload = ok.uploadFile({ data: 'x', type: 'PICTURE' as never, contentType: 'image/png' });
    await expect(upload).rejects.toThrow(RequestValidationError);
    await expect(upload).rejects.toThrow(`type: must be one of ${enumOf(typeParameter).join(', ')}`);
    expect(fetch.seen).toEqual([]);
  });

  it("Pachca's uploadFile refuses a fileType outside its spec's FileType, naming the spec's list, before any request", async () => {
    const fileTypes = enumOf(await specFile('pachca/components/schemas/FileType.yaml'));
    const fetch = scriptedFetch(json(500, {}));
    const pachca = createPachcaClient({ token: 'tok-upload-0123', fetch });
    const upload = pachca.uploadFile({ data: 'x', name: 'a.txt', contentType: 'text/plain', fileType: 'video' as never });
    await expect(upload).rejects.toThrow(`fileType: must be one of ${fileTypes.join(', ')}`);
    expect(fetch.seen).toEqual([]);
  });

  it("Pachca's poller refuses a limit above its spec's maximum before any request, and asks for pages of that maximum by default", async () => {
    const spec = await specFile('pachca/paths/webhook-events.yaml');
    const limitParameter = ((spec.get as Node).parameters as Node[]).find((parameter) => parameter.name === 'limit') as Node;
    const maximum = (limitParameter.schema as { maximum: number }).maximum;
    const controller = new AbortController();
    const fetch = scriptedFetch(() => {
      controller.abort();
      return json(200, { data: [], meta: { paginate: { has_next: false } } });
    });
    const pachca = createPachcaClient({ token: 'tok-poll-0123', fetch });

    await expect(pachca.pollWebhookEvents({ on: {}, limit: maximum + 1 })).rejects.toMatchObject({ name: 'RequestValidationError', field: 'limit' });
    expect(fetch.seen).toEqual([]);

    await pachca.pollWebhookEvents({ on: {}, signal: controller.signal, clock: fakeClock() });
    expect(fetch.seen.map((request) => new URL(request.url).searchParams.get('limit'))).toEqual([String(maximum)]);
  });
});
