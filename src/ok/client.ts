/**
 * The OK.ru Graph API client for a group's bot: every operation of `specs/ok` as a typed method, the token in
 * the query string of every request to the API (and nowhere else), OK error bodies turned into errors whatever
 * the status, and helpers for history, chats, sending and uploads.
 */
import {
  okSpec,
  type components,
  type OkIterators,
  type OkOperations,
  type paths,
  type SendMessageResult,
  type SendUserMessageResult,
} from '../../generated/ok.js';
import { createApiClient } from '../core/client/client.js';
import { okConfig, type OkClientOptions } from './core.js';
import { RequestValidationError } from '../core/errors/errors.js';
import type { CallOptions, RawClient } from '../core/client/types.js';
import type { OkOutgoingAttachment, OkSendRequest } from './builders.js';
import { OkUploadError } from './errors.js';
import { walkHistory, type HistoryOptions } from './history.js';
import type { OkMessageEnvelope } from './service-messages.js';
import { pollUpdates, type PollUpdatesOptions } from './updates.js';

type Schemas = components['schemas'];
/** A chat of the group. */
export type OkChat = Schemas['Chat'];
/** The kinds of file `uploadFile` accepts. */
export type OkUploadType = 'FILE' | 'VIDEO' | 'AUDIO' | 'IMAGE';

export { OK_BASE_URL, OK_TOKEN_VARIABLE, type OkClientOptions } from './core.js';

/** What {@link OkHelpers.iterateMessages} takes. */
export interface IterateMessagesInput extends HistoryOptions {
  /** The chat, as `chat:<id>`. */
  readonly chat_id: string;
  /** Also return deleted messages (needs approval by OK's API support). */
  readonly include_deleted?: boolean;
}

/** What {@link OkHelpers.uploadFile} takes. */
export interface OkUploadFileInput {
  /** The file's content. */
  readonly data: Blob | ArrayBuffer | Uint8Array | string;
  /** The kind of attachment to make. */
  readonly type: OkUploadType;
  /** The file's MIME type, e.g. `application/pdf` or `video/mp4`. */
  readonly contentType: string;
}

/** The helpers: sending a builder's body, lazy iteration, and the file upload. */
export interface OkHelpers {
  /**
   * Sends a body made by one of the builders (`sendText`, `setTitle`, `sendToUsers`, …): to
   * `/me/messages/{chat_id}` when it names a chat, to `/me/messages` when it names users. Never retried after a
   * 5xx or a dropped connection.
   */
  send(input: OkSendRequest, options?: CallOptions): Promise<SendMessageResult | SendUserMessageResult>;
  /**
   * A chat's messages from newest to oldest, each once, a page at a time. int64 values (`seq`, `timestamp`) are
   * exact decimal strings.
   */
  iterateMessages(input: IterateMessagesInput, options?: CallOptions): AsyncGenerator<OkMessageEnvelope, void, undefined>;
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

/** Creates an OK Graph API client: its core with every operation bound, the iterators, the helpers and the raw style. */
export function createOkClient(options: OkClientOptions = {}): OkClient {
  const core = createApiClient({ ...okConfig(options), spec: okSpec });
  const api = core.operations;

  const helpers: Omit<OkHelpers, 'pollUpdates'> = {
    send(body, callOptions) {
      const recipient = (body as { recipient?: { chat_id?: unknown } } | undefined)?.recipient;
      if (recipient === undefined || recipient === null || typeof recipient !== 'object') {
        throw new RequestValidationError('recipient', 'is required: a chat_id, a user_id or user_ids');
      }
      if (typeof recipient.chat_id === 'string') return api.sendMessage({ chat_id: recipient.chat_id, body }, callOptions);
      return api.sendUserMessage({ body: body as Parameters<OkOperations['sendUserMessage']>[0]['body'] }, callOptions);
    },

    iterateMessages({ chat_id, include_deleted, ...history }, callOptions) {
      return walkHistory(async ({ from, count }) => {
        const page = await api.listMessages(
          {
            chat_id,
            count,
            ...(from === undefined ? {} : { from }),
            ...(history.to === undefined ? {} : { to: String(history.to) }),
            ...(include_deleted === undefined ? {} : { include_deleted }),
          },
          callOptions,
        );
        return page.messages;
      }, history);
    },

    async uploadFile({ data, type, contentType }, callOptions) {
      const target = await api.getFileUploadUrl({ type }, callOptions);
      const headers = new Headers(callOptions?.headers as HeadersInit | undefined);
      headers.set('content-type', contentType);
      const stored = (await core.sendTo('uploadFileContent', target.url, { body: data }, { ...callOptions, headers })) as
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
