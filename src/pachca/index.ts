/** The public surface of the Pachca client. */
export { createPachcaClient, PACHCA_BASE_URL, PACHCA_TOKEN_VARIABLE } from './client.js';
export type {
  AuditEvent,
  Bot,
  ButtonRows,
  Chat,
  GroupTag,
  Task,
  User,
  FileInput,
  FileType,
  Message,
  MessageCreateRequest,
  MessageUpdateRequest,
  PachcaClient,
  PachcaClientOptions,
  PachcaHelpers,
  Reaction,
  StoredWebhookEvent,
  Thread,
  UploadFileInput,
} from './client.js';
export { isPachcaApiError, isPachcaOAuthError } from './errors.js';
export type { PachcaApiError, PachcaErrorBody, PachcaHttpError, PachcaOAuthError } from './errors.js';
export { BUTTON_LIMITS, ButtonLayoutError } from './validate.js';
export type * from '../../generated/pachca.js';
export type { components as PachcaComponents, paths as PachcaPaths } from '../../generated/pachca.js';
export {
  createPachcaWebhookHandler,
  dispatchPachcaEvent,
  handlePachcaEvents,
  pachcaEventKey,
  pachcaOrderKey,
  PACHCA_SIGNATURE_HEADER,
  parsePachcaEvent,
  signPachcaWebhook,
  verifyPachcaWebhook,
} from './webhooks.js';
export type {
  PachcaButtonEvent,
  PachcaChatMemberEvent,
  PachcaCompanyMemberEvent,
  PachcaEventHandlers,
  PachcaLinkSharedEvent,
  PachcaMessageEvent,
  PachcaReactionEvent,
  PachcaVerifyOptions,
  PachcaVideoCallEvent,
  PachcaViewSubmitEvent,
  PachcaWebhookEvent,
  PachcaWebhookHandlerOptions,
  SignedPachcaDelivery,
  SignPachcaWebhookOptions,
} from './webhooks.js';
export type { PollWebhookEventsOptions, PollWebhookEventsSettings, PollWebhookEventsTarget } from './events.js';
export type { WebhookHandler, WebhookHandlerOptions } from '../core/webhooks/webhook-handler.js';
export { createMemoryDeliveryStore } from '../core/webhooks/deliveries.js';
export type { DeliveryStore, MemoryDeliveryStoreOptions } from '../core/webhooks/deliveries.js';
export { PACHCA_BUDGETS } from './rate-limits.js';
export type { PachcaBudget } from './rate-limits.js';
export { describeAccess } from '../core/client/access.js';
export type { AccessReport, OperationAccess } from '../core/client/access.js';
