/**
 * The Pachca client: every operation of `specs/pachca` as a typed method, plus helpers for what takes more
 * than one call (iterating pages, the two-step file upload) and checks made before a message is sent.
 */
import {
  checkFileType,
  pachcaSpec,
  type components,
  type CreateMessageInput,
  type CreateMessageResult,
  type PachcaIterators,
  type PachcaOperations,
  type paths,
} from '../../generated/pachca.js';
import { sendExactlyOnce, type ExactlyOnceCallOptions, type Recovered } from '../core/delivery/exactly-once.js';
import { SentMemory } from '../core/delivery/sent-memory.js';
import { pachcaUnclearSend } from './exactly-once.js';
import { createApiClient } from '../core/client/client.js';
import { afterSuccess } from '../core/client/api-promise.js';
import { checkScopes, type AccessReport } from '../core/client/access.js';
import { optionalNumber, optionalObject, optionalString, requireBytes, requireMediaType, requireObject, requireOneOf, requireString } from '../core/request/arguments.js';
import type { ApiPromise, CallOptions, RawClient } from '../core/client/types.js';
import { pachcaConfig, type PachcaClientOptions } from './core.js';
import { pollWebhookEvents, type PollWebhookEventsOptions } from './events.js';

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
/** A stored webhook event, as polling returns it. */
export type StoredWebhookEvent = Schemas['WebhookEvent'];
/** A chat or channel. */
export type Chat = Schemas['Chat'];
/** An entry of the security audit log. */
export type AuditEvent = Schemas['AuditEvent'];
/** A bot and its settings. */
export type Bot = Schemas['BotResponse'];
/** A task. */
export type Task = Schemas['Task'];
/** A group tag. */
export type GroupTag = Schemas['GroupTag'];
/** A member of the company. */
export type User = Schemas['User'];
/** A thread under a message (its int64 ids are decimal strings). */
export type Thread = Schemas['Thread'];
/** Inline buttons as rows of buttons. */
export type ButtonRows = Schemas['ButtonRows'];
/** The kind of an attached file. */
export type FileType = Schemas['FileType'];

export { PACHCA_BASE_URL, PACHCA_TOKEN_VARIABLE, type PachcaClientOptions } from './core.js';

