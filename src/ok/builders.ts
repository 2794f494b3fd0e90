/**
 * Builders for the bodies of graph.user.messages, one per documented variant. Each returns a body the spec
 * accepts (exactly one variant, nothing mixed) and checks the documented limits first (ids, actions and warnings
 * by the spec's own generated checks), throwing a `RequestValidationError` that names the field.
 */
import { checkOutgoingMessage, checkPrivacyWarning, checkSenderAction, type components } from '../../generated/ok.js';
import { checkValue, refusalError, type FieldCheck } from '../core/checks/check.js';
import { RequestValidationError } from '../core/errors/errors.js';
import { describeType } from '../core/errors/shape.js';
import { optionalObject, requireObject, requireString } from '../core/request/arguments.js';
import { requireChatId, requireMessageId, requireUserId } from './ids.js';

type Schemas = components['schemas'];
/** Any body of `POST /me/messages/{chat_id}`. */
export type OkSendRequest = Schemas['SendRequest'];
/** A message body: to a chat, to one user, or to several users. */
export type OkMessageRequest = Schemas['MessageRequest'];
/** A chat change body. */
export type OkChatControlRequest = Schemas['ChatControlRequest'];
/** A sender action body. */
export type OkSenderActionRequest = Schemas['SenderActionRequest'];
/** The content of a message: a text, one attachment or several. */
export type OkOutgoingMessage = Schemas['OutgoingMessage'];
/** An attachment to send. */
export type OkOutgoingAttachment = Schemas['OutgoingAttachment'];
/** One to five attachments, as a message's `attachments` takes them. */
type AttachmentList = Extract<OkOutgoingMessage, { attachments: unknown }>['attachments'];
/** What a sender action announces. */
export type OkSenderAction = Schemas['SenderAction'];
/**
 * One button of an inline keyboard (its shape is inferred, see the spec): `CALLBACK` with a `payload` the bot
 * gets back as a `MESSAGE_CALLBACK` event, `LINK` with a `url`, `REQUEST_CONTACT` or `REQUEST_GEO_LOCATION`.
 */
export type OkKeyboardButton = Schemas['KeyboardButton'];
/** An `INLINE_KEYBOARD` attachment: rows of buttons under a message. */
export type OkInlineKeyboardAttachment = Schemas['InlineKeyboardAttachment'];

/**
 * The most attachments one message may carry: the spec's `maxItems` of a message's `attachments`; no limit if the
 * spec stated none, as for any other bound the spec leaves open.
 */
export const MAX_ATTACHMENTS: number =
  checkOutgoingMessage.oneOf?.find((branch) => branch.properties?.attachments)?.properties?.attachments?.count?.[1] ?? Number.POSITIVE_INFINITY;

/** Whether a list holds as many attachments as a message takes, which its tuple type states. */
function isAttachmentList(list: readonly OkOutgoingAttachment[]): list is AttachmentList {
  return list.length >= 1 && list.length <= MAX_ATTACHMENTS;
}

/** Extras a message may carry besides its content. */
export interface MessageExtras {
  /** The id of the message this one answers (`mid:…`). */
  readonly replyTo?: string;
  /** Warn the recipient about a screenshot or a screencast. */
  readonly privacyWarning?: Schemas['PrivacyWarning'];
}

/** Throws the refusal, naming the field, when the spec's generated check does not take the value. */
function checkAgainst(check: FieldCheck, value: unknown, field: string): void {
  const refusal = checkValue(check, value, [field]);
  if (refusal) throw refusalError(refusal);
}

/** A chat id (`chat:…`) addresses a chat; anything else is taken as a user id (`user:…` or bare). */
function recipientOf(to: string): OkMessageRequest['recipient'] {
  requireString(to, 'to');
  return to.startsWith('chat:') ? { chat_id: requireChatId(to, 'recipient.chat_id') } : { user_id: requireUserId(to, 'recipient.user_id') };
}

/** A message's text: any non-empty string (line breaks included). */
function checkText(text: unknown, field: string): string {
  if (typeof text !== 'string') throw new RequestValidationError(field, `must be a string, not ${describeType(text)}`);
  if (text === '') throw new RequestValidationError(field, 'is empty');
  return text;
}

