/**
 * What makes an OK core besides the spec: the token in the query string of requests to the API, OK's error bodies
 * (sent under any status), the optional per-chat budgets, and the check of the answer the upload helper relies
 * on. The full client (`createOkClient`) and the standalone operations (`/ok/operations`) share it.
 */
import { credentialLocations, defaultServer, type OkOperations } from '../../generated/ok.js';
import { createCore, type ApiCore, type CoreConfig, checkClientOptions } from '../core/client/client.js';
import type { CommonClientOptions } from '../core/client/types.js';
import { queryToken, secretOrEnvironment } from '../core/exchange/credentials.js';
import { expectFields } from '../core/errors/shape.js';
import { classifyBySendChat, NO_BUDGETS, type UserBudget } from '../core/limits/rate-budgets.js';
import type { ThrottleOptions } from '../core/limits/throttle.js';
import { createOkError, describeOkError, isOkErrorBody } from './errors.js';

/** The default OK Graph API server: the first of the spec's `servers` (`specs/ok/openapi.yaml`). */
export const OK_BASE_URL = defaultServer;

/** Options of {@link createOkClient}. */
export interface OkClientOptions extends CommonClientOptions {
  /**
   * The group's access token; sent as the `access_token` query parameter and never printed.
   * @default the environment variable `OK_ACCESS_TOKEN`, where `process.env` exists
   */
  readonly accessToken?: string;
  /**
   * Hold requests back within budgets you set (OK documents none): `sends` per chat, `other` per token.
   * @default off
   */
  readonly throttle?: ThrottleOptions<UserBudget>;
}

/** The environment variable an OK client reads its access token from when it is given none. */
export const OK_TOKEN_VARIABLE = 'OK_ACCESS_TOKEN';

/** The OK-specific part of a core's configuration; without `accessToken`, it reads `OK_ACCESS_TOKEN`. */
export function okConfig(options: OkClientOptions = {}): Omit<CoreConfig<OkOperations>, 'credentialLocations'> {
  checkClientOptions(options, ['accessToken', 'throttle', 'checkRequests']);
  const { accessToken: given, ...common } = options;
  const accessToken = secretOrEnvironment(given, 'accessToken', OK_TOKEN_VARIABLE);
  return {
    ...common,
    api: 'ok',
    defaultBaseUrl: OK_BASE_URL,
    // The spec's security scheme names the query parameter the token travels in.
    authenticate: (redactor) => queryToken(credentialLocations.query[0], accessToken, redactor, 'accessToken'),
    errors: { isError: isOkErrorBody, describe: describeOkError, create: createOkError },
    rateLimits: {
      budgets: NO_BUDGETS,
      classify: classifyBySendChat(
        new Set(['sendMessage', 'sendChatMessage', 'sendUserMessage', 'chatAction', 'answerCallback']),
        (input) => input.params?.path?.chat_id,
      ),
    },
    checks: {
      getFileUploadUrl: expectFields({ url: 'string' }),
    },
  };
}

/**
 * Creates the core object the standalone operations of `messaging-api-clients/ok/operations` are called with:
 * `await sendMessage(core, { chat_id, body })`. It takes the options of `createOkClient`.
 */
export function createOkCore(options: OkClientOptions = {}): ApiCore {
  return createCore({ ...okConfig(options), credentialLocations });
}
