/**
 * The list of APIs comes from one place: the `apis:` section of `redocly.yaml`. Codegen, the docs build, the
 * contract tests' mock servers and the benchmarks all call these helpers, so adding an API is one entry there.
 */
import path from 'node:path';
import { bundle, loadConfig, type Config } from '@redocly/openapi-core';
import { repoRoot } from './repo-root.js';

export { repoRoot };

/** One API as `redocly.yaml` names it. */
export interface ApiEntry {
  /** The key under `apis:`, also the name of `generated/<name>.ts` and `src/<name>/`. */
  readonly name: string;
  /** The absolute path of the spec's root document. */
  readonly root: string;
}

let configPromise: Promise<Config> | undefined;

/** Loads `redocly.yaml` once per process. */
export function loadRedoclyConfig(): Promise<Config> {
  configPromise ??= loadConfig({ configPath: path.join(repoRoot, 'redocly.yaml') });
  return configPromise;
}

/** Every API named in `redocly.yaml`, in the order it lists them. */
export async function listApis(): Promise<ApiEntry[]> {
  const config = await loadRedoclyConfig();
  return Object.entries(config.apis).map(([name, api]) => ({
    name,
    root: path.resolve(repoRoot, api.root),
  }));
}

/** A bundled OpenAPI document: every external `$ref` pulled into `components`. */
export type OpenApiDocument = Record<string, unknown> & {
  paths?: Record<string, Record<string, unknown>>;
  components?: Record<string, Record<string, unknown>>;
};

/**
 * Bundles one API's spec into a single document, the form that codegen, Prism and the docs consume.
 * Fails with every problem listed when a `$ref` cannot be resolved.
 */
export async function bundleApi(api: ApiEntry): Promise<OpenApiDocument> {
  const config = await loadRedoclyConfig();
  const result = await bundle({ ref: api.root, config });
  const unresolved = result.problems.filter((problem) => problem.severity === 'error');
  if (unresolved.length > 0) {
    const lines = unresolved.map((problem) => `  - ${problem.message}`).join('\n');
    throw new Error(`Cannot bundle ${api.name} (${api.root}):\n${lines}`);
  }
  return result.bundle.parsed as OpenApiDocument;
}

/**
 * Vendor extensions that only tell the generator how to build the client (paging, tuple typing): a mock server
 * and the published reference do not need them, so they are dropped from the documents those are given.
 */
export const GENERATOR_MARKS: readonly string[] = ['x-pagination', 'x-typing-tuple'];

/** A copy of a bundled document without the generator's marks, for Prism, the reference and the package. */
export function publicView(doc: OpenApiDocument): OpenApiDocument {
  const strip = (node: unknown): unknown => {
    if (Array.isArray(node)) return node.map(strip);
    if (node === null || typeof node !== 'object') return node;
    return Object.fromEntries(Object.entries(node).filter(([key]) => !GENERATOR_MARKS.includes(key)).map(([key, value]) => [key, strip(value)]));
  };
  return strip(doc) as OpenApiDocument;
}

/** Bundles every API into `<dir>/<name>.json`, without the generator's marks, and returns the paths by API name. */
export async function writeBundles(dir: string): Promise<Record<string, string>> {
  const { mkdir, writeFile } = await import('node:fs/promises');
  await mkdir(dir, { recursive: true });
  const written: Record<string, string> = {};
  for (const api of await listApis()) {
    const file = path.join(dir, `${api.name}.json`);
    await writeFile(file, JSON.stringify(publicView(await bundleApi(api)), null, 2));
    written[api.name] = file;
  }
  return written;
}
