/**
 * The permission check a bot runs before going live: for each operation it will call, the scope the spec says it
 * needs (the operation table's `scope`) and whether the token holds it. The API's client supplies the token's
 * scopes (Pachca asks the server; uNet reads its token set); this file only compares and reports.
 */
import { RequestValidationError } from '../errors/errors.js';
import type { OperationTable } from './operation.js';

/** One operation's permission, as a check found it. */
export interface OperationAccess<Id extends string = string> {
  readonly operationId: Id;
  /** The scope the spec says the operation needs; `undefined` when it needs none. */
  readonly scope: string | undefined;
  /**
   * Whether the token holds that scope (`true` when none is needed); `undefined` when the token's scopes are not
   * known.
   */
  readonly granted: boolean | undefined;
}

/** What a permission check found, operation by operation. */
export interface AccessReport<Id extends string = string> {
  /** The scopes the token holds; `undefined` when they could not be learned. */
  readonly tokenScopes: readonly string[] | undefined;
  /** The operations asked about, in the order asked. */
  readonly operations: readonly OperationAccess<Id>[];
  /** Each scope that some operation asked about needs and the token lacks, once. */
  readonly missingScopes: readonly string[];
  /** Whether the token holds the scope of every operation asked about. */
  readonly allGranted: boolean;
  /** What the API adds about how it checks scopes, or why the token's scopes are unknown. */
  readonly notes: readonly string[];
}

/**
 * Compares the scopes the operations need with the token's.
 *
 * @param operationIds - the operations to check; every operation of the table when left out
 * @param tokenScopes - the token's scopes, or `undefined` when they are not known
 */
export function checkScopes<Id extends string>(
  table: OperationTable,
  operationIds: readonly Id[] | undefined,
  tokenScopes: readonly string[] | undefined,
  notes: readonly string[] = [],
): AccessReport<Id> {
  if (operationIds !== undefined && !Array.isArray(operationIds)) throw new RequestValidationError('operationIds', 'must be an array of operation ids');
  const ids = operationIds ?? (Object.keys(table) as Id[]);
  const held = tokenScopes === undefined ? undefined : new Set(tokenScopes);
  const operations = ids.map((operationId, index): OperationAccess<Id> => {
    const entry = typeof operationId === 'string' && Object.hasOwn(table, operationId) ? table[operationId] : undefined;
    if (!entry) throw new RequestValidationError(`operationIds[${index}]`, `${String(operationId)} is not an operation of this client`);
    const scope = entry.scope;
    return { operationId, scope, granted: scope === undefined ? true : held?.has(scope) };
  });
  const missingScopes = [...new Set(operations.filter((access) => access.granted === false).map((access) => access.scope as string))];
  return { tokenScopes, operations, missingScopes, allGranted: operations.every((access) => access.granted === true), notes };
}

/** Turns a permission check into a report to print: a verdict, a line per operation, the token's scopes and notes. */
export function describeAccess(report: AccessReport): string {
  const { operations, missingScopes, tokenScopes } = report;
  const covered = operations.filter((access) => access.granted === true).length;
  const verdict =
    tokenScopes === undefined
      ? `Access check: the token's scopes are unknown; ${operations.length} operation(s) listed with the scope each needs`
      : `Access check: ${covered} of ${operations.length} operation(s) covered by the token's scopes` +
        (missingScopes.length > 0 ? `; missing: ${missingScopes.join(', ')}` : '');
  const idWidth = Math.max(0, ...operations.map((access) => access.operationId.length));
  const scopeWidth = Math.max(0, ...operations.map((access) => (access.scope ?? '(none needed)').length));
  const lines = operations.map((access) => {
    const state = access.granted === undefined ? 'unknown' : access.granted ? 'granted' : 'MISSING';
    return `  ${access.operationId.padEnd(idWidth)}  ${(access.scope ?? '(none needed)').padEnd(scopeWidth)}  ${state}`;
  });
  const held = tokenScopes === undefined ? [] : [`Token scopes: ${tokenScopes.length > 0 ? tokenScopes.join(', ') : '(none)'}`];
  return [verdict, ...lines, ...held, ...report.notes.map((note) => `Note: ${note}`)].join('\n');
}
