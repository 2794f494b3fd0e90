/** Type tests for sendExactlyOnce: one shape on every client, its options typed, its answer marked. */
import { describe, expectTypeOf, it } from 'vitest';
import type { Recovered } from '../../src/core/index.js';
import { createOkClient, sendText, type SendMessageResult, type SendUserMessageResult } from '../../src/ok/index.js';
import { createPachcaClient, type CreateMessageResult } from '../../src/pachca/index.js';
import { createUnetClient, type AddMessageResult } from '../../src/unet/index.js';

const pachca = createPachcaClient({ token: 't' });
const ok = createOkClient({ accessToken: 't' });
const unet = createUnetClient({ accessToken: 'a', resourceUri: 'https://1.unet.com/api/' });

describe('sendExactlyOnce types', () => {
  it('takes what the plain send takes, and resolves to its answer with recovered', () => {
    expectTypeOf(pachca.sendExactlyOnce({ body: { message: { entity_id: 1, content: 'x' } } })).resolves.toEqualTypeOf<Recovered<CreateMessageResult>>();
    expectTypeOf(ok.sendExactlyOnce(sendText('chat:C1', 'x'))).resolves.toEqualTypeOf<Recovered<SendMessageResult | SendUserMessageResult>>();
    expectTypeOf(unet.sendExactlyOnce({ q: { chat_id: 1, message: 'x' } })).resolves.toEqualTypeOf<Recovered<AddMessageResult>>();
    expectTypeOf<Recovered<AddMessageResult>['recovered']>().toEqualTypeOf<boolean>();
    // @ts-expect-error content is required
    void pachca.sendExactlyOnce({ body: { message: { entity_id: 1 } } });
  });

  it('takes the call options and how to look, nothing else', () => {
    void unet.sendExactlyOnce({ q: { chat_id: 1, message: 'x' } }, { settleMs: 1000, clockSkewMs: 5000, lookback: 20, timeoutMs: 500, signal: AbortSignal.timeout(1) });
    // @ts-expect-error settleMs is a number of milliseconds
    void unet.sendExactlyOnce({ q: { chat_id: 1, message: 'x' } }, { settleMs: '1s' });
    // @ts-expect-error an OK send takes a message body, not a chat change
    void ok.sendExactlyOnce({ recipient: { chat_id: 'chat:C1' }, title: 'x' });
  });
});
