/**
 * Codegen cost: the wall time of `npm run generate` for every spec (as a user runs it, process start included),
 * and the in-process time of the same pipeline on a synthetic spec of about 300 operations, to show how it scales.
 */
import { execFileSync } from 'node:child_process';
import { performance } from 'node:perf_hooks';
import type { OpenApiDocument } from '../scripts/lib/apis.js';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { generateModule } from '../scripts/lib/codegen.js';

/** The codegen figures. */
export interface CodegenResult {
  readonly generateAllMs: number;
  readonly syntheticOperations: number;
  readonly syntheticSchemas: number;
  readonly syntheticMs: number;
}

/** A spec with `resources` resources of three operations each (list, create, get), each with its own schemas. */
export function syntheticSpec(resources: number): OpenApiDocument {
  const paths: Record<string, Record<string, unknown>> = {};
  const schemas: Record<string, unknown> = {};
  for (let i = 0; i < resources; i++) {
    const item = `Item${i}`;
    schemas[item] = {
      type: 'object',
      required: ['id', 'name'],
      properties: {
        id: { type: 'integer', format: 'int64' },
        name: { type: 'string', maxLength: 255 },
        tags: { type: 'array', items: { type: 'string' } },
        status: { type: 'string', enum: ['active', 'archived'] },
        owner: { $ref: `#/components/schemas/Owner${i}` },
      },
    };
    schemas[`Owner${i}`] = { type: 'object', properties: { id: { type: 'integer' }, email: { type: 'string' } } };
    const ok = (schema: unknown) => ({ description: 'OK', content: { 'application/json': { schema } } });
    paths[`/items${i}`] = {
      get: {
        operationId: `list${item}`,
        parameters: [{ name: 'cursor', in: 'query', schema: { type: 'string' } }, { name: 'limit', in: 'query', schema: { type: 'integer', default: 50 } }],
        responses: { '200': ok({ type: 'array', items: { $ref: `#/components/schemas/${item}` } }), '404': { description: 'Not found' } },
      },
      post: {
        operationId: `create${item}`,
        requestBody: { required: true, content: { 'application/json': { schema: { type: 'object', properties: { name: { type: 'string' } } } } } },
        responses: { '201': ok({ $ref: `#/components/schemas/${item}` }), '422': { description: 'Invalid' } },
      },
    };
    paths[`/items${i}/{id}`] = {
      get: {
        operationId: `get${item}`,
        parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }],
        responses: { '200': ok({ $ref: `#/components/schemas/${item}` }), '404': { description: 'Not found' } },
      },
    };
  }
  return { openapi: '3.1.0', info: { title: 'Synthetic', version: '1' }, paths, components: { schemas } } as OpenApiDocument;
}

/** Times `npm run generate` (median of `runs`) and the pipeline on the synthetic spec. */
export async function measureCodegen(repoRoot: string, runs = 3): Promise<CodegenResult> {
  const times: number[] = [];
  const scratch = await mkdtemp(path.join(tmpdir(), 'bench-generate-'));
  for (let i = 0; i < runs; i++) {
    const started = performance.now();
    // Into a scratch folder: a benchmark run never rewrites the committed generated/.
    execFileSync('npm', ['run', '--silent', 'generate', '--', '--out', scratch], { cwd: repoRoot, stdio: 'ignore' });
    times.push(performance.now() - started);
  }
  const doc = syntheticSpec(100);
  const started = performance.now();
  const generated = await generateModule(doc, "synthetic");
  return {
    generateAllMs: [...times].sort((a, b) => a - b)[Math.floor(runs / 2)] as number,
    syntheticOperations: generated.operations,
    syntheticSchemas: generated.schemas,
    syntheticMs: performance.now() - started,
  };
}
