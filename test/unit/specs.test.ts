/**
 * What every spec in redocly.yaml must hold beyond what the linter checks: an example for every parameter,
 * request body, response body and response header, so that the docs show one and Prism can serve one.
 */
import { describe, expect, it } from 'vitest';
import { bundleApi, listApis, type OpenApiDocument } from '../../scripts/lib/apis.js';

type Node = Record<string, unknown>;

function withoutExamples(doc: OpenApiDocument): string[] {
  const resolve = (node: unknown): Node => {
    let current = node as Node;
    while (current && typeof current.$ref === 'string') {
      current = current.$ref
        .slice(2)
        .split('/')
        .reduce<unknown>((value, key) => (value as Node)[key.replace(/~1/g, '/').replace(/~0/g, '~')], doc) as Node;
    }
    return current;
  };
  const hasExample = (holder: Node): boolean => holder.example !== undefined || holder.examples !== undefined;
  const missing: string[] = [];
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    const item = resolve(rawItem);
    for (const [method, value] of Object.entries(item)) {
      const operation = value as Node;
      if (!operation || typeof operation !== 'object' || !('responses' in operation)) continue;
      const where = `${method.toUpperCase()} ${path}`;
      const parameters = [...((item.parameters as unknown[]) ?? []), ...((operation.parameters as unknown[]) ?? [])].map(resolve);
      for (const parameter of parameters) {
        const media = Object.values((parameter.content as Record<string, Node>) ?? {});
        if (!hasExample(parameter) && !media.some(hasExample)) missing.push(`${where} parameter ${String(parameter.name)}`);
      }
      const body = operation.requestBody ? resolve(operation.requestBody) : undefined;
      for (const [type, media] of Object.entries((body?.content as Record<string, Node>) ?? {})) {
        if (!hasExample(media)) missing.push(`${where} request ${type}`);
      }
      for (const [status, rawResponse] of Object.entries(operation.responses as Node)) {
        const response = resolve(rawResponse);
        for (const [type, media] of Object.entries((response.content as Record<string, Node>) ?? {})) {
          if (!hasExample(media)) missing.push(`${where} ${status} ${type}`);
        }
        for (const [name, header] of Object.entries((response.headers as Record<string, unknown>) ?? {})) {
          if (!hasExample(resolve(header))) missing.push(`${where} ${status} header ${name}`);
        }
      }
    }
  }
  return missing;
}

describe.each(await listApis())('the $name spec', (api) => {
  it('has an example for every parameter, body and response', async () => {
    expect(withoutExamples(await bundleApi(api))).toEqual([]);
  });
});
