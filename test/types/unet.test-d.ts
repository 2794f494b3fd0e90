/** Type tests for uNet: `q` is typed as the request document it carries, not as a string. */
import { describe, expectTypeOf, it } from 'vitest';
import { createUnetClient, type UnetMessage, type UnetTokenSet } from '../../src/unet/index.js';

const client = createUnetClient({ accessToken: 'a', resourceUri: 'https://1.unet.com/api/' });

describe('uNet types', () => {
  it('types q as the list request', () => {
    void client.listMessages({ q: { chat_id: 1, period: { from: '2026-11-01', till: '2026-11-30' } } });
    // @ts-expect-error chat_id is required in q
    void client.listMessages({ q: { limit: 5 } });
    // @ts-expect-error q is a document, not a string the caller serializes
    void client.listMessages({ q: '{"chat_id":1}' });
    // @ts-expect-error colour is not a field of the add request
    void client.addMessage({ q: { chat_id: 1, colour: 'red' } });
  });

  it('needs either a token set or an access token with its resource URI', () => {
    // @ts-expect-error the resource URI is missing
    void createUnetClient({ accessToken: 'a' });
    // @ts-expect-error the access token is missing
    void createUnetClient({ resourceUri: 'https://1.unet.com/api/' });
    // Neither: both come from UNET_ACCESS_TOKEN and UNET_RESOURCE_URI.
    expectTypeOf(createUnetClient).toBeCallableWith();
    expectTypeOf(createUnetClient).toBeCallableWith({ timeoutMs: 5000 });
  });

  it('types the token set', () => {
    expectTypeOf<UnetTokenSet['expiresIn']>().toEqualTypeOf<number | undefined>();
    expectTypeOf<UnetTokenSet['expiresAt']>().toEqualTypeOf<Date | undefined>();
    expectTypeOf(client.getMessage).returns.resolves.toEqualTypeOf<UnetMessage>();
  });
});
