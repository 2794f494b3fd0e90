/**
 * A client given no credential reads it from the environment, as other SDKs do: `PACHCA_TOKEN`, `OK_ACCESS_TOKEN`,
 * `UNET_ACCESS_TOKEN` with `UNET_RESOURCE_URI`. A missing one is a `RequestValidationError` naming the variable.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { RequestValidationError } from '../../src/core/errors/errors.js';
import { createPachcaClient } from '../../src/pachca/index.js';
import { createOkClient } from '../../src/ok/index.js';
import { createUnetClient } from '../../src/unet/index.js';
import { json, scriptedFetch } from './helpers.js';

afterEach(() => {
  vi.unstubAllEnvs();
});

function thrown(create: () => unknown): RequestValidationError {
  try {
    create();
  } catch (error) {
    if (error instanceof RequestValidationError) return error;
    throw error;
  }
  throw new Error('the client was created');
}

describe('Pachca: PACHCA_TOKEN', () => {
  it('sends the token from PACHCA_TOKEN when none is given, and never prints it', async () => {
    vi.stubEnv('PACHCA_TOKEN', 'env-token-0123456789');
    const fetch = scriptedFetch(json(404, { errors: [{ key: 'id', message: 'not found env-token-0123456789', code: 'not_found' }] }));
    const error = (await createPachcaClient({ fetch }).getProfile().catch((caught: unknown) => caught)) as Error;
    expect(fetch.seen[0]?.headers.get('authorization')).toBe('Bearer env-token-0123456789');
    expect(error.message).not.toContain('env-token-0123456789');
  });

  it('prefers the token it is given', async () => {
    vi.stubEnv('PACHCA_TOKEN', 'env-token-0123456789');
    const fetch = scriptedFetch(json(200, { data: {} }));
    await createPachcaClient({ token: 'given-token-0123', fetch }).getProfile();
    expect(fetch.seen[0]?.headers.get('authorization')).toBe('Bearer given-token-0123');
  });

  it('names the variable when neither is there', () => {
    vi.stubEnv('PACHCA_TOKEN', undefined);
    const error = thrown(() => createPachcaClient());
    expect(error.field).toBe('token');
    expect(error.message).toBe('token: is required: pass { token } or set the environment variable PACHCA_TOKEN; nothing was sent');
  });

  it('treats an empty PACHCA_TOKEN as missing', () => {
    vi.stubEnv('PACHCA_TOKEN', '');
    expect(thrown(() => createPachcaClient()).message).toContain('PACHCA_TOKEN');
  });

  it('says so on a runtime without process.env', () => {
    const saved = globalThis.process;
    let error: RequestValidationError;
    vi.stubGlobal('process', undefined);
    try {
      error = thrown(() => createPachcaClient());
    } finally {
      vi.stubGlobal('process', saved);
      vi.unstubAllGlobals();
    }
    expect(error.message).toBe('token: is required: this runtime has no process.env to read PACHCA_TOKEN from; nothing was sent');
  });
});

describe('OK: OK_ACCESS_TOKEN', () => {
  it('sends the token from OK_ACCESS_TOKEN as access_token', async () => {
    vi.stubEnv('OK_ACCESS_TOKEN', 'tkn1:env-secret');
    const fetch = scriptedFetch(json(200, { id: 1 }));
    await createOkClient({ fetch }).getInfo().catch(() => undefined);
    expect(new URL(fetch.seen[0]?.url ?? '').searchParams.get('access_token')).toBe('tkn1:env-secret');
  });

  it('names the variable when it is missing', () => {
    vi.stubEnv('OK_ACCESS_TOKEN', undefined);
    expect(thrown(() => createOkClient()).message).toBe(
      'accessToken: is required: pass { accessToken } or set the environment variable OK_ACCESS_TOKEN; nothing was sent',
    );
  });
});

describe('uNet: UNET_ACCESS_TOKEN and UNET_RESOURCE_URI', () => {
  it('sends the token to the resource URI from the environment', async () => {
    vi.stubEnv('UNET_ACCESS_TOKEN', 'unet-env-token-0123');
    vi.stubEnv('UNET_RESOURCE_URI', 'https://3801130518.unet.com/api/');
    const fetch = scriptedFetch(json(200, { items: [] }));
    await createUnetClient({ fetch }).listChats();
    expect(fetch.seen[0]?.url).toMatch(/^https:\/\/3801130518\.unet\.com\/api\//);
    expect(fetch.seen[0]?.headers.get('authorization')).toBe('Bearer unet-env-token-0123');
  });

  it('names each variable that is missing', () => {
    vi.stubEnv('UNET_ACCESS_TOKEN', undefined);
    vi.stubEnv('UNET_RESOURCE_URI', 'https://3801130518.unet.com/api/');
    expect(thrown(() => createUnetClient()).message).toBe(
      'accessToken: is required: pass { accessToken } or set the environment variable UNET_ACCESS_TOKEN; nothing was sent',
    );
    vi.stubEnv('UNET_ACCESS_TOKEN', 'unet-env-token-0123');
    vi.stubEnv('UNET_RESOURCE_URI', undefined);
    expect(thrown(() => createUnetClient()).message).toBe(
      'resourceUri: is required: pass { resourceUri } or set the environment variable UNET_RESOURCE_URI; nothing was sent',
    );
  });
});
