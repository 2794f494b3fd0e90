/**
 * Keeps credentials out of everything a client prints or throws. Two rules work together:
 * - by name and location: the query parameters and headers that the spec's `securitySchemes` declare (plus
 *   `Authorization`, cookies and signature-like query parameters) always have their values replaced, whatever
 *   their length;
 * - by value: every secret the client holds (tokens, refresh tokens, client secrets, codes), in every encoding
 *   the core itself writes (raw, percent-encoded as a query value or a path segment, form-encoded, escaped inside
 *   JSON), is replaced wherever it appears: in text, in JSON values and keys, in reason phrases and causes.
 *
 * A secret shorter than {@link MIN_SECRET_LENGTH} is redacted by name and location only: replacing a four-letter
 * value everywhere would garble every URL and message it happens to occur in (`http://con[REDACTED]…`).
 */

/** What replaces a credential. */
export const REDACTED = '[REDACTED]';

/** The shortest secret that is also redacted by value. */
export const MIN_SECRET_LENGTH = 8;

/** Headers that always carry credentials. */
const ALWAYS_SECRET_HEADERS = ['authorization', 'proxy-authorization', 'cookie', 'set-cookie'];

/** Query parameters that always carry credentials or signatures (a signed upload URL's `sig`, say). */
const ALWAYS_SECRET_QUERY = ['sig', 'signature', 'x-amz-signature', 'x-amz-credential', 'x-amz-security-token', 'token', 'access_token'];

/**
 * The names of fields that carry a secret in an answer: `access_token`, `refresh_token`, `id_token`,
 * `accessToken`, `client_secret`, `signing_secret`, `password`. A bare `token` is left out: OK's attachment
 * tokens and Pachca's shortened token info are handles, not credentials, and arrive in ordinary answers. The
 * generator marks an operation whose success body declares such a field (`secretAnswer`), and the client learns
 * those fields' values from every answer of that operation before anything else reads it.
 */
export const SECRET_FIELD_NAME = /^(?:(?:access|refresh|id|bot|api|auth|bearer)[_-]?token|(?:client|signing|app|api)?[_-]?secret|password)$/i;

