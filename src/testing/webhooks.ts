/**
 * Delivering the spec's example events to a bot's own webhook handler, signed as the vendor would, and reporting
 * what the handler answered: a bot's tests can check that every kind of event is handled, with no network and no
 * vendor account.
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { signPachcaWebhook } from '../pachca/webhooks.js';

/** What a handler answered to one example delivery. */
export interface ExampleDelivery {
  /** The example's name in the spec (`newMessage`, `buttonClick`, …). */
  readonly name: string;
  /** The event that was delivered (for Pachca, with the delivery's own `webhook_timestamp`). */
  readonly event: unknown;
  readonly status: number;
  readonly body: string;
}

/** Options of {@link deliverExampleEvents}. */
export interface DeliverExampleEventsOptions {
  /** For Pachca: the signing secret the handler was given. */
  readonly signingSecret?: string;
  /**
   * A bundled OpenAPI document to take the examples from.
   * @default the package's `openapi/<api>.json`
   */
  readonly specPath?: string;
  /**
   * The URL the requests are addressed to.
   * @default http://localhost/webhook
   */
  readonly url?: string;
}

type Example = { value?: unknown; $ref?: string };
type WebhookExamples = Record<string, Example>;

/** The examples of every webhook of a bundled spec, by name (following `#/components/examples/…` references). */
async function webhookExamples(specPath: string): Promise<[string, unknown][]> {
  const doc = JSON.parse(await readFile(specPath, 'utf8')) as {
    webhooks?: Record<string, { post?: { requestBody?: { content?: Record<string, { examples?: WebhookExamples }> } } }>;
    components?: { examples?: Record<string, Example> };
  };
  const resolve = (example: Example): unknown =>
    example.$ref?.startsWith('#/components/examples/') ? doc.components?.examples?.[example.$ref.slice('#/components/examples/'.length)]?.value : example.value;
  return Object.values(doc.webhooks ?? {}).flatMap((webhook) =>
    Object.values(webhook.post?.requestBody?.content ?? {}).flatMap((media) =>
      Object.entries(media.examples ?? {}).map(([name, example]) => [name, resolve(example)] as [string, unknown]),
    ),
  );
}

/**
 * Sends every example event of an API's spec to a handler's Fetch form, one request each (Pachca's signed with
 * `signingSecret` and stamped with the current time), and returns what it answered.
 */
export async function deliverExampleEvents(
  api: 'pachca' | 'ok',
  handler: { fetch(request: Request): Promise<Response> },
  options: DeliverExampleEventsOptions = {},
): Promise<ExampleDelivery[]> {
  const specPath = options.specPath ?? fileURLToPath(new URL(`../../openapi/${api}.json`, import.meta.url));
  const results: ExampleDelivery[] = [];
  for (const [name, example] of await webhookExamples(specPath)) results.push(await deliverEvent(api, handler, name, example as object, options));
  return results;
}

/**
 * Sends one event to a handler's Fetch form as the vendor would (Pachca's signed with `signingSecret` and stamped
 * with the current time) and reports what it answered. The fake's `deliverEvent` and {@link deliverExampleEvents}
 * both send through it.
 */
export async function deliverEvent(
  api: 'pachca' | 'ok',
  handler: { fetch(request: Request): Promise<Response> },
  name: string,
  event: object,
  options: { readonly signingSecret?: string; readonly url?: string },
): Promise<ExampleDelivery> {
  let body: string;
  let headers: Record<string, string> = { 'content-type': 'application/json' };
  if (api === 'pachca') {
    if (!options.signingSecret) throw new TypeError('Delivering a Pachca event needs the signingSecret the handler was given');
    const signed = await signPachcaWebhook(event, options.signingSecret);
    body = signed.body;
    headers = { ...signed.headers };
  } else {
    body = JSON.stringify(event);
  }
  const response = await handler.fetch(new Request(options.url ?? 'http://localhost/webhook', { method: 'POST', headers, body }));
  return { name, event: JSON.parse(body) as unknown, status: response.status, body: await response.text() };
}