/** A list given to a builder. */
function checkList(value: unknown, field: string): readonly unknown[] {
  if (!Array.isArray(value)) throw new RequestValidationError(field, `must be an array, not ${describeType(value)}`);
  return value;
}

/** What a message to several users, or to one, carries: a text or an outgoing message object. */
function checkMessage(message: unknown): void {
  if (typeof message === 'string') checkText(message, 'message.text');
  else requireObject(message, 'message');
}

function withExtras<T extends object>(content: T, extras: MessageExtras): T {
  optionalObject(extras, 'extras');
  if (extras.replyTo !== undefined) requireMessageId(extras.replyTo, 'extras.replyTo');
  if (extras.privacyWarning !== undefined) checkAgainst(checkPrivacyWarning, extras.privacyWarning, 'extras.privacyWarning');
  return {
    ...content,
    ...(extras.replyTo === undefined ? {} : { reply_to: extras.replyTo }),
    ...(extras.privacyWarning === undefined ? {} : { privacyWarning: extras.privacyWarning }),
  };
}

/** A text message to a chat (`chat:…`) or a user (`user:…` or a bare id). */
export function sendText(to: string, text: string, extras: MessageExtras = {}): OkMessageRequest {
  checkText(text, 'message.text');
  return { recipient: recipientOf(to), message: withExtras({ text }, extras) };
}

/**
 * An `INLINE_KEYBOARD` attachment from rows of buttons, top to bottom. Checked first: at least one row, no empty
 * row, each button with a label, a `CALLBACK` button with a `payload`, a `LINK` button with an http(s) `url`.
 */
export function inlineKeyboard(rows: readonly (readonly OkKeyboardButton[])[]): OkInlineKeyboardAttachment {
  const field = 'message.attachment.payload.keyboard.buttons';
  if (!Array.isArray(rows) || rows.length === 0) throw new RequestValidationError(field, 'must be a non-empty array of rows of buttons');
  const buttons = rows.map((row: unknown, r) => {
    if (!Array.isArray(row) || row.length === 0) throw new RequestValidationError(`${field}[${r}]`, 'must be a non-empty array of buttons');
    return row.map((button: unknown, c) => {
      const at = `${field}[${r}][${c}]`;
      if (button === null || typeof button !== 'object') throw new RequestValidationError(at, 'must be a button object');
      const { type, text, payload, url } = button as Record<string, unknown>;
      checkText(text, `${at}.text`);
      if (type === 'CALLBACK') checkText(payload, `${at}.payload`);
      if (type === 'LINK' && !(typeof url === 'string' && /^https?:\/\/[^\s]+$/i.test(url))) {
        throw new RequestValidationError(`${at}.url`, 'must be an http(s) address');
      }
      return { ...(button as OkKeyboardButton) };
    });
  });
  return { type: 'INLINE_KEYBOARD', payload: { keyboard: { buttons } } };
}

/**
 * A text with an inline keyboard under it, to a chat (`chat:…`) or a user. A press on a `CALLBACK` button comes
 * back as a `MESSAGE_CALLBACK` event with the button's `payload`; answer it with `answerCallback`.
 */
export function sendKeyboard(
  to: string,
  text: string,
  rows: readonly (readonly OkKeyboardButton[])[],
  extras: MessageExtras = {},
): OkMessageRequest {
  if (text === '') throw new RequestValidationError('message.text', 'is empty');
  return { recipient: recipientOf(to), message: withExtras({ attachment: inlineKeyboard(rows), text }, extras) };
}

/** A message with one attachment (an IMAGE by `url`, or any type by `token`), and maybe a text. */
export function sendAttachment(
  to: string,
  attachment: OkOutgoingAttachment,
  text?: string,
  extras: MessageExtras = {},
): OkMessageRequest {
  requireObject(attachment, 'message.attachment');
  if (text !== undefined) checkText(text, 'message.text');
  return { recipient: recipientOf(to), message: withExtras(text === undefined ? { attachment } : { attachment, text }, extras) };
}

