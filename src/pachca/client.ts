/**
 * The Pachca client: every operation of `specs/pachca` as a typed method, plus helpers for what takes more
 * than one call (iterating pages, the two-step file upload) and checks made before a message is sent.
 */
import {
  credentialLocations,
  operationTable,
  type components,
  type ListChatMessagesInput,
  type ListReactionsInput,
  type ListReadMembersInput,
  type ListWebhookEventsInput,
  type ListChatsInput,
  type ListChatMembersInput,
  type ListUsersInput,
  type ListGroupTagsInput,
  type ListGroupTagUsersInput,
  type ListThreadsInput,
  type ListTasksInput,
  type SearchChatsInput,
  type SearchMessagesInput,
  type SearchUsersInput,
  type ListBotsInput,
  type ListAuditEventsInput,
  type PachcaOperations,
  type paths,
} from '../../generated/pachca.js';
import { createApiClient } from '../core/client/client.js';
import { bearerToken, secretOrEnvironment } from '../core/exchange/credentials.js';
import { paginate } from '../core/pagination/paginate.js';
import { expectFields } from '../core/errors/shape.js';
import type { CallOptions, CommonClientOptions, RawClient } from '../core/client/types.js';
import { describePachcaError } from './errors.js';
import { validateUserFields, validateBotNames, validateView, validateChatName, validateGroupTagName, validateMessageCreate, validateMessageUpdate, validateStatusUpdate } from './validate.js';
import { pollWebhookEvents, type PollWebhookEventsOptions } from './events.js';
import { classifyPachcaRequest, PACHCA_BUDGETS, type PachcaBudget } from './rate-limits.js';
import type { ThrottleOptions } from '../core/limits/throttle.js';

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

/** The default Pachca API server. */
export const PACHCA_BASE_URL = 'https://api.pachca.com/api/shared/v1';

/** Options of {@link createPachcaClient}. */
export interface PachcaClientOptions extends CommonClientOptions {
  /**
   * A personal or bot access token, sent as a Bearer token and never printed.
   * @default the environment variable `PACHCA_TOKEN`, where `process.env` exists
   */
  readonly token?: string;
  /**
   * Hold requests back within Pachca's documented budgets (`PACHCA_BUDGETS`: per chat for message writes, per
   * token for the rest); `true` for the defaults in memory, or a store shared by many workers.
   * @default off
   */
  readonly throttle?: true | ThrottleOptions<PachcaBudget>;
}

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

