/** The public surface of the uNet client and its OAuth flow. */
export { AuthorizationDeniedError, createUnetAuth, describeOAuthError, UNET_AUTH_URL } from './auth.js';
export type { AuthorizeUrlOptions, UnetAuth, UnetAuthOptions, UnetOAuthError } from './auth.js';
export { createUnetClient, UNET_ENVIRONMENT } from './client.js';
export type {
  UnetChat,
  UnetClient,
  UnetClientOptions,
  UnetCredentialsOption,
  UnetHelpers,
  UnetMessage,
  UnetMessagesListRequest,
  UnetMessagesOperations,
} from './client.js';
export { parseExpiresIn } from './tokens.js';
export type { UnetTokenInput, UnetTokenResponse, UnetTokenSet } from './tokens.js';
export type * from '../../generated/unet.js';
export type { components as UnetComponents, paths as UnetPaths } from '../../generated/unet.js';
export { describeAccess } from '../core/client/access.js';
export type { AccessReport, OperationAccess } from '../core/client/access.js';
