/**
 * Builds the HTTP request of one operation call from its parameters and body: the URL (path templates and query
 * string), the headers and the encoded body. It is done once per call, straight into the form `fetch` takes,
 * instead of through a `Request` object that `fetch` would copy again.
 */
import { toFormData } from './form-data.js';
import { serializePath } from './path.js';
import { defaultQuerySerializer, jsonQuerySerializer, type QuerySerializer } from './query.js';

/** How an operation's request is encoded, from its row of the generated table. */
export interface RequestEncoding {
  /** The body's encoding: JSON unless the spec says otherwise. */
  readonly body?: 'multipart' | 'form' | 'binary';
  /** The JSON content type when it has parameters (`application/json;charset=utf-8`). */
  readonly contentType?: string;
  /** Query parameters sent as JSON documents. */
  readonly jsonQuery?: readonly string[];
}

/** Headers as a caller may give them; `null` removes a header. */
export type HeadersInput = Headers | Record<string, string | number | boolean | null | undefined>;

/** What a call passes besides per-call options. */
export interface RequestInput {
  readonly params?: {
    readonly path?: Record<string, unknown>;
    readonly query?: Record<string, unknown>;
    readonly header?: Record<string, unknown>;
  };
  readonly body?: unknown;
  readonly headers?: HeadersInput;
}

/** A request ready for the transport. The URL may still gain a query credential. */
export interface OutgoingRequest {
  url: string;
  readonly method: string;
  headers: Headers;
  readonly body: BodyInit | undefined;
}

/** Builds requests for one operation; the serializers it needs are chosen once. */
export interface RequestBuilder {
  build(baseUrl: string, input: RequestInput | undefined, absoluteUrl?: string): OutgoingRequest;
}

const BODY_SERIALIZERS = {
  json: (body: unknown) => JSON.stringify(body),
  multipart: toFormData,
  form: (body: unknown) => new URLSearchParams(body as Record<string, string>).toString(),
  // A file's bytes go as they are; the caller gives their content type.
  binary: (body: unknown) => body as BodyInit,
} as const;

const DEFAULT_CONTENT_TYPES: Record<keyof typeof BODY_SERIALIZERS, string | undefined> = {
  json: 'application/json',
  form: 'application/x-www-form-urlencoded',
  // The runtime writes the multipart boundary itself; a binary body's type comes from the caller.
  multipart: undefined,
  binary: undefined,
};

function applyHeaders(target: Headers, source: HeadersInput | Record<string, unknown> | undefined): void {
  if (!source) return;
  if (source instanceof Headers) {
    source.forEach((value, name) => target.set(name, value));
    return;
  }
  for (const name in source) {
    const value = source[name];
    if (value === null) target.delete(name);
    else if (value !== undefined) target.set(name, String(value));
  }
}

/** Prepares the request building of one operation. */
export function requestBuilder(method: string, path: string, encoding: RequestEncoding = {}): RequestBuilder {
  const bodyKind = encoding.body ?? 'json';
  const serializeBody = BODY_SERIALIZERS[bodyKind];
  const contentType = encoding.contentType ?? DEFAULT_CONTENT_TYPES[bodyKind];
  const serializeQuery: QuerySerializer = encoding.jsonQuery ? jsonQuerySerializer(encoding.jsonQuery) : defaultQuerySerializer;
  const templated = path.includes('{');

  return {
    build(baseUrl, input, absoluteUrl) {
      const params = input?.params;
      let url = absoluteUrl ?? baseUrl + (templated ? serializePath(path, params?.path ?? {}) : path);
      if (params?.query) {
        const query = serializeQuery(params.query);
        if (query) url += (url.includes('?') ? '&' : '?') + query;
      }
      const headers = new Headers();
      let body: BodyInit | undefined;
      if (input?.body !== undefined) {
        body = serializeBody(input.body);
        if (contentType) headers.set('content-type', contentType);
      }
      applyHeaders(headers, input?.headers);
      applyHeaders(headers, params?.header);
      return { url, method, headers, body };
    },
  };
}