/** The helpers: lazy iteration over every list, and the file upload. */
export interface PachcaHelpers {
  /** Every message of a chat, newest first unless `order` says otherwise, fetched a page at a time. */
  iterateChatMessages(input: Omit<ListChatMessagesInput, 'cursor'>, options?: CallOptions): AsyncGenerator<Message, void, undefined>;
  /** Every reaction on a message, a page at a time. */
  iterateReactions(input: Omit<ListReactionsInput, 'cursor'>, options?: CallOptions): AsyncGenerator<Reaction, void, undefined>;
  /** Every chat matching the filters, a page at a time. */
  iterateChats(input?: Omit<ListChatsInput, 'cursor'>, options?: CallOptions): AsyncGenerator<Chat, void, undefined>;
  /** Every member of a chat, a page at a time. */
  iterateChatMembers(input: Omit<ListChatMembersInput, 'cursor'>, options?: CallOptions): AsyncGenerator<User, void, undefined>;
  /** Every user of the company (matching `query`, when given), a page at a time. */
  iterateUsers(input?: Omit<ListUsersInput, 'cursor'>, options?: CallOptions): AsyncGenerator<User, void, undefined>;
  /** Every group tag (with the given names, when `names` is set), a page at a time. */
  iterateGroupTags(input?: Omit<ListGroupTagsInput, 'cursor'>, options?: CallOptions): AsyncGenerator<GroupTag, void, undefined>;
  /** Every user carrying a group tag, a page at a time. */
  iterateGroupTagUsers(input: Omit<ListGroupTagUsersInput, 'cursor'>, options?: CallOptions): AsyncGenerator<User, void, undefined>;
  /** Every thread the token's owner follows, a page at a time (int64 ids as decimal strings). */
  iterateThreads(input?: Omit<ListThreadsInput, 'cursor'>, options?: CallOptions): AsyncGenerator<Thread, void, undefined>;
  /** Every task of the token's owner, a page at a time. */
  iterateTasks(input?: Omit<ListTasksInput, 'cursor'>, options?: CallOptions): AsyncGenerator<Task, void, undefined>;
  /** Every chat a search finds, a page at a time (the walk ends on an empty page: search pages carry no `has_next`). */
  iterateSearchChats(input?: Omit<SearchChatsInput, 'cursor'>, options?: CallOptions): AsyncGenerator<Chat, void, undefined>;
  /** Every message a search finds, a page at a time. */
  iterateSearchMessages(input?: Omit<SearchMessagesInput, 'cursor'>, options?: CallOptions): AsyncGenerator<Message, void, undefined>;
  /** Every user a search finds, a page at a time. */
  iterateSearchUsers(input?: Omit<SearchUsersInput, 'cursor'>, options?: CallOptions): AsyncGenerator<User, void, undefined>;
  /** Every entry of the security audit log matching the filters, a page at a time. */
  iterateAuditEvents(input?: Omit<ListAuditEventsInput, 'cursor'>, options?: CallOptions): AsyncGenerator<AuditEvent, void, undefined>;
  /** Every bot of the company (matching `query`, when given), a page at a time. */
  iterateBots(input?: Omit<ListBotsInput, 'cursor'>, options?: CallOptions): AsyncGenerator<Bot, void, undefined>;
  /** Every stored webhook event, oldest first, a page at a time (it deletes nothing; see `pollWebhookEvents`). */
  iterateWebhookEvents(input?: Omit<ListWebhookEventsInput, 'cursor'>, options?: CallOptions): AsyncGenerator<StoredWebhookEvent, void, undefined>;
  /**
   * Receives events by polling, for a bot without a public URL: runs your code for each stored event and deletes
   * the event once the code has finished, until `signal` fires. See src/pachca/events.ts.
   */
  pollWebhookEvents(options: PollWebhookEventsOptions): Promise<void>;
  /** The id of every user who has read a message, a page at a time. */
  iterateReadMembers(input: Omit<ListReadMembersInput, 'cursor'>, options?: CallOptions): AsyncGenerator<number, void, undefined>;
  /**
   * Uploads a file (asks for upload parameters, sends the file to the signed upload URL without the token) and
   * returns the entry to put in `message.files`.
   */
  uploadFile(input: UploadFileInput, options?: CallOptions): Promise<FileInput>;
}

/** A Pachca client: one typed method per operationId, the helpers, and the raw style. */
export type PachcaClient = PachcaOperations &
  PachcaHelpers & {
    /** The same operations in openapi-fetch's `{ data, error, response }` style (no throwing on HTTP errors). */
    readonly raw: RawClient<paths>;
  };

function inferFileType(contentType: string): FileType {
  if (contentType.startsWith('image/')) return 'image';
  if (contentType.startsWith('audio/')) return 'audio';
  return 'file';
}

/**
 * Every paged list, by the iterator that walks it. Search results carry no `has_next`, so an empty page ends
 * those walks; the other lists end on `has_next: false` or a missing cursor.
 */
const LIST_WALKS = {
  iterateChatMessages: 'listChatMessages',
  iterateReactions: 'listReactions',
  iterateReadMembers: 'listReadMembers',
  iterateChats: 'listChats',
  iterateChatMembers: 'listChatMembers',
  iterateUsers: 'listUsers',
  iterateGroupTags: 'listGroupTags',
  iterateGroupTagUsers: 'listGroupTagUsers',
  iterateThreads: 'listThreads',
  iterateAuditEvents: 'listAuditEvents',
  iterateBots: 'listBots',
  iterateTasks: 'listTasks',
  iterateWebhookEvents: 'listWebhookEvents',
} as const;
const SEARCH_WALKS = {
  iterateSearchChats: 'searchChats',
  iterateSearchMessages: 'searchMessages',
  iterateSearchUsers: 'searchUsers',
} as const;

type Walks = typeof LIST_WALKS & typeof SEARCH_WALKS;
type ListItem<Id extends keyof PachcaOperations> = Awaited<ReturnType<PachcaOperations[Id]>> extends { readonly data: readonly (infer Item)[] } ? Item : never;
type WalkedItem<Name extends keyof PachcaHelpers> = PachcaHelpers[Name] extends (...args: never[]) => AsyncGenerator<infer Item> ? Item : never;
/** The iterators whose declared item differs from their list's item; the assignment below fails to compile unless none. */
type MismatchedWalks = {
  [Name in keyof Walks]: [ListItem<Walks[Name]>] extends [WalkedItem<Name>] ? ([WalkedItem<Name>] extends [ListItem<Walks[Name]>] ? never : Name) : Name;
}[keyof Walks];
const everyWalkYieldsItsListItems: [MismatchedWalks] extends [never] ? true : MismatchedWalks = true;
void everyWalkYieldsItsListItems;

