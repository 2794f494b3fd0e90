/**
 * Query strings with JSON-valued parameters. Some platforms (uNet) take a request's parameters as one JSON
 * document in a query parameter (`?q={"chat_id":1}`); the spec declares such a parameter with `content` instead of
 * `schema`, and the generated table lists it under `jsonQuery`. Every other parameter keeps openapi-fetch's
 * serialization.
 */
import { createQuerySerializer } from 'openapi-fetch';

const defaultSerializer = createQuerySerializer();

/** Builds a query serializer that writes the named parameters as percent-encoded JSON. */
export function jsonQuerySerializer(names: readonly string[]): (query: Record<string, unknown>) => string {
  return (query) => {
    const parts: string[] = [];
    const others: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (names.includes(name)) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(JSON.stringify(value))}`);
      else others[name] = value;
    }
    const rest = defaultSerializer(others);
    if (rest) parts.push(rest);
    return parts.join('&');
  };
}
