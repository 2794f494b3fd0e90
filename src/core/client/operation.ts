/**
 * The contract between the generator and the client: one row of a generated operation table
 * (`generated/<api>.ts`). scripts/lib/operations.ts writes the rows; client.ts reads them. Nothing here is part
 * of a public method's type: the methods are typed by the named per-operation types the generator also writes.
 */

/** Where an operation's parameters travel, by name: the client splits a flat input along these lists. */
export interface ParameterLocations {
  readonly path?: readonly string[];
  readonly query?: readonly string[];
  readonly header?: readonly string[];
  /** The query and header parameters the spec marks required (path parameters always are). */
  readonly required?: readonly string[];
}

/** One operation of a spec, as the client needs it at run time. */
export interface OperationEntry {
  /** The HTTP method, upper case. */
  readonly method: string;
  /** The path template, such as `/messages/{id}`. */
  readonly path: string;
  /** The lowest success status the spec declares. */
  readonly success: number;
  /** Safe to repeat: an idempotent method, or an operation the spec marks `x-idempotent`. */
  readonly idempotent: boolean;
  /** Whether the operation carries credentials (`false` for `security: []`). */
  readonly auth: boolean;
  /** A server the spec gives this path instead of the API's own (e.g. an upload host). */
  readonly server?: string;
  /** The names of the operation's parameters, by location. */
  readonly params?: ParameterLocations;
  /**
   * Whether the operation takes a request body, and whether it must be given. Absent: it takes none, so a `body`
   * in the input is refused instead of being sent where the API reads nothing.
   */
  readonly requestBody?: 'required' | 'optional';
  /** How the request body is encoded, when it is not JSON: a form, or the raw bytes of a file. */
  readonly body?: 'multipart' | 'form' | 'binary';
  /** The request's content type, when the spec gives JSON one with parameters (`application/json;charset=utf-8`). */
  readonly contentType?: string;
  /** Query parameters whose value is a JSON document (OpenAPI `content` instead of `schema`), such as uNet's `q`. */
  readonly jsonQuery?: readonly string[];
  /**
   * Query parameters the API reads under another name than the one the caller passes, from the spec's
   * `x-query-name` (Pachca's array filters: `names` goes out as `names[]=…&names[]=…`).
   */
  readonly queryNames?: Readonly<Record<string, string>>;
  /** Set when the success response declares no JSON body: the client then ignores whatever body arrives. */
  readonly noContent?: true;
  /**
   * Set when the only success is a redirect with a `Location`: the call resolves to `{ location }` and the redirect
   * is not followed.
   */
  readonly redirect?: true;
  /** Set when the success body is declared as a JSON object (so `null`, an array or a string is refused). */
  readonly object?: true;
  /**
   * Set when the success body declares a secret-named field (`access_token`, `refresh_token`, …; see
   * `SECRET_FIELD_NAME`): every answer of the operation, whatever its status or shape, has those fields' values
   * registered with the redactor before it is parsed or checked.
   */
  readonly secretAnswer?: true;
  /** Set when the success body may be the bare JSON `null` (Pachca's status when none is set): the call resolves to `null`. */
  readonly nullable?: true;
  /** Dotted paths of the int64 fields in the success body; `[]` is every array item, `{}` every map value. */
  readonly int64?: readonly string[];
}

/** A generated operation table: operationId → entry. */
export type OperationTable = Readonly<Record<string, OperationEntry>>;