/** A JSON member `"name": "value"` (the value's escapes kept), or a form pair `name=value`. */
const ANSWER_FIELD = /"((?:[^"\\]|\\.){1,64})"\s*:\s*"((?:[^"\\]|\\.)*)"|(?:^|[&?\s])([\w.-]{1,64})=([^&\s"]*)/g;

/** A JSON member whose name could be a secret's and whose value is not a string (an object, a list, a number). */
const NESTED_SECRET = /"[\w-]*(?:token|secret|password)"\s*:\s*[^"\s]/i;

/** Parsed JSON, or `undefined` when the text is not JSON. */
function parseOrUndefined(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** The value of a JSON string's inside (escapes undone), or the text itself when it is not valid. */
function unescapeJson(inside: string): string {
  try {
    return JSON.parse(`"${inside}"`) as string;
  } catch {
    return inside;
  }
}

/** The value of a form-encoded pair, or the text itself when it is not valid percent-encoding. */
function decodeForm(value: string): string {
  try {
    return decodeURIComponent(value.replace(/\+/g, ' '));
  } catch {
    return value;
  }
}

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

/** Every form in which the core may write a secret. */
function encodings(value: string): string[] {
  const forms = new Set([
    value,
    encodeURIComponent(value),
    new URLSearchParams({ v: value }).toString().slice(2),
    JSON.stringify(value).slice(1, -1),
    encodeURIComponent(value).replace(/%3A/gi, ':').replace(/%40/g, '@'),
  ]);
  return [...forms].filter((form) => form.length >= MIN_SECRET_LENGTH);
}

/** Replaces credentials in URLs, text, headers, JSON values and errors. */
export class Redactor {
  readonly #secretHeaders: Set<string>;
  readonly #queryPattern: RegExp;
  readonly #secrets = new Set<string>();
  #pattern: RegExp | undefined;

  constructor(locations: CredentialLocations = {}) {
    this.#secretHeaders = new Set([...ALWAYS_SECRET_HEADERS, ...(locations.header ?? []).map((name) => name.toLowerCase())]);
    const names = [...new Set([...ALWAYS_SECRET_QUERY, ...(locations.query ?? [])])];
    this.#queryPattern = new RegExp(`([?&](?:${names.map(escapeRegExp).join('|')})=)[^&#\\s"'<>]*`, 'gi');
  }

  /** Adds a secret value to replace wherever it appears; values shorter than the minimum are left to the name rules. */
  addSecret(value: string | undefined | null): void {
    if (typeof value !== 'string') return;
    let added = false;
    for (const form of encodings(value)) {
      if (!this.#secrets.has(form)) {
        this.#secrets.add(form);
        added = true;
      }
    }
    // Longest first, so a secret that contains another is replaced whole.
    if (added) this.#pattern = new RegExp([...this.#secrets].sort((a, b) => b.length - a.length).map(escapeRegExp).join('|'), 'g');
  }

  /**
   * Registers the value of every secret-named field ({@link SECRET_FIELD_NAME}) found in an answer's text,
   * whether or not the text is valid JSON (a form-encoded token answer counts too). Called on a token endpoint's
   * answer before it is parsed or checked, so no error built from it can show the new tokens.
   */
  learnFromAnswer(text: string): void {
    for (const match of text.matchAll(ANSWER_FIELD)) {
      const [, jsonName, jsonValue, formName, formValue] = match;
      if (jsonName !== undefined && SECRET_FIELD_NAME.test(unescapeJson(jsonName))) this.addSecret(unescapeJson(jsonValue ?? ''));
      else if (formName !== undefined && SECRET_FIELD_NAME.test(formName)) this.addSecret(decodeForm(formValue ?? ''));
    }
    // A secret-named field holding an object or a list: every string inside it is taken as a secret too.
    if (NESTED_SECRET.test(text)) {
      const parsed = parseOrUndefined(text);
      if (parsed !== undefined) this.#learnNested(parsed, false, 0);
    }
  }

  #learnNested(value: unknown, secret: boolean, depth: number): void {
    if (depth > 32) return;
    if (typeof value === 'string' || typeof value === 'number') {
      if (secret) this.addSecret(String(value));
    } else if (Array.isArray(value)) {
      for (const item of value) this.#learnNested(item, secret, depth + 1);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, item] of Object.entries(value)) this.#learnNested(item, secret || SECRET_FIELD_NAME.test(key), depth + 1);
    }
  }

  /**
   * Replaces an answer's text for an error: every known secret by value, and the value of every secret-named
   * field by name, however short it is.
   */
  answerText(text: string): string {
    const byName = text.replace(ANSWER_FIELD, (whole, jsonName: string | undefined, jsonValue: string | undefined, formName: string | undefined, formValue: string | undefined) => {
      if (jsonName !== undefined) return SECRET_FIELD_NAME.test(unescapeJson(jsonName)) ? whole.slice(0, whole.length - (jsonValue ?? '').length - 1) + `${REDACTED}"` : whole;
      return formName !== undefined && SECRET_FIELD_NAME.test(formName) ? whole.slice(0, whole.length - (formValue ?? '').length) + REDACTED : whole;
    });
    // A secret-named field that holds something other than a string is hidden whole, through the parsed value.
    if (NESTED_SECRET.test(byName)) {
      const parsed = parseOrUndefined(byName);
      if (parsed !== undefined) return this.url(JSON.stringify(this.value(parsed)));
    }
    return this.url(byName);
  }

  /** Replaces every known secret value in a piece of text. */
  text(text: string): string {
    return this.#pattern ? text.replace(this.#pattern, REDACTED) : text;
  }

  /** Replaces credential query parameters by name, and every known secret by value. */
  url(url: string): string {
    return this.text(url.replace(this.#queryPattern, `$1${REDACTED}`));
  }

  /** Copies headers into a plain object with lower-case names, hiding the credential ones. */
  headers(headers: Headers): Record<string, string> {
    const result: Record<string, string> = {};
    headers.forEach((value, name) => {
      result[name] = this.#secretHeaders.has(name) ? REDACTED : this.url(value);
    });
    return result;
  }

  /** Returns a JSON-like value with every known secret replaced inside its strings and keys. */
  value<T>(value: T): T {
    if (typeof value === 'string') return this.url(value) as T;
    if (Array.isArray(value)) return value.map((item: unknown) => this.value(item)) as T;
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) {
        // A secret-named field is hidden whatever its value's length; other values by what they hold.
        copy[this.text(key)] = SECRET_FIELD_NAME.test(key) && item !== null && item !== undefined ? REDACTED : this.value(item);
      }
      return copy as T;
    }
    return value;
  }

  /**
   * Returns an error safe to attach as a `cause`: the same name, code and errno, with the message, stack and
   * nested causes redacted. Fetch implementations sometimes put the full request URL in their messages.
   */
  error(error: unknown, depth = 0): unknown {
    if (!(error instanceof Error)) {
      if (typeof error === 'string') return this.url(error);
      return error === null || typeof error !== 'object' ? error : this.value(safeJson(error));
    }
    const cause = 'cause' in error && depth < 8 ? this.error(error.cause, depth + 1) : undefined;
    const safe = new Error(this.url(error.message), cause === undefined ? undefined : { cause });
    safe.name = error.name;
    safe.stack = error.stack === undefined ? `${safe.name}: ${safe.message}` : this.url(error.stack);
    for (const key of ['code', 'errno', 'syscall'] as const) {
      const field = (error as unknown as Record<string, unknown>)[key];
      if (typeof field === 'string' || typeof field === 'number') Object.assign(safe, { [key]: field });
    }
    return safe;
  }
}

/** A plain-data copy of an object, or a description when it cannot be copied. */
function safeJson(value: object): unknown {
  try {
    return JSON.parse(JSON.stringify(value)) as unknown;
  } catch {
    return '[unserializable]';
  }
}
