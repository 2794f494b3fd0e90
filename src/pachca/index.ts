/** The public surface of the Pachca client. */
export { createPachcaClient, PACHCA_BASE_URL } from './client.js';
export type {
  ButtonRows,
  FileInput,
  FileType,
  Message,
  MessageCreateRequest,
  MessageUpdateRequest,
  PachcaClient,
  PachcaClientOptions,
  PachcaHelpers,
  Reaction,
  Thread,
  UploadFileInput,
} from './client.js';
export { isPachcaApiError, isPachcaOAuthError } from './errors.js';
export type { PachcaApiError, PachcaErrorBody, PachcaHttpError, PachcaOAuthError } from './errors.js';
export { BUTTON_LIMITS, ButtonLayoutError } from './validate.js';
export type * from '../../generated/pachca.js';
export type { components as PachcaComponents, paths as PachcaPaths } from '../../generated/pachca.js';
