/**
 * Matching request paths to the path templates of a spec, as a server would: a path that several templates
 * match belongs to the most literal one (`/me/messages` is not `/{chat_id}/messages`).
 */

/** A template compiled for matching. */
export interface Route<T> {
  readonly method: string;
  readonly template: string;
  readonly pattern: RegExp;
  readonly parameters: number;
  readonly value: T;
}

/** Compiles a template such as `/messages/{id}/pin`. */
export function route<T>(method: string, template: string, value: T): Route<T> {
  const literal = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return {
    method: method.toUpperCase(),
    template,
    pattern: new RegExp(`^${literal.join('[^/]+')}/?$`),
    parameters: (template.match(/\{/g) ?? []).length,
    value,
  };
}

/** The route a request belongs to, if any. */
export function findRoute<T>(routes: readonly Route<T>[], method: string, path: string): Route<T> | undefined {
  return routes
    .filter((candidate) => candidate.method === method.toUpperCase() && candidate.pattern.test(path))
    .sort((a, b) => a.parameters - b.parameters)[0];
}
