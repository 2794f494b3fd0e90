/**
 * IP networks, for checking where a webhook delivery came from (OK signs nothing; its documented source networks
 * are the only check a receiver can make). Works on every runtime: no `node:net`.
 */

/** An address as a number and its family, or `undefined` when it is not an IP address. */
function parse(address: string): { readonly value: bigint; readonly bits: 32 | 128 } | undefined {
  const text = address.trim().replace(/^\[|\]$/g, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(text);
  const v4 = mapped ? mapped[1] : /^\d+\.\d+\.\d+\.\d+$/.test(text) ? text : undefined;
  if (v4) {
    const parts = v4.split('.').map(Number);
    if (parts.some((part) => part > 255)) return undefined;
    return { value: parts.reduce((sum, part) => (sum << 8n) | BigInt(part), 0n), bits: 32 };
  }
  if (!text.includes(':') || !/^[0-9a-f:]+$/i.test(text)) return undefined;
  const [head = '', tail, extra] = text.split('::');
  if (extra !== undefined) return undefined;
  const left = head ? head.split(':') : [];
  const right = tail === undefined ? [] : tail ? tail.split(':') : [];
  const missing = 8 - left.length - right.length;
  if ((tail === undefined && missing !== 0) || missing < 0) return undefined;
  const groups = [...left, ...Array<string>(tail === undefined ? 0 : missing).fill('0'), ...right];
  if (groups.some((group) => group.length === 0 || group.length > 4)) return undefined;
  return { value: groups.reduce((sum, group) => (sum << 16n) | BigInt(Number.parseInt(group, 16)), 0n), bits: 128 };
}

/** A network in CIDR form (`217.20.145.192/28`, `2001:db8::/32`), or one address. */
export interface Network {
  readonly value: bigint;
  readonly prefix: number;
  readonly bits: 32 | 128;
}

/** Parses a CIDR; throws a `TypeError` naming it when it is not one. */
export function parseNetwork(cidr: string): Network {
  const [address = '', prefixText] = cidr.split('/');
  const parsed = parse(address);
  const prefix = prefixText === undefined ? parsed?.bits : Number(prefixText);
  if (!parsed || prefix === undefined || !Number.isInteger(prefix) || prefix < 0 || prefix > parsed.bits) {
    throw new TypeError(`${cidr} is not an IP network in CIDR form`);
  }
  return { value: parsed.value, prefix, bits: parsed.bits };
}

/** Whether an address lies in one of the networks. */
export function inNetworks(address: string | undefined, networks: readonly Network[]): boolean {
  const parsed = address === undefined ? undefined : parse(address);
  if (!parsed) return false;
  return networks.some((network) => {
    if (network.bits !== parsed.bits) return false;
    const shift = BigInt(network.bits - network.prefix);
    return parsed.value >> shift === network.value >> shift;
  });
}

/**
 * The client's address behind trusted proxies: starting from the peer, while the current hop is a trusted proxy,
 * step to the address it says it forwarded for (the right-most entry of `X-Forwarded-For` not yet used).
 */
export function clientAddress(peer: string | undefined, forwardedFor: string | null, trustedProxies: readonly Network[]): string | undefined {
  const hops = (forwardedFor ?? '')
    .split(',')
    .map((hop) => hop.trim())
    .filter(Boolean);
  let current = peer;
  while (current !== undefined && inNetworks(current, trustedProxies)) current = hops.pop();
  return current;
}
