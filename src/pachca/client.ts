/**
 * The Pachca client: every operation of `specs/pachca` as a typed method, plus helpers for what takes more
 * than one call (iterating pages, the two-step file upload) and checks made before a message is sent.
 */
import { operationTable, credentialLocations, type components, type paths } from '../../generated/pachca.js';
import {
  createApiClient,
  type CallOptions,
  type CommonClientOptions,
  type OperationMethods,
  type RawClient,
} from '../core/client.js';
import { bearerToken } from '../core/credentials.js';
import { paginate } from '../core/paginate.js';
import { Redactor } from '../core/redact.js';
import { describePachcaError } from './errors.js';
import { validateMessageInit } from './validate.js';

type Schemas = components['schemas'];
/** A message as the API returns it. */
export type Message = Schemas['Message'];
/** The body of `createMessage`. */
export type MessageCreateRequest = Schemas['MessageCreateRequest'];
/** The body of `updateMessage`. */
export type MessageUpdateRequest = Schemas['MessageUpdateRequest'];
/** A file to attach to a new message, as `uploadFile` returns it. */
export type FileInput = Schemas['FileInput'];
/** A reaction on a message. */
export type Reaction = Schemas['Reaction'];
/** A thread under a message (its int64 ids are decimal strings). */
export type Thread = Schemas['Thread'];
/** Inline buttons as rows of buttons. */
export type ButtonRows = Schemas['ButtonRows'];
/** The kind of an attached file. */
export type FileType = Schemas['FileType'];

/** The query of `GET /messages`, without the cursor that iteration manages. */
export type MessageListQuery = Omit<NonNullable<paths['/messages']['get']['parameters']['query']>, 'cursor'>;

/** The default Pachca API server. */
export const PACHCA_BASE_URL = 'https://api.pachca.com/api/shared/v1';

/** Options of {@link createPachcaClient}. */
export interface PachcaClientOptions extends CommonClientOptions {
  /** A personal or bot access token, sent as a Bearer token and never printed. */
  readonly token: string;
}

/** Extra details for {@link PachcaClient.uploadFile}. */
export interface UploadFileOptions extends CallOptions {
  /**
   * The kind of file to declare; by default `image` for `image/*`, `audio` for `audio/*`, otherwise `file`.
   * Pass `voice` (with `durationMs` and `waveform`) for a voice message.
   */
  readonly fileType?: FileType;
  /** The width of an image in pixels. */
  readonly width?: number;
  /** The height of an image in pixels. */
  readonly height?: number;
  /** The length of a voice message in milliseconds. */
  readonly durationMs?: number;
  /** The waveform of a voice message. */
  readonly waveform?: string;
}

/** Helpers around messages. */
export interface PachcaMessages {
  /**
   * Sends a message and returns it as created. The buttons are checked first (at most 8 a row, 100 in all,
   * text up to 255 characters); a violation throws `ButtonLayoutError` and nothing is sent. A send is never
   * retried after a 5xx or a dropped connection, so a message is not posted twice.
   */
  send(body: MessageCreateRequest, options?: CallOptions): Promise<Message>;
  /** Iterates over every message of a chat, newest first unless `order` says otherwise, a page at a time. */
  iterate(query: MessageListQuery, options?: CallOptions): AsyncGenerator<Message, void, undefined>;
  /** Iterates over every reaction on a message, a page at a time. */
  iterateReactions(
    messageId: number,
    query?: { readonly limit?: number },
    options?: CallOptions,
  ): AsyncGenerator<Reaction, void, undefined>;
  /** Iterates over the ids of every user who has read a message, a page at a time. */
  iterateReadMemberIds(
    messageId: number,
    query?: { readonly limit?: number },
    options?: CallOptions,
  ): AsyncGenerator<number, void, undefined>;
}

/** A Pachca client: one typed method per operationId, the raw style, and helpers. */
export type PachcaClient = OperationMethods<paths, typeof operationTable> & {
  /** The same operations in openapi-fetch's `{ data, error, response }` style (no throwing on HTTP errors). */
  readonly raw: RawClient<paths>;
  readonly messages: PachcaMessages;
  /**
   * Uploads a file (asks for upload parameters, sends the file to the signed upload URL without the token) and
   * returns the entry to put in `message.files`.
   */
  uploadFile(
    data: Blob | ArrayBuffer | Uint8Array | string,
    name: string,
    contentType: string,
    options?: UploadFileOptions,
  ): Promise<FileInput>;
};

function inferFileType(contentType: string): FileType {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  return 'file';
}

/** A page of any Pachca list: `data` and the cursor metadata. */
interface Page<Item> {
  readonly data: readonly Item[];
  readonly meta: Schemas['PaginationMeta'];
}

function pachcaPages<Item>(fetchPage: (cursor: string | undefined) => Promise<Page<Item>>) {
  return paginate<Page<Item>, Item, string>({
    fetchPage,
    items: (page) => page.data,
    nextCursor: (page) => (page.meta.paginate.has_next ? page.meta.paginate.next_page : undefined),
  });
}

/** Creates a Pachca client. */
export function createPachcaClient(options: PachcaClientOptions): PachcaClient {
  const redactor = new Redactor(credentialLocations);
  const core = createApiClient<paths, typeof operationTable>({
    ...options,
    baseUrl: options.baseUrl ?? PACHCA_BASE_URL,
    operations: operationTable,
    credentials: bearerToken(options.token, redactor),
    redactor,
    errors: { describe: describePachcaError },
    validate: { createMessage: validateMessageInit, updateMessage: validateMessageInit },
  });
  const api = core.operations;

  const messages: PachcaMessages = {
    async send(body, callOptions) {
      return (await api.createMessage({ ...callOptions, body })).data;
    },
    iterate(query, callOptions) {
      return pachcaPages((cursor) =>
        api.listChatMessages({ ...callOptions, params: { query: cursor ? { ...query, cursor } : query } }),
      );
    },
    iterateReactions(messageId, query = {}, callOptions) {
      return pachcaPages((cursor) =>
        api.listReactions({
          ...callOptions,
          params: { path: { id: messageId }, query: cursor ? { ...query, cursor } : query },
        }),
      );
    },
    iterateReadMemberIds(messageId, query = {}, callOptions) {
      return pachcaPages((cursor) =>
        api.listReadMembers({
          ...callOptions,
          params: { path: { id: messageId }, query: cursor ? { ...query, cursor } : query },
        }),
      );
    },
  };

  async function uploadFile(
    data: Blob | ArrayBuffer | Uint8Array | string,
    name: string,
    contentType: string,
    uploadOptions: UploadFileOptions = {},
  ): Promise<FileInput> {
    const { fileType, width, height, durationMs, waveform, ...callOptions } = uploadOptions;
    const file = new File([data as BlobPart], name, { type: contentType });
    const { direct_url: directUrl, ...fields } = await api.getUploadParams(callOptions);
    // The multipart serializer writes the signed fields first and the file last, as the storage requires.
    await core.call('directUpload', { ...callOptions, body: { ...fields, file } }, directUrl);
    const entry: FileInput = {
      key: fields.key.replace('${filename}', name),
      name,
      file_type: fileType ?? inferFileType(contentType),
      size: file.size,
    };
    if (width !== undefined) entry.width = width;
    if (height !== undefined) entry.height = height;
    if (durationMs !== undefined) entry.duration_ms = durationMs;
    if (waveform !== undefined) entry.waveform = waveform;
    return entry;
  }

  return { ...api, raw: core.raw, messages, uploadFile };
}
