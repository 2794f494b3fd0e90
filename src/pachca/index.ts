/** The public surface of the Pachca client. */
export { createPachcaClient, PACHCA_BASE_URL } from './client.js';
export type {
  ButtonRows,
  FileInput,
  FileType,
  Message,
  MessageCreateRequest,
  MessageListQuery,
  MessageUpdateRequest,
  PachcaClient,
  PachcaClientOptions,
  PachcaMessages,
  Reaction,
  Thread,
  UploadFileOptions,
} from './client.js';
export { isPachcaApiError, isPachcaOAuthError } from './errors.js';
export type { PachcaApiError, PachcaErrorBody, PachcaHttpError, PachcaOAuthError } from './errors.js';
export { BUTTON_LIMITS, ButtonLayoutError } from './validate.js';
export type { components as PachcaComponents, paths as PachcaPaths } from '../../generated/pachca.js';
