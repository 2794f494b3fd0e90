/**
 * Builds the HTTP request of one operation call from its parameters and body: the URL (path templates and query
 * string), the headers and the encoded body. It is done once per call, straight into the form `fetch` takes,
 * instead of through a `Request` object that `fetch` would copy again. Anything the caller passed that cannot be
 * sent (a header with a line break, a BigInt in a JSON body) is a `RequestValidationError` naming the field,
 * thrown before anything is sent.
 */
import { RequestValidationError } from '../errors/errors.js';
import { toFormData } from './form-data.js';
import { serializePath } from './path.js';
import { defaultQuerySerializer, jsonQuerySerializer, renamingQuerySerializer, type QuerySerializer } from './query.js';
import type { HeadersInput } from '../client/types.js';
import { joinUrl, type BaseUrl } from './url.js';
import { checkScalar } from './values.js';

/** How an operation's request is encoded, from its row of the generated table. */
export interface RequestEncoding {
  /** The body's encoding: JSON unless the spec says otherwise. */
  readonly body?: 'multipart' | 'form' | 'binary';
  /** The JSON content type when it has parameters (`application/json;charset=utf-8`). */
  readonly contentType?: string;
  /** Query parameters sent as JSON documents. */
  readonly jsonQuery?: readonly string[];
  /** Query parameters sent under the API's own names. */
  readonly queryNames?: Readonly<Record<string, string>>;
}

/** What a call passes, in openapi-fetch's form. */
export interface RequestInput {
  readonly params?: {
    readonly path?: Record<string, unknown>;
    readonly query?: Record<string, unknown>;
    readonly header?: Record<string, unknown>;
  };
  readonly body?: unknown;
}

/**
 * A request ready for the transport. The URL may still gain a query credential. Headers are a plain record of
 * lower-case names: `fetch` takes one as it is, and it costs less to build than a `Headers`.
 */
export interface OutgoingRequest {
  url: string;
  readonly method: string;
  headers: Record<string, string>;
  readonly body: RequestInit['body'] | undefined;
}

/** Builds requests for one operation; the serializers it needs are chosen once. */
export interface RequestBuilder {
  build(base: BaseUrl, input: RequestInput, headers: HeadersInput | undefined): OutgoingRequest;
}

/** Each body encoding; what it can carry was checked before the call got here (values.ts, `checkValues`). */
const BODY_SERIALIZERS = {
  json: (body: unknown) => JSON.stringify(body),
  multipart: toFormData,
  form: (body: unknown) => new URLSearchParams(body as Record<string, string>).toString(),
  // A file's bytes go as they are; the caller gives their content type.
  binary: (body: unknown) => body as RequestInit['body'],
} as const;

const DEFAULT_CONTENT_TYPES: Record<keyof typeof BODY_SERIALIZERS, string | undefined> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  // The runtime writes the multipart boundary itself; a binary body's type comes from the caller.
  multipart: undefined,
  binary: undefined,
};

/** A header name: an HTTP token (RFC 9110, section 5.1). */
const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
/** A header value: no line breaks or other control characters but tab (RFC 9110, section 5.5). */
const HEADER_VALUE = /^[\t\x20-\x7e\x80-\xff]*$/;

function applyHeaders(target: Record<string, string>, source: HeadersInput | Record<string, unknown> | undefined): void {
  if (!source) return;
  const set = (name: string, value: unknown): void => {
    if (value === null || value === undefined) {
      // `null` leaves out a header the client would send (a content type, say).
      delete target[name.toLowerCase()];
      return;
    }
    const field = `headers.${name.replace(/[^\w-]/g, '?')}`;
    // An object would be sent as `[object Object]`, NaN as the text `NaN`.
    checkScalar(value, field);
    const text = String(value);
    if (!HEADER_NAME.test(name) || !HEADER_VALUE.test(text)) {
      // The value is not echoed: it may be a secret.
      throw new RequestValidationError(field, 'is not a valid header name or value');
    }
    target[name.toLowerCase()] = text;
  };
  if (source instanceof Headers) source.forEach((value, name) => set(name, value));
  else if (typeof source !== 'object') throw new RequestValidationError('headers', 'must be an object of header names and values, or a Headers');
  else for (const name in source) set(name, source[name]);
}

/** Prepares the request building of one operation. */
export function requestBuilder(method: string, path: string, encoding: RequestEncoding = {}): RequestBuilder {
  const bodyKind = encoding.body ?? 'json';
  const serializeBody = BODY_SERIALIZERS[bodyKind];
  const contentType = encoding.contentType ?? DEFAULT_CONTENT_TYPES[bodyKind];
  const plainQuery: QuerySerializer = encoding.jsonQuery ? jsonQuerySerializer(encoding.jsonQuery) : defaultQuerySerializer;
  const serializeQuery = encoding.queryNames ? renamingQuerySerializer(encoding.queryNames, plainQuery) : plainQuery;
  const templated = path.includes('{');

  return {
    build(base, input, extraHeaders) {
      const params = input.params;
      const encodedPath = templated ? serializePath(path, params?.path ?? {}) : path;
      const url = joinUrl(base, encodedPath, params?.query ? serializeQuery(params.query) : '');
      const headers: Record<string, string> = {};
      let body: RequestInit['body'] | undefined;
      if (input.body !== undefined) {
        try {
          body = serializeBody(input.body);
        } catch (error) {
          if (error instanceof RequestValidationError) throw error;
          const reason = error instanceof Error ? error.message.split('\n')[0] : 'it cannot be serialized';
          throw new RequestValidationError('body', `cannot be encoded as ${bodyKind}: ${reason}`);
        }
        if (contentType) headers['content-type'] = contentType;
      }
      applyHeaders(headers, params?.header);
      applyHeaders(headers, extraHeaders);
      return { url, method, headers, body };
    },
  };
}
