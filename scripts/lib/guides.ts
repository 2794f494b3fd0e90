/**
 * The guide pages of the API reference, written as small HTML fragments: what a user of any of the three
 * clients needs to know about errors and retries, pagination and uploads. Each page gets the reference's header.
 */

/** One guide page. */
export interface Guide {
  readonly file: string;
  readonly title: string;
  readonly summary: string;
  readonly body: string;
}

/**
 * The landing page's quick start per API: each runs as written (the package test runs it against the mocks), with
 * the credentials from the environment.
 */
export const QUICK_STARTS: Readonly<Record<string, string>> = {
  pachca: `import { createPachcaClient } from 'messaging-api-clients/pachca';

const pachca = createPachcaClient(); // the token from PACHCA_TOKEN
const { data } = await pachca.createMessage({
  body: { message: { entity_id: 198, content: 'Hello' } },
});
console.log(data.id);`,
  ok: `import { createOkClient, sendText } from 'messaging-api-clients/ok';

const ok = createOkClient(); // the token from OK_ACCESS_TOKEN
await ok.send(sendText('chat:C3ecb9d02a600', 'Hello'));`,
  unet: `import { createUnetClient } from 'messaging-api-clients/unet';

// UNET_ACCESS_TOKEN and UNET_RESOURCE_URI hold a user's token set (createUnetAuth runs the OAuth flow that yields it)
const unet = createUnetClient();
await unet.addMessage({ q: { chat_id: 2200334455, message: 'Hello' } });`,
};

