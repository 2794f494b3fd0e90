/**
 * The statuses whose responses carry no body, which the Fetch standard's `Response` refuses one for: a transport that
 * builds its own `Response` (undici's, the in-process fake's) leaves their body out.
 */
export const NULL_BODY_STATUSES: ReadonlySet<number> = new Set([101, 103, 204, 205, 304]);
