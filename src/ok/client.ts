/**
 * The OK.ru Graph API client for a group's bot: every operation of `specs/ok` as a typed method, the token in
 * the query string of every request (and nowhere else), OK error bodies turned into errors whatever the status,
 * and helpers for history, chats, sending and uploads.
 */
import { credentialLocations, operationTable, type components, type paths } from '../../generated/ok.js';
import {
  createApiClient,
  type CallOptions,
  type CommonClientOptions,
  type OperationMethods,
  type RawClient,
} from '../core/client.js';
import { queryToken } from '../core/credentials.js';
import { ClientError } from '../core/errors.js';
import { paginate } from '../core/paginate.js';
import { Redactor } from '../core/redact.js';
import type { OkOutgoingAttachment, OkSendRequest } from './builders.js';
import { createOkError, describeOkError, isOkErrorBody, type OkErrorBody } from './errors.js';
import { walkHistory, type HistoryOptions } from './history.js';
import type { OkMessageEnvelope } from './service-messages.js';

type Schemas = components['schemas'];
/** A chat of the group. */
export type OkChat = Schemas['Chat'];
/** The answer to a send to one chat or user (its shape is not documented beyond `success`). */
export type OkSendResult = Schemas['SendResult'];
/** The answer to a send to several users: per-user flags and chat ids. */
export type OkMassSendResult = Schemas['MassSendResult'];
/** The kinds of file `uploadFile` accepts. */
export type OkUploadType = 'FILE' | 'VIDEO' | 'AUDIO' | 'IMAGE';

/** The default OK Graph API server. */
export const OK_BASE_URL = 'https://api.ok.ru/graph';

/** Options of {@link createOkClient}. */
export interface OkClientOptions extends CommonClientOptions {
  /** The group's access token; sent as the `access_token` query parameter and never printed. */
  readonly accessToken: string;
}

type Methods = OperationMethods<paths, typeof operationTable>;

/** The typed methods with the OK error body taken out of their results: it is thrown as an `OkApiError`. */
export type OkOperationMethods = {
  readonly [Id in keyof Methods]: Methods[Id] extends (...args: infer Args) => Promise<infer Result>
    ? (...args: Args) => Promise<Exclude<Result, OkErrorBody>>
    : never;
};

/** Options of {@link OkClient.iterateMessages}. */
export interface IterateMessagesOptions extends HistoryOptions {
  /** The chat, as `chat:<id>`. */
  readonly chat_id: string;
  /** Also return deleted messages (needs approval by OK's API support). */
  readonly include_deleted?: boolean;
}

/** An OK client: typed methods per operationId, the raw style, and helpers. */
export type OkClient = OkOperationMethods & {
  /** The same operations in openapi-fetch's `{ data, error, response }` style. */
  readonly raw: RawClient<paths>;
  /**
   * Sends a body made by one of the builders (`sendText`, `setTitle`, `sendToUsers`, …): to
   * `/me/messages/{chat_id}` when it names a chat, to `/me/messages` when it names users. Never retried after a
   * 5xx or a dropped connection.
   */
  send(body: OkSendRequest, options?: CallOptions): Promise<OkSendResult | OkMassSendResult>;
  /**
   * Iterates over a chat's messages from newest to oldest, each once, a page at a time. int64 values (`seq`,
   * `timestamp`) are exact decimal strings.
   */
  iterateMessages(options: IterateMessagesOptions, call?: CallOptions): AsyncGenerator<OkMessageEnvelope, void, undefined>;
  /** Iterates over the group's chats, most recently active first, following `marker`. */
  iterateChats(options?: { readonly count?: number }, call?: CallOptions): AsyncGenerator<OkChat, void, undefined>;
  /**
   * Uploads a file through `fileUploadUrl` (without the access token, which the signed upload URL does not need)
   * and returns the attachment to send. The server processes uploads for a few seconds before they can be sent.
   */
  uploadFile(
    data: Blob | ArrayBuffer | Uint8Array | string,
    type: OkUploadType,
    contentType: string,
    options?: CallOptions,
  ): Promise<OkOutgoingAttachment>;
};

/** Creates an OK Graph API client. */
export function createOkClient(options: OkClientOptions): OkClient {
  const { accessToken, ...common } = options;
  const redactor = new Redactor(credentialLocations);
  const core = createApiClient<paths, typeof operationTable>({
    ...common,
    baseUrl: common.baseUrl ?? OK_BASE_URL,
    operations: operationTable,
    credentials: queryToken('access_token', accessToken, redactor),
    redactor,
    errors: { isError: isOkErrorBody, describe: describeOkError, create: createOkError },
  });
  const api = core.operations as unknown as OkOperationMethods;

  async function send(body: OkSendRequest, call: CallOptions = {}): Promise<OkSendResult | OkMassSendResult> {
    const recipient = body.recipient as { chat_id?: string };
    if (recipient.chat_id !== undefined) {
      return api.sendMessage({ ...call, params: { path: { chat_id: recipient.chat_id } }, body });
    }
    return api.sendUserMessage({ ...call, body: body as Parameters<typeof api.sendUserMessage>[0]['body'] });
  }

  function iterateMessages(
    { chat_id, include_deleted, ...history }: IterateMessagesOptions,
    call: CallOptions = {},
  ): AsyncGenerator<OkMessageEnvelope, void, undefined> {
    return walkHistory(async ({ from, count }) => {
      const query = {
        count,
        ...(from === undefined ? {} : { from }),
        ...(history.to === undefined ? {} : { to: history.to }),
        ...(include_deleted === undefined ? {} : { include_deleted }),
      };
      const page = await api.listMessages({ ...call, params: { path: { chat_id }, query } });
      return page.messages;
    }, history);
  }

  function iterateChats(query: { readonly count?: number } = {}, call: CallOptions = {}) {
    return paginate({
      fetchPage: (marker: string | undefined) =>
        api.listChats({ ...call, params: { query: marker === undefined ? query : { ...query, marker } } }),
      items: (page) => page.chats,
      nextCursor: (page) => page.marker || undefined,
    });
  }

  async function uploadFile(
    data: Blob | ArrayBuffer | Uint8Array | string,
    type: OkUploadType,
    contentType: string,
    call: CallOptions = {},
  ): Promise<OkOutgoingAttachment> {
    const target = await api.getFileUploadUrl({ ...call, params: { query: { type } } });
    const headers = { ...call.headers, 'content-type': contentType };
    const stored = (await core.call('uploadFileContent', { ...call, headers, body: data }, target.url)) as
      | Schemas['UploadResult']
      | undefined;
    // An image's token comes back in the upload's answer; every other type's came with the upload URL.
    const imageToken = type === 'IMAGE' ? Object.values(stored?.photos ?? {})[0]?.token : undefined;
    const token = imageToken ?? target.token;
    if (!token) throw new ClientError(`The ${type} upload returned no attachment token`);
    return { type, payload: { token } };
  }

  return { ...api, raw: core.raw, send, iterateMessages, iterateChats, uploadFile };
}