export const GUIDES: readonly Guide[] = [
  {
    file: 'guide-errors.html',
    title: 'Errors and retries',
    summary: 'What each failure becomes, what is retried, and why a message is never sent twice.',
    body: `
<p>Every failure is a <code>ClientError</code> subclass, thrown in bounded time, and none carries a token or a
secret in its message, fields, causes or log lines.</p>
<table>
<thead><tr><th>what happened</th><th>what you get</th><th>retried?</th></tr></thead>
<tbody>
<tr><td>bad input (unknown key, <code>..</code> as a path value, a line break in a header)</td><td><code>RequestValidationError</code> naming the field, before anything is sent</td><td>never</td></tr>
<tr><td>connection refused, reset, DNS, TLS, or a body that breaks off</td><td><code>NetworkError</code> with the root <code>code</code> (e.g. <code>ECONNREFUSED</code>)</td><td>idempotent calls only</td></tr>
<tr><td>no answer within <code>timeoutMs</code></td><td><code>TimeoutError</code></td><td>—</td></tr>
<tr><td>your <code>AbortSignal</code> fired</td><td><code>AbortError</code></td><td>—</td></tr>
<tr><td>a 3xx redirect</td><td><code>RedirectError</code>; redirects are never followed</td><td>never</td></tr>
<tr><td>429 Too Many Requests</td><td><code>RateLimitError</code> with <code>retryAfterMs</code></td><td>every method, after <code>Retry-After</code></td></tr>
<tr><td>408, 5xx</td><td><code>ServerError</code></td><td>idempotent calls only</td></tr>
<tr><td>other 4xx</td><td><code>BadRequestError</code>, <code>AuthenticationError</code>, <code>NotFoundError</code>, …</td><td>never</td></tr>
<tr><td>a 2xx that is empty, not JSON, or of the wrong shape</td><td><code>UnexpectedResponseError</code></td><td>never</td></tr>
</tbody>
</table>
<p>Sending a message is not idempotent: after a 5xx or a dropped connection the server may already have posted
it, so the client reports the failure instead of posting it again. Only a 429, which the server refused, is
repeated for every method.</p>
<pre><code class="language-ts">import { createPachcaClient } from 'messaging-api-clients/pachca';
import { NotFoundError, RateLimitError } from 'messaging-api-clients/core';

const pachca = createPachcaClient(); // the token from PACHCA_TOKEN
try {
  await pachca.getMessage({ id: 194275 }, { timeoutMs: 5000 });
} catch (error) {
  if (error instanceof NotFoundError) console.log(error.status, error.body, error.requestId);
  else if (error instanceof RateLimitError) console.log('wait', error.retryAfterMs, 'ms');
  else throw error;
}</code></pre>
<p>Retries are set per client: <code>retry: { maxRetries, baseDelayMs, maxDelayMs, maxRetryAfterMs, retryStatuses }</code>.</p>`,
  },
  {
    file: 'guide-pagination.html',
    title: 'Pagination',
    summary: 'Lazy iterators that fetch one page at a time and always end.',
    body: `
<p>Every paginated list has an iterator named after it: <code>listChatMessages</code> →
<code>iterateChatMessages</code>, OK's <code>listMessages</code> → <code>iterateMessages</code>. It takes the list's
input without the cursor, fetches a page only when you reach it, and holds one page at a time.</p>
<pre><code class="language-ts">import { createPachcaClient } from 'messaging-api-clients/pachca';

const pachca = createPachcaClient(); // the token from PACHCA_TOKEN
for await (const message of pachca.iterateChatMessages({ chat_id: 334, limit: 50 })) {
  if (message.content.includes('report')) break; // no further page is fetched
}</code></pre>
<p>Pachca pages by opaque cursor (<code>meta.paginate.next_page</code> until <code>has_next</code> is false), uNet by
<code>next_cursor</code>, OK's chats by <code>marker</code>. OK's history pages by time (its spec says so with
<code>x-pagination: { by: time, … }</code>): the iterator starts at the <code>from</code> you give (the newest
message when you give none), asks again just above the oldest timestamp seen and drops the messages it already
gave, so no message is lost or repeated at a page edge; when one timestamp fills a whole page, it asks for bigger
pages.</p>
<p>An iterator always ends: a server that hands back a cursor it already gave, or ten empty pages in a row that
each name another page, ends the walk with a <code>PaginationError</code>.</p>`,
  },
  {
    file: 'guide-uploads.html',
    title: 'Uploads',
    summary: 'Two-step file uploads, with the token kept away from storage hosts.',
    body: `
<p>Both Pachca and OK upload in two steps: ask the API where to upload, then send the file there. The second
step goes to a storage host, so the clients never send your token with it; a signed URL's signature is redacted
like a token in every error and log line.</p>
<pre><code class="language-ts">import { readFile } from 'node:fs/promises';
import { createPachcaClient } from 'messaging-api-clients/pachca';
import { createOkClient, sendAttachment } from 'messaging-api-clients/ok';

const pachca = createPachcaClient(); // the token from PACHCA_TOKEN
const ok = createOkClient(); // the token from OK_ACCESS_TOKEN
const bytes = await readFile('report.pdf');

// Pachca: returns the entry for message.files
const file = await pachca.uploadFile({ data: bytes, name: 'report.pdf', contentType: 'application/pdf' });
await pachca.createMessage({ body: { message: { entity_id: 198, content: 'The report', files: [file] } } });

// OK: returns the attachment to send (any content type; AUDIO and IMAGE must carry theirs)
const attachment = await ok.uploadFile({ data: bytes, type: 'FILE', contentType: 'application/pdf' });
await ok.send(sendAttachment('chat:C3ecb9d02a600', attachment));</code></pre>
<p>The typed methods of the second step (<code>pachca.directUpload</code>, <code>ok.uploadFileContent</code>) go to the
upload host the spec names; give another with the per-call <code>baseUrl</code> option.</p>`,
  },
  {
    file: 'guide-events.html',
    title: 'Receiving events',
    summary: 'Verified, typed webhooks in Fetch and Node forms, and polling for bots without a public URL.',
    body: `
<p>Each API has one handler in two forms: <code>handler.fetch(request)</code> for Fetch-style servers (Hono,
Next.js route handlers, Bun, Deno, Workers) and <code>handler.node(req, res)</code> for node:http, Express and
Fastify.</p>
<pre><code class="language-ts">// Fragment: \`app\` is your Express app.
import { createPachcaWebhookHandler } from 'messaging-api-clients/pachca';

const webhook = createPachcaWebhookHandler({
  signingSecret: process.env.PACHCA_SIGNING_SECRET!,
  on: {
    message: (event) => console.log(event.content),
    button: (event) => console.log('pressed', event.data, 'open a form within 3 s with', event.trigger_id),
  },
});
app.post('/pachca', webhook.node);</code></pre>
<table>
<thead><tr><th>check</th><th>on failure</th></tr></thead>
<tbody>
<tr><td>Pachca: <code>Pachca-Signature</code>, the hex HMAC-SHA256 of the raw body, compared in constant time</td><td>401 <code>bad-signature</code> or <code>missing-signature</code></td></tr>
<tr><td>Pachca: <code>webhook_timestamp</code> within the replay window (60 s)</td><td>401 <code>stale-timestamp</code></td></tr>
<tr><td>the raw bytes are available (not parsed and re-serialised)</td><td>400 <code>raw-body-unavailable</code></td></tr>
<tr><td>OK (optional): the sender is in OK's documented networks</td><td>403 <code>untrusted-source</code></td></tr>
<tr><td>the body is a known event</td><td>400 <code>malformed-body</code></td></tr>
</tbody>
</table>
<p>A duplicate delivery is dropped. Your code's success answers 200 and its failure 500, so that the vendor
delivers again; code still running after 2 s (Pachca) or 4 s (OK) gets a 200 at once so the vendor's deadline
is kept.</p>
<p>Without a public URL: <code>pachca.pollWebhookEvents({ on, signal })</code> deletes each stored event only after
your code handled it; <code>ok.pollUpdates({ on, signal })</code> uses OK's long polling.</p>`,
  },
];
