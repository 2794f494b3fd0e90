/**
 * URLs as the client builds and compares them. Credentials must reach only the API's own origin and base path,
 * so the check parses both URLs: a string prefix would let `http://127.0.0.1:3001` vouch for
 * `http://127.0.0.1:30011/…`.
 */

/** A base URL split once: what a request URL is built from and checked against. */
export interface BaseUrl {
  /** The base without a trailing slash, query or fragment. */
  readonly prefix: string;
  /** Its query string, with the `?`, or `''`. Kept on every URL built from it (a signed URL's signature). */
  readonly search: string;
  /** `scheme://host:port`. */
  readonly origin: string;
  /** The base path without a trailing slash (`''` for the root). */
  readonly path: string;
}

/** Parses a base URL; throws a `TypeError` for one that is not an absolute http(s) URL. */
export function parseBaseUrl(raw: string): BaseUrl {
  const url = new URL(raw);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new TypeError(`not an http(s) URL: ${url.protocol}`);
  const path = url.pathname.replace(/\/+$/, '');
  return { prefix: url.origin + path, search: url.search, origin: url.origin, path };
}

/** Joins a base URL, an encoded path and a query string (without `?`). */
export function joinUrl(base: BaseUrl, path: string, query: string): string {
  const search = base.search && query ? `${base.search}&${query}` : base.search || (query ? `?${query}` : '');
  return base.prefix + path + search;
}

/** Whether `url` lies under `base`: the same origin, and a path equal to the base path or below it. */
export function isUnder(url: string, base: BaseUrl): boolean {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (parsed.origin !== base.origin) return false;
  return base.path === '' || parsed.pathname === base.path || parsed.pathname.startsWith(`${base.path}/`);
}
