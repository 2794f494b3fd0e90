/**
 * What makes a Pachca core besides the spec: the Bearer token, how errors read, the cross-field rules and how a
 * refused button is reported, the documented rate budgets, and the checks of answers the helpers rely on. The
 * full client (`createPachcaClient`) and the standalone operations (`/pachca/operations`) share it.
 */
import { credentialLocations, defaultServer, type PachcaOperations } from '../../generated/pachca.js';
import { createCore, type ApiCore, type CoreConfig, checkClientOptions } from '../core/client/client.js';
import type { CommonClientOptions } from '../core/client/types.js';
import { bearerToken, secretOrEnvironment } from '../core/exchange/credentials.js';
import { expectFields } from '../core/errors/shape.js';
import type { ThrottleOptions } from '../core/limits/throttle.js';
import { describePachcaError, pachcaPermissionHint } from './errors.js';
import { classifyPachcaRequest, PACHCA_BUDGETS, type PachcaBudget } from './rate-limits.js';
import { messageRules, pachcaRefusal } from './validate.js';

/** The default Pachca API server: the first of the spec's `servers` (`specs/pachca/openapi.yaml`). */
export const PACHCA_BASE_URL = defaultServer;

/** Options of {@link createPachcaClient}. */
export interface PachcaClientOptions extends CommonClientOptions {
  /**
   * A personal or bot access token, sent as a Bearer token and never printed.
   * @default the environment variable `PACHCA_TOKEN`, where `process.env` exists
   */
  readonly token?: string;
  /**
   * Hold requests back within Pachca's documented budgets (`PACHCA_BUDGETS`: per chat for message writes, per
   * token for the rest); `true` for the defaults in memory, or a store shared by many workers.
   * @default off
   */
  readonly throttle?: true | ThrottleOptions<PachcaBudget>;
}

const messageShape = expectFields({ data: 'object' });

/** The environment variable a Pachca client reads its token from when it is given none. */
export const PACHCA_TOKEN_VARIABLE = 'PACHCA_TOKEN';

/** The Pachca-specific part of a core's configuration; without `token`, it reads `PACHCA_TOKEN`. */
export function pachcaConfig(options: PachcaClientOptions = {}): Omit<CoreConfig<PachcaOperations>, 'credentialLocations'> {
  checkClientOptions(options, ['token', 'throttle', 'checkRequests']);
  const { token: given, ...common } = options;
  const token = secretOrEnvironment(given, 'token', PACHCA_TOKEN_VARIABLE);
  return {
    ...common,
    api: 'pachca',
    defaultBaseUrl: PACHCA_BASE_URL,
    authenticate: (redactor) => bearerToken(token, redactor),
    errors: { describe: describePachcaError, permissionHint: pachcaPermissionHint },
    refusal: pachcaRefusal,
    rules: { createMessage: messageRules, updateMessage: messageRules },
    rateLimits: { budgets: PACHCA_BUDGETS, classify: classifyPachcaRequest },
    checks: {
      createMessage: messageShape,
      getMessage: messageShape,
      updateMessage: messageShape,
      getUploadParams: expectFields({ direct_url: 'string', key: 'string' }),
      // A status is `{ data }`, or the bare `null` (no status set), which the reader passes before any check.
      getProfileStatus: messageShape,
      getUserStatus: messageShape,
      // checkAccess reads the scopes; a body without them is an UnexpectedResponseError, not a TypeError.
      getTokenInfo: expectFields({ data: 'object', 'data.scopes': 'array' }),
    },
  };
}

/**
 * Creates the core object the standalone operations of `messaging-api-clients/pachca/operations` are called with:
 * `await createMessage(core, { body })`. It takes the options of `createPachcaClient`.
 */
export function createPachcaCore(options: PachcaClientOptions = {}): ApiCore {
  return createCore({ ...pachcaConfig(options), credentialLocations });
}
