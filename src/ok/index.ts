/** The public surface of the OK.ru Graph API client. */
export { createOkClient, OK_BASE_URL, OK_TOKEN_VARIABLE } from './client.js';
export type { HistoryOptions, OkChat, OkClient, OkClientOptions, OkHelpers, OkUploadFileInput, OkUploadType } from './client.js';
export {
  addMembers,
  inlineKeyboard,
  leave,
  MAX_ATTACHMENTS,
  removeMember,
  sendAttachment,
  sendAttachments,
  sendKeyboard,
  senderAction,
  sendText,
  sendToUser,
  sendToUsers,
  setIcon,
  setTitle,
} from './builders.js';
export type {
  MessageExtras,
  OkChatControlRequest,
  OkInlineKeyboardAttachment,
  OkKeyboardButton,
  OkMessageRequest,
  OkOutgoingAttachment,
  OkOutgoingMessage,
  OkSendRequest,
  OkSenderAction,
  OkSenderActionRequest,
} from './builders.js';
export { isOkError, isOkErrorBody, OkApiError, OkUploadError } from './errors.js';
export type { OkErrorBody, OkErrorFields } from './errors.js';
export { parseServiceMessage } from './service-messages.js';
export type { OkIncomingMessage, OkMessageEnvelope, OkServiceEvent } from './service-messages.js';
export type * from '../../generated/ok.js';
export type { components as OkComponents, paths as OkPaths } from '../../generated/ok.js';
export { createOkWebhookHandler, dispatchOkEvent, handleOkEvents, OK_SOURCE_NETWORKS, okEventKey, okOrderKey, parseOkEvent } from './webhooks.js';
export type {
  OkChatSystemEvent,
  OkEventHandlers,
  OkMessageCallbackEvent,
  OkMessageCreatedEvent,
  OkWebhookEvent,
  OkWebhookHandlerOptions,
  OkWebhookHandlerSettings,
} from './webhooks.js';
export type { OkEventType, PollUpdatesOptions, PollUpdatesSettings, PollUpdatesTarget } from './updates.js';
export type { WebhookHandler, WebhookHandlerOptions } from '../core/webhooks/webhook-handler.js';
export { createMemoryDeliveryStore } from '../core/webhooks/deliveries.js';
export type { DeliveryStore, MemoryDeliveryStoreOptions } from '../core/webhooks/deliveries.js';