/** A message with one to five attachments, and maybe a text. */
export function sendAttachments(
  to: string,
  attachments: readonly OkOutgoingAttachment[],
  text?: string,
  extras: MessageExtras = {},
): OkMessageRequest {
  checkList(attachments, 'message.attachments').forEach((attachment, index) => requireObject(attachment, `message.attachments[${index}]`));
  if (text !== undefined) checkText(text, 'message.text');
  if (attachments.length === 0) throw new RequestValidationError('message.attachments', 'is empty');
  if (attachments.length > MAX_ATTACHMENTS) {
    throw new RequestValidationError(
      'message.attachments',
      `has ${attachments.length} attachments; a message carries at most ${MAX_ATTACHMENTS}`,
    );
  }
  const list = [...attachments];
  if (!isAttachmentList(list)) throw new RequestValidationError('message.attachments', `must hold 1 to ${MAX_ATTACHMENTS} attachments`);
  const content = { attachments: list };
  return { recipient: recipientOf(to), message: withExtras(text === undefined ? content : { ...content, text }, extras) };
}

/** The same message to several users at once; the answer tells, per user, whether it was delivered. */
export function sendToUsers(userIds: readonly string[], message: OkOutgoingMessage | string): OkMessageRequest {
  checkList(userIds, 'recipient.user_ids');
  checkMessage(message);
  if (userIds.length === 0) throw new RequestValidationError('recipient.user_ids', 'is empty');
  const ids = userIds.map((id, index) => requireUserId(id, `recipient.user_ids[${index}]`));
  return { recipient: { user_ids: ids }, message: typeof message === 'string' ? { text: message } : message };
}

/** A message to one user, in the user's chat with the group. */
export function sendToUser(userId: string, message: OkOutgoingMessage | string): OkMessageRequest {
  checkMessage(message);
  return {
    recipient: { user_id: requireUserId(userId, 'recipient.user_id') },
    message: typeof message === 'string' ? { text: message } : message,
  };
}

/** Renames a chat. */
export function setTitle(chatId: string, title: string): OkChatControlRequest {
  checkText(title, 'chat_control.title');
  return { recipient: { chat_id: requireChatId(chatId, 'recipient.chat_id') }, chat_control: { title } };
}

/** Changes a chat's icon to a jpg or png image. */
export function setIcon(chatId: string, url: string): OkChatControlRequest {
  requireString(url, 'chat_control.icon.url');
  return { recipient: { chat_id: requireChatId(chatId, 'recipient.chat_id') }, chat_control: { icon: { url } } };
}

/** Adds users to a chat. */
export function addMembers(chatId: string, userIds: readonly string[]): OkChatControlRequest {
  checkList(userIds, 'chat_control.add_members');
  if (userIds.length === 0) throw new RequestValidationError('chat_control.add_members', 'is empty');
  const members = userIds.map((id, index) => ({ user_id: requireUserId(id, `chat_control.add_members[${index}].user_id`) }));
  return { recipient: { chat_id: requireChatId(chatId, 'recipient.chat_id') }, chat_control: { add_members: members } };
}

/** Removes one user from a chat. */
export function removeMember(chatId: string, userId: string): OkChatControlRequest {
  return {
    recipient: { chat_id: requireChatId(chatId, 'recipient.chat_id') },
    chat_control: { remove_member: { user_id: requireUserId(userId, 'chat_control.remove_member.user_id') } },
  };
}

/** Makes the group leave a chat (the API expects the string "true"). */
export function leave(chatId: string): OkChatControlRequest {
  return { recipient: { chat_id: requireChatId(chatId, 'recipient.chat_id') }, chat_control: { leave: 'true' } };
}

/** Announces what the group is doing in a chat: `mark_seen`, `typing_on`, `sending_photo`, … */
export function senderAction(chatId: string, action: OkSenderAction): OkSenderActionRequest {
  checkAgainst(checkSenderAction, action, 'sender_action');
  return { recipient: { chat_id: requireChatId(chatId, 'recipient.chat_id') }, sender_action: action };
}
