/**
 * What a generated module hands the core to assemble a client: the operation table, each operation's request
 * check, the paged lists and where credentials travel. The type parameters carry the generated method, iterator
 * and path types to the client the core returns, so no client file re-types what the core builds.
 */
import type { RequestCheck } from '../checks/check.js';
import type { CredentialLocations } from '../errors/redact.js';
import type { PagedList } from '../pagination/paged-list.js';
import type { OperationTable } from './operation.js';

/** The generated parts of one API. */
export interface ApiSpec<Operations, Iterators, Paths> {
  readonly operations: OperationTable & { readonly [Id in keyof Operations]: unknown };
  readonly checks: { readonly [Id in keyof Operations]?: RequestCheck };
  readonly lists: { readonly [Name in keyof Iterators]: PagedList };
  readonly credentialLocations: CredentialLocations;
  /** Never set: it ties the spec to its generated types (`paths` for the raw style). */
  readonly types?: { readonly operations: Operations; readonly iterators: Iterators; readonly paths: Paths };
}

/** The operations of `all` whose ids are listed: the part of an API one client serves (uNet's messages). */
export function pickOperations<Operations, Id extends keyof Operations>(all: Operations, ids: readonly Id[]): Pick<Operations, Id> {
  const picked = {} as Pick<Operations, Id>;
  for (const id of ids) picked[id] = all[id];
  return picked;
}
