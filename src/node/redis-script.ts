/**
 * Lua scripts sent once: every call sends the script's SHA-1 (`EVALSHA`); a server that does not know it yet
 * answers `NOSCRIPT`, and that one call sends the whole script (`EVAL`), which also loads it there. On a Redis
 * Cluster each node learns the script on its first call, so every key one script touches must share a hash tag
 * (`prefix{tag}…`) so that they live on one node.
 */
import { createHash } from 'node:crypto';

/** The part of a Redis client the stores use: ioredis (`Redis` or `Cluster`) has it, as can an adapter. */
export interface RedisScriptClient {
  eval(script: string, numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
  /** Used when present; a client without it sends the whole script every time. */
  evalsha?(sha1: string, numberOfKeys: number, ...keysAndArgs: (string | number)[]): Promise<unknown>;
}

/** A script and its hash, computed once. */
export interface RedisScript {
  readonly source: string;
  readonly sha1: string;
}

/** Wraps a Lua source with its SHA-1. */
export function redisScript(source: string): RedisScript {
  return { source, sha1: createHash('sha1').update(source).digest('hex') };
}

/** True for the server's answer to an unknown script hash. */
function isNoScript(error: unknown): boolean {
  return error instanceof Error && error.message.startsWith('NOSCRIPT');
}

/** Runs a script by its hash, sending the source only when the server does not know it. */
export async function runScript(
  client: RedisScriptClient,
  script: RedisScript,
  keys: readonly string[],
  args: readonly (string | number)[],
): Promise<unknown> {
  if (typeof client.evalsha === 'function') {
    try {
      return await client.evalsha(script.sha1, keys.length, ...keys, ...args);
    } catch (error) {
      if (!isNoScript(error)) throw error;
    }
  }
  return client.eval(script.source, keys.length, ...keys, ...args);
}

/**
 * A hash tag: the part of a key between `{` and `}` that Redis Cluster hashes instead of the whole key. Braces
 * (and `%`) inside the value are percent-escaped, so that a caller's key cannot end the tag early and two
 * different values never give one tag.
 */
export function hashTag(value: string): string {
  return `{${value.replace(/[%{}]/g, (char) => `%${char.charCodeAt(0).toString(16).toUpperCase()}`)}}`;
}