/** A page of any Pachca list or search: `data` and the cursor metadata (checked by `pageShape` before it gets here). */
interface Page {
  readonly data: readonly unknown[];
  readonly meta: { readonly paginate: { readonly next_page?: string | null; readonly has_next?: boolean } };
}

const pageShape = expectFields({ data: 'array', meta: 'object', 'meta.paginate': 'object' });
const messageShape = expectFields({ data: 'object' });

/** The environment variable a Pachca client reads its token from when it is given none. */
export const PACHCA_TOKEN_VARIABLE = 'PACHCA_TOKEN';

/** Creates a Pachca client; without `token`, it reads `PACHCA_TOKEN` from the environment. */
export function createPachcaClient(options: PachcaClientOptions = {}): PachcaClient {
  const { token: given, ...common } = options;
  const token = secretOrEnvironment(given, 'token', PACHCA_TOKEN_VARIABLE);
  const pageChecks = Object.fromEntries([...Object.values(LIST_WALKS), ...Object.values(SEARCH_WALKS)].map((id) => [id, pageShape]));
  const core = createApiClient({
    ...common,
    defaultBaseUrl: PACHCA_BASE_URL,
    operations: operationTable,
    credentialLocations,
    authenticate: (redactor) => bearerToken(token, redactor),
    errors: { describe: describePachcaError },
    validate: {
      createMessage: validateMessageCreate,
      updateMessage: validateMessageUpdate,
      createChat: validateChatName,
      updateChat: validateChatName,
      createGroupTag: validateGroupTagName,
      createBot: validateBotNames,
      createUser: validateUserFields,
      openView: validateView,
      updateUser: validateUserFields,
      updateBot: validateBotNames,
      updateGroupTag: validateGroupTagName,
      updateProfileStatus: validateStatusUpdate,
      updateUserStatus: validateStatusUpdate,
    },
    rateLimits: { budgets: PACHCA_BUDGETS, classify: classifyPachcaRequest },
    checks: {
      ...pageChecks,
      createMessage: messageShape,
      getMessage: messageShape,
      updateMessage: messageShape,
      getUploadParams: expectFields({ direct_url: 'string', key: 'string' }),
      // A status is `{ data }`, or the bare `null` (no status set), which the reader passes before any check.
      getProfileStatus: messageShape,
      getUserStatus: messageShape,
    },
  });
  const api = core.operations as unknown as PachcaOperations;
  const lists = core.operations as unknown as Readonly<Record<Walks[keyof Walks], (input: object, options?: CallOptions) => Promise<Page>>>;

  /** Walks a list, asking for each next page with the same input and the cursor the last page named. */
  const walk = (operationId: Walks[keyof Walks], search: boolean) => (input: object | undefined, callOptions?: CallOptions) =>
    paginate<Page, unknown, string>({
      operationId,
      fetchPage: (cursor) => lists[operationId](cursor ? { ...input, cursor } : (input ?? {}), callOptions),
      items: (page) => page.data,
      // The reference requires only next_page; the guide says has_next is always there. A page that says
      // has_next: false ends the list; one that leaves it out ends when no cursor comes.
      nextCursor: (page) =>
        (search ? page.data.length === 0 : page.meta.paginate.has_next === false) ? undefined : page.meta.paginate.next_page || undefined,
    });
  const walks = Object.fromEntries([
    ...Object.entries(LIST_WALKS).map(([name, id]) => [name, walk(id, false)]),
    ...Object.entries(SEARCH_WALKS).map(([name, id]) => [name, walk(id, true)]),
  ]) as unknown as Pick<PachcaHelpers, keyof Walks>;

  const helpers: PachcaHelpers = {
    ...walks,
    pollWebhookEvents: (options) => pollWebhookEvents(api, options),

    async uploadFile(input, callOptions) {
      const { data, name, contentType, fileType, width, height, durationMs, waveform } = input;
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

  return { ...api, ...helpers, raw: core.raw as unknown as RawClient<paths> };
}
