/**
 * The OK.ru Graph API client for a group's bot: every operation of `specs/ok` as a typed method, the token in
 * the query string of every request to the API (and nowhere else), OK error bodies turned into errors whatever
 * the status, the iterators of its paged lists (a chat's history by time, the chats by marker) and helpers for
 * sending and uploads.
 */
import {
  getFileUploadUrlCheck,
  okSpec,
  type components,
  type GetFileUploadUrlInput,
  type IterateMessagesInput,
  type OkIterators,
  type OkOperations,
  type paths,
  type SendMessageResult,
  type SendUserMessageResult,
} from '../../generated/ok.js';
import { createApiClient } from '../core/client/client.js';
import { afterSuccess, apiPromiseOf } from '../core/client/api-promise.js';
import { describeType } from '../core/errors/shape.js';
import { optionalObject, requireBytes, requireMediaType, requireObject, requireOneOf, requireString } from '../core/request/arguments.js';
import { okConfig, type OkClientOptions } from './core.js';
import { RequestValidationError } from '../core/errors/errors.js';
import type { ApiPromise, CallOptions, RawClient } from '../core/client/types.js';
import type { OkMessageRequest, OkOutgoingAttachment, OkSendRequest } from './builders.js';
import { sendExactlyOnce, type ExactlyOnceCallOptions, type Recovered } from '../core/delivery/exactly-once.js';
import { SentMemory } from '../core/delivery/sent-memory.js';
import { okUnclearSend } from './exactly-once.js';
import { OkUploadError } from './errors.js';
import { requireChatId } from './ids.js';
import { pollUpdates, type PollUpdatesOptions } from './updates.js';

type Schemas = components['schemas'];
/** A chat of the group. */
export type OkChat = Schemas['Chat'];
/** The kinds of file `uploadFile` accepts: the spec's `type` of `getFileUploadUrl`. */
export type OkUploadType = NonNullable<GetFileUploadUrlInput['type']>;

export { OK_BASE_URL, OK_TOKEN_VARIABLE, type OkClientOptions } from './core.js';

/**
 * Where a walk of a chat's history starts (`from`), where it ends (`to`) and its page size (`count`): those fields
 * of `iterateMessages`'s input, the generated `IterateMessagesInput`.
 */
export type HistoryOptions = Pick<IterateMessagesInput, 'from' | 'to' | 'count'>;

/** What {@link OkHelpers.uploadFile} takes. */
export interface OkUploadFileInput {
  /** The file's content. */
  readonly data: Blob | ArrayBuffer | Uint8Array | string;
  /** The kind of attachment to make. */
  readonly type: OkUploadType;
  /** The file's MIME type, e.g. `application/pdf` or `video/mp4`. */
  readonly contentType: string;
}

/** The helpers: sending a builder's body, exactly-once sends, the file upload and long polling. */
export interface OkHelpers {
  /**
   * Sends a body made by one of the builders (`sendText`, `setTitle`, `sendToUsers`, …): to
   * `/me/messages/{chat_id}` when it names a chat, to `/me/messages` when it names users. Never retried after a
   * 5xx or a dropped connection.
   */
  send(input: OkSendRequest, options?: CallOptions): ApiPromise<SendMessageResult | SendUserMessageResult>;
  /**
   * `send` for a message, posting it exactly once when the server commits it within the settle time. A send that fails
   * after its request may have reached the server (or with a 5xx) is not left to the caller's guess: the client waits
   * `settleMs`, then reads the chat's messages since the send began for one sent by the group with the same text and
   * attachments. Found: it resolves to `{ success: true, message_id }` with `recovered: true`. Certainly absent: it
   * sends once more. Undecidable (a send to users names no chat to read): it throws the original error, whose
   * `undecided` says why. A send that succeeds costs no extra request. See the README's "Unclear sends".
   */
  sendExactlyOnce(input: OkMessageRequest, options?: ExactlyOnceCallOptions): ApiPromise<Recovered<SendMessageResult | SendUserMessageResult>>;
  /**
   * Uploads a file through `getFileUploadUrl` (without the access token, which the signed upload URL does not
   * need) and returns the attachment to send. The server processes uploads for a few seconds before they can be
   * sent.
   */
  uploadFile(input: OkUploadFileInput, options?: CallOptions): Promise<OkOutgoingAttachment>;
  /**
   * Receives events by long polling (inferred from FACTS; see src/ok/updates.ts): subscribes, then fetches and
   * runs your code for each event until `signal` fires.
   */
  pollUpdates(options: PollUpdatesOptions): Promise<void>;
}

