/**
 * Whether a failed request can have reached the server. None of the APIs takes an idempotency key, so this is
 * what decides whether a send that failed may have posted its message: `no` when the failure came before a byte
 * of the request was written (the connection was refused, the name did not resolve, TLS failed, or the call was
 * aborted while it waited in the throttle or before its connection was made), `possibly` otherwise.
 *
 * A `fetch` says nothing about how far it got, so the answer comes from two places: the system code at the root
 * of the error (codes only a connection attempt can produce), and a mark that a transport which does know (the
 * undici transport in `/node`) puts on the errors it throws before writing. Anything unknown is `possibly`: the
 * safe side, since it only ever makes a client look before it sends again.
 */

/** Whether a request can have reached the server: certainly not, or possibly (it was, or may have been, written). */
export type Reach = 'no' | 'possibly';

/** Codes that only a connection attempt produces: refused, unresolvable, unreachable, or a connect timeout. */
const BEFORE_WRITE_CODES: ReadonlySet<string> = new Set([
  'ECONNREFUSED',
  'ENOTFOUND',
  'EAI_AGAIN',
  'EAI_FAIL',
  'EAI_NODATA',
  'EAI_NONAME',
  'ENETUNREACH',
  'ENETDOWN',
  'EHOSTUNREACH',
  'EHOSTDOWN',
  'EADDRNOTAVAIL',
  'UND_ERR_CONNECT_TIMEOUT',
  // Certificate checks fail during the TLS handshake, before any request byte is sent.
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'CERT_REVOKED',
  'CERT_UNTRUSTED',
  'CERT_REJECTED',
  'HOSTNAME_MISMATCH',
  // A URL or request option that fetch refuses before it opens a connection.
  'ERR_INVALID_URL',
  'ERR_INVALID_ARG_VALUE',
  'UND_ERR_INVALID_ARG',
]);

/** What undici's fetch says, without a code, of a URL it refuses to connect to at all. */
const BEFORE_CONNECT_MESSAGES: ReadonlySet<string> = new Set(['bad port', 'unknown scheme']);

/** Prefixes of TLS handshake errors (`ERR_TLS_CERT_ALTNAME_INVALID`, `ERR_SSL_WRONG_VERSION_NUMBER`, …). */
const BEFORE_WRITE_PREFIXES = ['ERR_TLS_', 'ERR_SSL_'];

/** The brand of a {@link NotSent} wrapper, shared across copies of this library in one process. */
const NOT_SENT = Symbol.for('messaging-api-clients.notSent');

/**
 * What a transport throws instead of an error that happened before any byte of its request was written. It wraps
 * the error (which may be an abort reason shared by other calls, so it is never marked itself), and is a
 * `TypeError` with the cause's system `code`, as a failed `fetch` is; the clients unwrap it.
 */
export class NotSent extends TypeError {
  override name = 'NotSent';
  readonly [NOT_SENT] = true;
  /** The system code at the root of the cause, such as `ECONNREFUSED`. */
  readonly code: string | undefined;

  constructor(cause: unknown) {
    super('the request failed before it was written', { cause });
    let code: string | undefined;
    for (const found of codes(cause)) code = found;
    this.code = code;
  }
}

/** Whether a thrown value is a {@link NotSent} wrapper (from any copy of this library). */
export function isNotSent(error: unknown): error is NotSent {
  return typeof error === 'object' && error !== null && (error as { [NOT_SENT]?: unknown })[NOT_SENT] === true;
}

/** Whether a chain of causes holds a refusal that comes before any connection (a blocked port, a scheme). */
function refusedBeforeConnecting(error: unknown): boolean {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++, current = current.cause) {
    if (BEFORE_CONNECT_MESSAGES.has(current.message)) return true;
  }
  return false;
}

/** The system codes along a chain of causes. */
function* codes(error: unknown): Generator<string> {
  for (let current = error, depth = 0; current instanceof Error && depth < 8; depth++, current = current.cause) {
    const code = (current as { code?: unknown }).code;
    if (typeof code === 'string') yield code;
  }
}

/** Whether an error a `fetch` threw can have let its request reach the server. */
export function reachOf(error: unknown): Reach {
  if (isNotSent(error) || refusedBeforeConnecting(error)) return 'no';
  for (const code of codes(error)) {
    if (BEFORE_WRITE_CODES.has(code) || BEFORE_WRITE_PREFIXES.some((prefix) => code.startsWith(prefix))) return 'no';
  }
  return 'possibly';
}

/** The error a {@link NotSent} wrapper stands for; any other error as it is. */
export function unwrapNotSent(error: unknown): unknown {
  return isNotSent(error) ? error.cause : error;
}
