/**
 * Keeps credentials out of everything a client prints or throws. Two rules work together:
 * - by name: the query parameters and headers that the spec's `securitySchemes` declare (plus `Authorization`
 *   and cookies) always have their values replaced;
 * - by value: every secret the client holds (tokens, refresh tokens, client secrets, also their URL-encoded
 *   form) is replaced wherever it appears, so it cannot leak through a server's echo or a cause's message.
 */

/** What replaces a credential. */
export const REDACTED = '[REDACTED]';

/** Headers that always carry credentials. */
const ALWAYS_SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Where an API's spec says its credentials travel. */
export interface CredentialLocations {
  /** Query parameters that carry a credential, such as `access_token`. */
  readonly query?: readonly string[];
  /** Headers that carry a credential, besides `Authorization`. */
  readonly header?: readonly string[];
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Replaces credentials in URLs, text, headers, JSON values and errors. */
export class Redactor {
  readonly #secretHeaders: Set<string>;
  readonly #queryPattern: RegExp | undefined;
  readonly #secrets = new Set<string>();

  constructor(locations: CredentialLocations = {}) {
    this.#secretHeaders = new Set([
      ...ALWAYS_SECRET_HEADERS,
      ...(locations.header ?? []).map((name) => name.toLowerCase()),
    ]);
    const names = locations.query ?? [];
    this.#queryPattern =
      names.length > 0 ? new RegExp(`([?&](?:${names.map(escapeRegExp).join('|')})=)[^&#\\s]*`, 'gi') : undefined;
  }

  /** Adds a secret value to replace wherever it appears. Empty values are ignored. */
  addSecret(value: string | undefined | null): void {
    if (!value) return;
    this.#secrets.add(value);
    const encoded = encodeURIComponent(value);
    if (encoded !== value) this.#secrets.add(encoded);
  }

  /** Replaces every known secret value in a piece of text. */
  text(text: string): string {
    let result = text;
    for (const secret of this.#secrets) {
      if (result.includes(secret)) result = result.split(secret).join(REDACTED);
    }
    return result;
  }

  /** Replaces credential query parameters by name, and every known secret by value. */
  url(url: string): string {
    const byName = this.#queryPattern ? url.replace(this.#queryPattern, `$1${REDACTED}`) : url;
    return this.text(byName);
  }

  /** Copies headers into a plain object with lower-case names, hiding the credential ones. */
  headers(headers: Headers): Record<string, string> {
    const result: Record<string, string> = {};
    headers.forEach((value, name) => {
      result[name] = this.#secretHeaders.has(name) ? REDACTED : this.text(value);
    });
    return result;
  }

  /** Returns a JSON-like value with every known secret replaced inside its strings. */
  value<T>(value: T): T {
    if (this.#secrets.size === 0) return value;
    if (typeof value === 'string') return this.text(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.value(item)) as T;
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = this.value(item);
      return copy as T;
    }
    return value;
  }

  /**
   * Returns an error safe to attach as a `cause`: the same name, code and errno, with the message, stack and
   * nested causes redacted. Fetch implementations sometimes put the full request URL in their messages.
   */
  error(error: unknown): unknown {
    if (!(error instanceof Error)) return typeof error === 'string' ? this.text(error) : error;
    const cause = 'cause' in error ? this.error(error.cause) : undefined;
    const safe = new Error(this.url(error.message), cause === undefined ? undefined : { cause });
    safe.name = error.name;
    if (error.stack !== undefined) safe.stack = this.url(error.stack);
    for (const key of ['code', 'errno', 'syscall'] as const) {
      if (key in error) Object.assign(safe, { [key]: (error as unknown as Record<string, unknown>)[key] });
    }
    return safe;
  }
}