/** An OK client: typed methods per operationId, the iterators, the helpers, and the raw style. */
export type OkClient = OkOperations &
  OkIterators &
  OkHelpers & {
    /** The same operations in openapi-fetch's `{ data, error, response }` style. */
    readonly raw: RawClient<paths>;
  };

/** The kinds of upload, as the spec lists them, for checking what a caller gave before the upload URL is asked for. */
const UPLOAD_TYPES = getFileUploadUrlCheck.params?.type?.enum as readonly OkUploadType[];

/** Creates an OK Graph API client: its core with every operation bound, the iterators, the helpers and the raw style. */
export function createOkClient(options: OkClientOptions = {}): OkClient {
  const core = createApiClient({ ...okConfig(options), spec: okSpec });
  const checking = options.checkRequests !== false;
  const operations = core.operations;
  // Every message this client posts to a chat is remembered, so that looking for an unclear send never takes one.
  const memory = new SentMemory();
  const api: OkOperations = {
    ...operations,
    sendMessage: (input, callOptions) =>
      afterSuccess(operations.sendMessage(input, callOptions), (result) => memory.remember(input.chat_id, (result as { message_id?: unknown }).message_id)),
    sendChatMessage: (input, callOptions) =>
      afterSuccess(operations.sendChatMessage(input, callOptions), (result) => memory.remember(input.chat_id, (result as { message_id?: unknown }).message_id)),
  };
  let group: Promise<string | undefined> | undefined;
  const lookup = {
    api,
    memory,
    // Looked up on the first unclear send only, and kept once known; a failed look-up is tried again next time.
    group: (callOptions: CallOptions) =>
      (group ??= api.getInfo({}, callOptions).then(
        ({ group_id }) => (typeof group_id === 'string' ? group_id : undefined),
        (error: unknown) => {
          group = undefined;
          throw error;
        },
      )),
  };

  /** Sends a builder's body to the chat it names, or to the users it names; throws when it names neither. */
  function routeSend(body: OkSendRequest, callOptions: CallOptions | undefined): ApiPromise<SendMessageResult | SendUserMessageResult> {
    requireObject(body, 'body');
    const recipient = (body as { recipient?: { chat_id?: unknown } } | undefined)?.recipient;
    if (recipient === undefined || recipient === null || typeof recipient !== 'object') {
      throw new RequestValidationError('recipient', 'is required: a chat_id, a user_id or user_ids');
    }
    if (recipient.chat_id !== undefined) {
      // The chat id is checked where the caller wrote it, not as the path parameter it also becomes; the route
      // needs a string even when checks are off.
      const chatId = checking ? requireChatId(recipient.chat_id, 'recipient.chat_id') : requireString(recipient.chat_id, 'recipient.chat_id');
      return api.sendMessage({ chat_id: chatId, body }, callOptions);
    }
    return api.sendUserMessage({ body: body as Parameters<OkOperations['sendUserMessage']>[0]['body'] }, callOptions);
  }

  const helpers: Omit<OkHelpers, 'pollUpdates'> = {
    send(body, callOptions) {
      // A wrong body rejects, as the call would, instead of throwing.
      try {
        return routeSend(body, callOptions);
      } catch (error) {
        return apiPromiseOf(Promise.reject(error));
      }
    },

    sendExactlyOnce(body, callOptions) {
      requireObject(body, 'body');
      return sendExactlyOnce(okUnclearSend(lookup, body, (options) => helpers.send(body, options)), callOptions, core.delivery, 'sendMessage');
    },
    async uploadFile(input, callOptions) {
      const fields = requireObject(input, 'input');
      const data = requireBytes(fields.data, 'data');
      const type = requireOneOf(fields.type, 'type', UPLOAD_TYPES);
      const contentType = requireMediaType(fields.contentType, 'contentType');
      optionalObject(callOptions, 'options');
      const target = await api.getFileUploadUrl({ type }, callOptions);
      const headers = new Headers(callOptions?.headers as HeadersInit | undefined);
      headers.set('content-type', contentType);
      const stored = (await core.sendTo('uploadFileContent', target.url, { body: data as Blob }, { ...callOptions, headers })) as
        | Schemas['UploadResult']
        | undefined;
      // An image's token comes back in the upload's answer; every other type's came with the upload URL.
      const photos = stored && typeof stored === 'object' ? stored.photos : undefined;
      const imageToken = type === 'IMAGE' && photos && typeof photos === 'object' ? Object.values(photos)[0]?.token : undefined;
      const token = imageToken ?? target.token;
      if (typeof token !== 'string' || token === '') throw new OkUploadError(type);
      return { type, payload: { token } };
    },
  };

  return { ...api, ...core.iterators, ...helpers, pollUpdates: (pollOptions) => pollUpdates(api, pollOptions), raw: core.raw };
}
