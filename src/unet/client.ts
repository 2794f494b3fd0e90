/**
 * The uNet messages client. Its base URL is the token set's `resource_uri`; a 401 with a refresh token at hand
 * triggers one refresh (shared by every request that failed meanwhile) and one replay, and `onTokens` hears of
 * every new token set so the caller can persist it.
 */
import { credentialLocations, operationTable, type components, type paths } from '../../generated/unet.js';
import {
  createApiClient,
  type CallOptions,
  type CommonClientOptions,
  type OperationMethods,
  type RawClient,
} from '../core/client.js';
import { renewableBearerToken } from '../core/credentials.js';
import { paginate } from '../core/paginate.js';
import { Redactor } from '../core/redact.js';
import { describeOAuthError, type UnetAuth } from './auth.js';
import type { UnetTokenInput, UnetTokenSet } from './tokens.js';

type Schemas = components['schemas'];
/** A message. */
export type UnetMessage = Schemas['MessagesItemResponse'];
/** A conversation. */
export type UnetChat = Schemas['MessagesChatsItemResponse'];
/** The parameters of the message list. */
export type UnetMessagesListRequest = Schemas['MessagesListRequest'];
/** A message to add. */
export type UnetMessagesAddRequest = Schemas['MessagesAddRequest'];
/** The new content of a message. */
export type UnetMessagesEditRequest = Schemas['MessagesEditRequest'];
/** The answer to add, edit and delete (not documented; passed through). */
export type UnetMutationResponse = Schemas['MessagesMutationResponse'];

/** Where the tokens come from: a full token set, or an access token and its resource URI. */
export type UnetCredentialsOption =
  | { readonly tokens: UnetTokenInput; readonly accessToken?: never; readonly resourceUri?: never }
  | { readonly accessToken: string; readonly resourceUri: string; readonly tokens?: never };

/** Options of {@link createUnetClient}. */
export type UnetClientOptions = UnetCredentialsOption &
  CommonClientOptions & {
    /**
     * The OAuth client used to refresh an expired access token. Without it (or without a refresh token) a 401
     * surfaces as an `AuthenticationError`.
     */
    readonly auth?: UnetAuth;
    /** Called with every new token set after a refresh, before the failed request is replayed; persist it here. */
    readonly onTokens?: (tokens: UnetTokenSet) => void | Promise<void>;
  };

/** Options of {@link UnetMessages.iterate}: the list parameters without the cursor. */
export type UnetIterateOptions = Omit<UnetMessagesListRequest, 'cursor'>;

/** Helpers around messages. */
export interface UnetMessages {
  /** Iterates over every message of a conversation, following `next_cursor` until it is empty. */
  iterate(options: UnetIterateOptions, call?: CallOptions): AsyncGenerator<UnetMessage, void, undefined>;
  /** The user's conversations. */
  chats(call?: CallOptions): Promise<UnetChat[]>;
  /** Sends a message; never retried after a 5xx or a dropped connection. */
  add(request: UnetMessagesAddRequest, call?: CallOptions): Promise<UnetMutationResponse>;
  /** One message. */
  get(id: number, call?: CallOptions): Promise<UnetMessage>;
  /** Replaces the content of a message. */
  edit(id: number, request: UnetMessagesEditRequest, call?: CallOptions): Promise<UnetMutationResponse>;
  /** Deletes a message. */
  delete(id: number, call?: CallOptions): Promise<UnetMutationResponse>;
}

/** The messages operations of the spec (the OAuth ones belong to `createUnetAuth`). */
type MessageOperationIds = 'listMessages' | 'listChats' | 'addMessage' | 'getMessage' | 'editMessage' | 'deleteMessage';

/** A uNet client: typed methods per operationId, the raw style, helpers, and the current tokens. */
export type UnetClient = Pick<OperationMethods<paths, typeof operationTable>, MessageOperationIds> & {
  /** The same operations in openapi-fetch's `{ data, error, response }` style. */
  readonly raw: RawClient<paths>;
  readonly messages: UnetMessages;
  /** The token set in use now (it changes after a refresh). */
  tokens(): UnetTokenInput;
};

/** Creates a uNet messages client. */
export function createUnetClient(options: UnetClientOptions): UnetClient {
  const { tokens, accessToken, resourceUri, auth, onTokens, ...common } = options;
  let current: UnetTokenInput = tokens ?? { accessToken: accessToken as string, resourceUri: resourceUri as string };
  // Sharing the OAuth client's redactor covers the client secret and every token it has handed out.
  const redactor = auth?.redactor ?? new Redactor(credentialLocations);
  redactor.addSecret(current.accessToken);
  redactor.addSecret(current.refreshToken);
  const core = createApiClient<paths, typeof operationTable>({
    ...common,
    baseUrl: common.baseUrl ?? current.resourceUri,
    operations: operationTable,
    redactor,
    errors: { describe: describeOAuthError },
    credentials: renewableBearerToken({
      current: () => current.accessToken,
      canRenew: () => auth !== undefined && current.refreshToken !== undefined,
      async renew() {
        const renewed = await (auth as UnetAuth).refresh(current.refreshToken as string);
        current = renewed;
        await onTokens?.(renewed);
      },
    }),
  });
  const api = core.operations;

  const messages: UnetMessages = {
    iterate(query, call = {}) {
      return paginate({
        fetchPage: (cursor: string | undefined) =>
          api.listMessages({ ...call, params: { query: { q: cursor ? { ...query, cursor } : query } } }),
        items: (page) => page.items,
        nextCursor: (page) => page.next_cursor || undefined,
      });
    },
    async chats(call = {}) {
      return (await api.listChats(call)).items;
    },
    add(request, call = {}) {
      return api.addMessage({ ...call, params: { query: { q: request } } });
    },
    get(id, call = {}) {
      return api.getMessage({ ...call, params: { path: { id } } });
    },
    edit(id, request, call = {}) {
      return api.editMessage({ ...call, params: { path: { id }, query: { q: request } } });
    },
    delete(id, call = {}) {
      return api.deleteMessage({ ...call, params: { path: { id } } });
    },
  };

  return {
    listMessages: api.listMessages,
    listChats: api.listChats,
    addMessage: api.addMessage,
    getMessage: api.getMessage,
    editMessage: api.editMessage,
    deleteMessage: api.deleteMessage,
    raw: core.raw,
    messages,
    tokens: () => current,
  };
}