/** What {@link PachcaHelpers.uploadFile} takes. */
export interface UploadFileInput {
  /** The file's content. */
  readonly data: Blob | ArrayBuffer | Uint8Array | string;
  /** The file name, as shown in the chat. */
  readonly name: string;
  /** The file's MIME type, e.g. `application/pdf`. */
  readonly contentType: string;
  /**
   * The kind of file to declare. Pass `voice` (with `durationMs` and `waveform`) for a voice message.
   * @default `image` for `image/*`, `audio` for `audio/*`, otherwise `file`
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

/** The helpers: what takes more than one call (polling for events, the file upload). */
export interface PachcaHelpers {
  /**
   * Receives events by polling, for a bot without a public URL: runs your code for each stored event and deletes
   * the event once the code has finished, until `signal` fires. See src/pachca/events.ts.
   */
  pollWebhookEvents(options: PollWebhookEventsOptions): Promise<void>;
  /**
   * Uploads a file (asks for upload parameters, sends the file to the signed upload URL without the token) and
   * returns the entry to put in `message.files`.
   */
  uploadFile(input: UploadFileInput, options?: CallOptions): Promise<FileInput>;
  /**
   * Checks before going live that the token may call the operations a bot uses: reads the token's scopes
   * (`getTokenInfo`) and returns, for each operation, the scope the spec says it needs and whether the token
   * holds it. `describeAccess(report)` prints it. Pachca also weighs the token owner's current role on every
   * request, so a granted scope can still be refused; the report's notes say so.
   *
   * @param operationIds - the operations to check
   * @default every operation of the client
   */
  checkAccess(operationIds?: readonly (keyof PachcaOperations)[], options?: CallOptions): Promise<AccessReport<keyof PachcaOperations>>;
  /**
   * `createMessage`, posting the message exactly once when the server commits it within the settle time. A send that
   * fails after its request may have reached the server (or with a 5xx) is not left to the caller's guess: the client
   * waits `settleMs`, then reads the chat (a thread's chat, or the direct chat for `entity_type: user`) for a message
   * by the token's owner with the same content, files and buttons. Found: it resolves to that message with
   * `recovered: true`. Certainly absent: it sends once more. Undecidable: it throws the original error, whose
   * `undecided` says why. A send that succeeds costs no extra request. See the README's "Unclear sends".
   */
  sendExactlyOnce(input: CreateMessageInput, options?: ExactlyOnceCallOptions): ApiPromise<Recovered<CreateMessageResult>>;
}

/** What every Pachca access report adds: scopes are weighed against the owner's role on each request. */
const PACHCA_ROLE_NOTE =
  "Pachca checks a token's scopes against its owner's current role on every request, so an operation marked granted " +
  'can still be refused with insufficient_scope when the role does not allow it.';

/** A Pachca client: one typed method per operationId, one iterator per paged list, the helpers, and the raw style. */
export type PachcaClient = PachcaOperations &
  PachcaIterators &
  PachcaHelpers & {
    /** The same operations in openapi-fetch's `{ data, error, response }` style (no throwing on HTTP errors). */
    readonly raw: RawClient<paths>;
  };

/** The file kinds the API knows, as the spec's `FileType` lists them. */
const FILE_TYPES = checkFileType.enum as readonly FileType[];

/** Checks what `uploadFile` was given before the upload parameters are asked for. */
function checkUploadInput(input: UploadFileInput): UploadFileInput {
  const fields = requireObject(input, 'input');
  requireBytes(fields.data, 'data');
  requireString(fields.name, 'name');
  requireMediaType(fields.contentType, 'contentType');
  if (fields.fileType !== undefined) requireOneOf(fields.fileType, 'fileType', FILE_TYPES);
  optionalNumber(fields.width, 'width', { min: 1, integer: true });
  optionalNumber(fields.height, 'height', { min: 1, integer: true });
  optionalNumber(fields.durationMs, 'durationMs', { min: 0, integer: true });
  optionalString(fields.waveform, 'waveform');
  return fields;
}

function inferFileType(contentType: string): FileType {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  return 'file';
}

/** Creates a Pachca client: its core with every operation bound, the iterators, the helpers and the raw style. */
export function createPachcaClient(options: PachcaClientOptions = {}): PachcaClient {
  const core = createApiClient({ ...pachcaConfig(options), spec: pachcaSpec });
  const operations = core.operations;
  // Every message this client posts is remembered, so that looking for an unclear send never takes one of them.
  const memory = new SentMemory();
  const api: PachcaOperations = {
    ...operations,
    createMessage: (input, callOptions) => afterSuccess(operations.createMessage(input, callOptions), (result) => memory.remember(result.data.chat_id, result.data.id)),
  };
  let owner: Promise<string> | undefined;
  const lookup = {
    api,
    memory,
    // Looked up on the first unclear send only, and kept once known; a failed look-up is tried again next time.
    owner: (callOptions: CallOptions) =>
      (owner ??= api.getTokenInfo({}, callOptions).then(
        ({ data }) => String(data.user_id),
        (error: unknown) => {
          owner = undefined;
          throw error;
        },
      )),
    messages: (chatId: number, callOptions: CallOptions) => core.iterators.iterateChatMessages({ chat_id: chatId }, callOptions),
    chats: (input: { personal: boolean; last_message_at_after: string }, callOptions: CallOptions) => core.iterators.iterateChats(input, callOptions),
  };

  const helpers: PachcaHelpers = {
    pollWebhookEvents: (options) => pollWebhookEvents(api, options),
    sendExactlyOnce: (input, callOptions) => sendExactlyOnce(pachcaUnclearSend(lookup, input), callOptions, core.delivery, 'createMessage'),

    async checkAccess(operationIds, callOptions) {
      // Unknown ids are refused before the token is asked about.
      checkScopes(pachcaSpec.operations, operationIds, undefined);
      const info = await api.getTokenInfo({}, callOptions);
      return checkScopes(pachcaSpec.operations, operationIds, info.data.scopes, [PACHCA_ROLE_NOTE]);
    },

    async uploadFile(input, callOptions) {
      const { data, name, contentType, fileType, width, height, durationMs, waveform } = checkUploadInput(input);
      optionalObject(callOptions, 'options');
      const file = new File([data as BlobPart], name, { type: contentType });
      const { direct_url: directUrl, ...fields } = await api.getUploadParams({}, callOptions);
      // The multipart serializer writes the signed fields first and the file last, as the storage requires.
      await core.sendTo('directUpload', directUrl, { body: { ...fields, file } }, callOptions);
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
    },
  };

  return { ...api, ...core.iterators, ...helpers, raw: core.raw };
}
