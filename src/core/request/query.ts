/**
 * Query strings. Parameters are serialized by openapi-fetch's own serializer (form style, exploded arrays,
 * deepObject for objects), built once per client instead of once per request. Some platforms (uNet) take a
 * request's parameters as one JSON document in a query parameter (`?q={"chat_id":1}`); the spec declares such a
 * parameter with `content` instead of `schema`, the generated table lists it under `jsonQuery`, and it is written
 * as percent-encoded JSON. A parameter the API reads under another name than the readable one the caller passes
 * (the spec's `x-query-name`, such as Pachca's `names[]`) is written under that name.
 */
import { createQuerySerializer } from 'openapi-fetch';

/** Turns a query object into a query string (without the `?`). */
export type QuerySerializer = (query: Record<string, unknown>) => string;

/** openapi-fetch's default serialization. */
export const defaultQuerySerializer: QuerySerializer = createQuerySerializer();

/** Builds a query serializer that writes the named parameters as percent-encoded JSON. */
export function jsonQuerySerializer(names: readonly string[]): QuerySerializer {
  return (query) => {
    const parts: string[] = [];
    const others: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(query)) {
      if (value === undefined) continue;
      if (names.includes(name)) parts.push(`${encodeURIComponent(name)}=${encodeURIComponent(JSON.stringify(value))}`);
      else others[name] = value;
    }
    const rest = defaultQuerySerializer(others);
    if (rest) parts.push(rest);
    return parts.join('&');
  };
}

/**
 * Wraps a serializer so that the named parameters go out under the API's own names (`names` → `names[]`, each
 * value repeated: `names[]=Design&names[]=Product`, as Rails-style servers read an array).
 */
export function renamingQuerySerializer(names: Readonly<Record<string, string>>, serialize: QuerySerializer): QuerySerializer {
  return (query) => {
    const renamed: Record<string, unknown> = {};
    for (const [name, value] of Object.entries(query)) renamed[Object.hasOwn(names, name) ? (names[name] as string) : name] = value;
    return serialize(renamed);
  };
}
