/**
 * HMAC-SHA256 through the platform's Web Crypto (`crypto.subtle`), so that the same code runs on Node, Deno, Bun
 * and edge runtimes. Verification goes through `subtle.verify`, which compares in constant time.
 */

const encoder = new TextEncoder();

/** Imports a secret as an HMAC-SHA256 key, for signing or verifying. */
export function hmacKey(secret: string): Promise<CryptoKey> {
  return crypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
}

/** Bytes as lower-case hex. */
export function toHex(bytes: ArrayBuffer): string {
  return Array.from(new Uint8Array(bytes), (byte) => byte.toString(16).padStart(2, '0')).join('');
}

/** Lower- or upper-case hex as bytes; `undefined` when it is not hex of the given length. */
function fromHex(hex: string, length: number): Uint8Array<ArrayBuffer> | undefined {
  if (hex.length !== length * 2 || !/^[0-9a-fA-F]*$/.test(hex)) return undefined;
  const bytes = new Uint8Array(length);
  for (let i = 0; i < length; i++) bytes[i] = Number.parseInt(hex.slice(i * 2, i * 2 + 2), 16);
  return bytes;
}

/** The hex HMAC-SHA256 of a message. */
export async function hmacSha256Hex(key: CryptoKey, message: Uint8Array): Promise<string> {
  return toHex(await crypto.subtle.sign('HMAC', key, message as Uint8Array<ArrayBuffer>));
}

/** Whether `signatureHex` is the HMAC-SHA256 of `message`, compared in constant time by the platform. */
export async function verifyHmacSha256Hex(key: CryptoKey, message: Uint8Array, signatureHex: string): Promise<boolean> {
  const signature = fromHex(signatureHex.trim(), 32);
  return signature !== undefined && crypto.subtle.verify('HMAC', key, signature, message as Uint8Array<ArrayBuffer>);
}
