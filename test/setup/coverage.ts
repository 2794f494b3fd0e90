/**
 * Contract coverage: which operations of the specs the contract tests exercised, judged from the exchanges the
 * clients had with the mock servers (method, path and status).
 */
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { listApis, repoRoot } from '../../scripts/lib/apis.js';
import { findRoute, route } from './routes.js';

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
  readonly success: number;
}

/**
 * Lists `api.operationId` for every operation that no exchange answered with success: a 2xx, or the declared
 * redirect of an operation whose success is one.
 */
export async function unexercisedOperations(exchanges: readonly Exchange[]): Promise<string[]> {
  const missing: string[] = [];
  for (const api of await listApis()) {
    const generated = pathToFileURL(path.join(repoRoot, 'generated', `${api.name}.ts`)).href;
    const module = (await import(/* @vite-ignore */ generated)) as { operationTable: Record<string, TableEntry> };
    const routes = Object.entries(module.operationTable).map(([id, entry]) => route(entry.method, entry.path, id));
    const exercised = new Set(
      exchanges
        .filter((exchange) => exchange.api === api.name)
        .map((exchange) => ({ exchange, id: findRoute(routes, exchange.method, exchange.path)?.value }))
        .filter(({ exchange, id }) => {
          const success = id === undefined ? undefined : module.operationTable[id]?.success;
          return (exchange.status >= 200 && exchange.status < 300) || exchange.status === success;
        })
        .map(({ id }) => id),
    );
    for (const { value: id, method, template } of routes) {
      if (!exercised.has(id)) missing.push(`${api.name}.${id} (${method} ${template})`);
    }
  }
  return missing;
}
