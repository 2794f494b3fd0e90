/**
 * What the built reference (`docs/`, from `npm run docs`) says, read from the files a reader is served: the spec
 * each API page embeds, the landing page, the guides and `llms.txt`. No internal note reaches a reader, and
 * `llms.txt` lists every operation of every spec with its summary, its call and its page.
 */
import { existsSync } from 'node:fs';
import { readFile, readdir } from 'node:fs/promises';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { bundleApi, listApis, repoRoot } from '../../scripts/lib/apis.js';
import { clientMethods, referenceOperations } from '../../scripts/lib/reference.js';

const docsDir = path.join(repoRoot, 'docs');

/** Notes meant for the people who wrote the specs: the source notes, their sections, their folder. */
const INTERNAL_NOTE = /FACTS|shared\/api-docs|§/;

/** The OpenAPI document a Redoc page embeds (`const __redoc_definition = {…}`), read as JSON. */
function embeddedDefinition(html: string): unknown {
  const marker = 'const __redoc_definition = ';
  const start = html.indexOf(marker);
  if (start === -1) throw new Error('the page embeds no definition');
  let depth = 0;
  let inString = false;
  for (let index = start + marker.length; index < html.length; index++) {
    const char = html[index];
    if (inString) {
      if (char === '\\') index++;
      else if (char === '"') inString = false;
    } else if (char === '"') inString = true;
    else if (char === '{') depth++;
    else if (char === '}' && --depth === 0) return JSON.parse(html.slice(start + marker.length, index + 1));
  }
  throw new Error('the embedded definition does not end');
}

/** Every string of a document with the path it is at. */
function strings(node: unknown, at = ''): { at: string; text: string }[] {
  if (typeof node === 'string') return [{ at, text: node }];
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => strings(value, `${at}/${key}`));
}

/** The text of an HTML page as a reader sees it, without markup. */
function visibleText(html: string): string {
  return html.replace(/<style[\s\S]*?<\/style>/g, '').replace(/<[^>]+>/g, ' ');
}

beforeAll(() => {
  if (!existsSync(path.join(docsDir, 'index.html'))) throw new Error('docs/ is not built: run `npm run build` (or `npm run docs`) first');
});

describe('what the reference says', () => {
  it('finds the embedded definition of every API page, the landing page and the guides', async () => {
    const files = (await readdir(docsDir)).sort();
    expect(files).toEqual(expect.arrayContaining(['index.html', 'llms.txt', 'guide-errors.html', ...(await listApis()).map((api) => `${api.name}.html`)]));
    for (const api of await listApis()) {
      const definition = embeddedDefinition(await readFile(path.join(docsDir, `${api.name}.html`), 'utf8')) as { info: { title: string } };
      expect(definition.info.title).toBe(((await bundleApi(api)).info as { title: string }).title);
    }
  });

  it('shows no internal note in any page: no source notes, no section signs, no path into the sources folder', async () => {
    const found: string[] = [];
    for (const file of await readdir(docsDir)) {
      const text = await readFile(path.join(docsDir, file), 'utf8');
      if (file.endsWith('.txt')) {
        if (INTERNAL_NOTE.test(text)) found.push(`${file}: ${INTERNAL_NOTE.exec(text)?.[0]}`);
      } else if (text.includes('__redoc_definition')) {
        // An API page: every string of the spec it shows (descriptions, summaries, titles, examples, samples).
        for (const { at, text: value } of strings(embeddedDefinition(text))) if (INTERNAL_NOTE.test(value)) found.push(`${file} ${at}: ${value.slice(0, 120)}`);
      } else if (INTERNAL_NOTE.test(visibleText(text))) found.push(`${file}: ${visibleText(text).match(/.{0,60}(FACTS|shared\/api-docs|§).{0,60}/)?.[0]}`);
    }
    const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
    if (INTERNAL_NOTE.test(readme)) found.push(`README.md: ${readme.match(/.{0,60}(FACTS|shared\/api-docs|§).{0,60}/)?.[0]}`);
    expect(found).toEqual([]);
  });

  it('the check itself catches a note in a description', () => {
    expect(strings({ paths: { '/x': { get: { description: 'Closed, as FACTS §4 says' } } } }).filter(({ text }) => INTERNAL_NOTE.test(text))).toHaveLength(1);
    expect(INTERNAL_NOTE.test('The API lives under /api/shared/v1.')).toBe(false);
  });

  it('shows a value read in any letter case as its values, not as a regular expression', async () => {
    const definition = embeddedDefinition(await readFile(path.join(docsDir, 'pachca.html'), 'utf8')) as { components: { schemas: Record<string, Record<string, unknown>> } };
    const entityType = definition.components.schemas.EntityTypeInput as Record<string, unknown>;
    expect(entityType.enum).toEqual(['discussion', 'thread', 'user']);
    expect(entityType.pattern).toBeUndefined();
    expect(entityType.description).toMatch(/any letter case/);
    expect(JSON.stringify(definition)).not.toContain('[dD][iI]');
  });

  it("shows each iterator taking its list's own input: without a cursor it sets, whole where the cursor is inside a parameter, with the start of a walk by time", async () => {
    const callsOf = async (name: string, operationId: string): Promise<readonly string[]> => {
      const api = (await listApis()).find((candidate) => candidate.name === name);
      if (!api) throw new Error(`no ${name} spec`);
      return referenceOperations(await bundleApi(api), name, clientMethods(name)).find((operation) => operation.operationId === operationId)?.calls ?? [];
    };
    expect(await callsOf('unet', 'listMessages')).toEqual(['unet.listMessages({ q })', 'unet.iterateMessages({ q })']);
    expect(await callsOf('ok', 'listChats')).toEqual(['ok.listChats({ count?, marker? })', 'ok.iterateChats({ count? })']);
    expect((await callsOf('ok', 'listMessages'))[1]).toBe('ok.iterateMessages({ chat_id, from?, to?, count?, include_deleted? })');
    expect((await callsOf('pachca', 'listReactions'))[1]).toBe('pachca.iterateReactions({ id, limit? })');
  });

  it('llms.txt lists every operation of every spec with its summary, its call and a link to its page', async () => {
    const text = await readFile(path.join(docsDir, 'llms.txt'), 'utf8');
    expect(text.startsWith('# messaging-api-clients\n\n> ')).toBe(true);
    for (const api of await listApis()) {
      const doc = await bundleApi(api);
      const heading = `## ${(doc.info as { title: string }).title}\n`;
      expect(text).toContain(heading);
      const section = text.slice(text.indexOf(heading)).split('\n## ')[0] ?? '';
      const operations = referenceOperations(doc, api.name, clientMethods(api.name));
      expect(operations.length).toBeGreaterThan(5);
      for (const operation of operations) {
        const line = section.split('\n').find((candidate) => candidate.startsWith(`- [${operation.operationId}](`));
        expect(line, operation.operationId).toBeDefined();
        expect(line).toContain(`(${api.name}.html#/`);
        expect(line).toContain(`: ${operation.summary}.`);
        expect(line).toContain(`\`${operation.method} ${operation.path}\``);
        for (const call of operation.calls) expect(line).toContain(`\`${call}\``);
      }
    }
    expect(text).toContain('`pachca.createMessage({ body })`');
    expect(text).toContain('`pachca.getMessage({ id })`');
    expect(text).toMatch(/`pachca\.iterateChatMessages\(\{ chat_id, [^`]*\}\)`/);
    expect(text).not.toMatch(/iterateChatMessages\([^)]*cursor/);
    expect(text).toContain('`auth.exchangeCode(code)`');
  });
});
