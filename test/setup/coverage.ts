/**
 * Contract coverage: which operations of the specs the contract tests exercised, judged from the exchanges the
 * clients had with the mock servers (method, path and status).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listApis, repoRoot } from '../../scripts/lib/apis.js';

/** One request a client made to a mock, and the status it got. */
export interface Exchange {
  readonly api: string;
  readonly method: string;
  readonly path: string;
  readonly status: number;
}

interface TableEntry {
  readonly method: string;
  readonly path: string;
}

interface Route {
  readonly id: string;
  readonly entry: TableEntry;
  readonly pattern: RegExp;
  /** How many path parameters the template has; a request matching several templates belongs to the most literal. */
  readonly parameters: number;
}

/** Turns `/messages/{id}/pin` into a pattern matching `/messages/12/pin`. */
function pathPattern(template: string): RegExp {
  const literal = template.split(/\{[^}]+\}/).map((part) => part.replace(/[.*+?^$()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('[^/]+')}/?$`);
}

/** The operation an exchange exercised, if any. */
function routeOf(routes: readonly Route[], exchange: Exchange): Route | undefined {
  return routes
    .filter((route) => route.entry.method === exchange.method && route.pattern.test(exchange.path))
    .sort((a, b) => a.parameters - b.parameters)[0];
}

/** Lists `api.operationId` for every operation that no exchange answered with a 2xx. */
export async function unexercisedOperations(exchanges: readonly Exchange[]): Promise<string[]> {
  const missing: string[] = [];
  for (const api of await listApis()) {
    const generated = pathToFileURL(path.join(repoRoot, 'generated', `${api.name}.ts`)).href;
    const module = (await import(/* @vite-ignore */ generated)) as { operationTable: Record<string, TableEntry> };
    const routes: Route[] = Object.entries(module.operationTable).map(([id, entry]) => ({
      id,
      entry,
      pattern: pathPattern(entry.path),
      parameters: (entry.path.match(/\{/g) ?? []).length,
    }));
    const exercised = new Set(
      exchanges
        .filter((exchange) => exchange.api === api.name && exchange.status >= 200 && exchange.status < 300)
        .map((exchange) => routeOf(routes, exchange)?.id),
    );
    for (const route of routes) {
      if (!exercised.has(route.id)) missing.push(`${api.name}.${route.id} (${route.entry.method} ${route.entry.path})`);
    }
  }
  return missing;
}
