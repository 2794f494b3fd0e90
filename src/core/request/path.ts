/**
 * Fills the `{name}` templates of a path. Values are percent-encoded as path segments (RFC 3986, section 3.3),
 * which keeps `:` and `@` literal: OK's ids look like `chat:C3ecb9d02a600`, and `encodeURIComponent` alone would
 * send `chat%3AC3ecb9d02a600`, which a server need not treat as the same segment.
 */
import { RequestValidationError } from '../errors/errors.js';
import { describeType } from '../errors/shape.js';

const TEMPLATE = /\{([^{}]+)\}/g;

/** Percent-encodes one path segment, leaving the characters a segment may hold literally as they are. */
export function encodePathSegment(value: string): string {
  return encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%40/g, '@');
}

/**
 * openapi-fetch's `pathSerializer`: replaces each `{name}` in `url` with the encoded value of `params[name]`.
 * A missing value is the caller's error, reported by field instead of sending a URL with `{name}` in it.
 */
export function serializePath(url: string, params: Record<string, unknown>): string {
  return url.replace(TEMPLATE, (_match, name: string) => {
    const value = params[name];
    if (value === undefined || value === null || value === '') {
      throw new RequestValidationError(name, 'is required');
    }
    if (typeof value !== 'string' && typeof value !== 'number' && typeof value !== 'bigint') {
      throw new RequestValidationError(name, `must be a string or a number, not ${describeType(value)}`);
    }
    if (typeof value === 'number' && !Number.isFinite(value)) throw new RequestValidationError(name, `is ${value}, not a finite number`);
    const text = String(value);
    // A URL parser folds `.` and `..` segments away, so such a value would reach another endpoint.
    if (text === '.' || text === '..') throw new RequestValidationError(name, `may not be "${text}"`);
    return encodePathSegment(text);
  });
}
