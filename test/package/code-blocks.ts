/**
 * Every TypeScript code block a user reads: the README's ```ts blocks, the reference guides' `language-ts` blocks
 * and the landing page's quick starts. A block's first line says how to take it: `// Fragment: …` (it assumes
 * names it does not define, and says which), `// CommonJS: …` (a CommonJS program), or nothing (an ES module
 * that runs as written).
 */
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { repoRoot } from '../../scripts/lib/apis.js';
import { GUIDES, QUICK_STARTS } from '../../scripts/lib/guides.js';

/** How a block is checked: compiled and run as an ES module or as CommonJS, or only compiled, as a fragment. */
export type BlockKind = 'esm' | 'cjs' | 'fragment';

/** One code block and where a reader finds it. */
export interface CodeBlock {
  /** Where it is, such as `README.md:71` or `guide-errors.html #1`. */
  readonly where: string;
  readonly code: string;
  readonly kind: BlockKind;
}

function kindOf(code: string): BlockKind {
  const first = code.split('\n', 1)[0] ?? '';
  if (/^\/\/ Fragment: \S/.test(first)) return 'fragment';
  if (/^\/\/ CommonJS: \S/.test(first)) return 'cjs';
  return 'esm';
}

function unescapeHtml(text: string): string {
  return text
    .replace(/&lt;/g, '<')
    .replace(/&gt;/g, '>')
    .replace(/&quot;/g, '"')
    .replace(/&#(\d+);/g, (_, code: string) => String.fromCharCode(Number(code)))
    .replace(/&amp;/g, '&');
}

/** The README's TypeScript blocks, each with the line its fence opens on. */
export async function readmeBlocks(): Promise<CodeBlock[]> {
  const readme = await readFile(path.join(repoRoot, 'README.md'), 'utf8');
  const blocks: CodeBlock[] = [];
  for (const match of readme.matchAll(/^```(ts|typescript)\n([\s\S]*?)^```$/gm)) {
    const line = readme.slice(0, match.index).split('\n').length;
    const code = match[2] as string;
    blocks.push({ where: `README.md:${line}`, code, kind: kindOf(code) });
  }
  return blocks;
}

/** The TypeScript blocks of the reference's guides and landing page. */
export function referenceBlocks(): CodeBlock[] {
  const blocks: CodeBlock[] = [];
  for (const guide of GUIDES) {
    let index = 0;
    for (const match of guide.body.matchAll(/<pre><code class="language-ts">([\s\S]*?)<\/code><\/pre>/g)) {
      const code = `${unescapeHtml(match[1] as string)}\n`;
      blocks.push({ where: `${guide.file} #${++index}`, code, kind: kindOf(code) });
    }
  }
  for (const [api, code] of Object.entries(QUICK_STARTS)) blocks.push({ where: `index.html (${api} quick start)`, code: `${code}\n`, kind: kindOf(code) });
  return blocks;
}

/** Code blocks of the guides that are not marked as TypeScript, to catch a TypeScript block that escapes the test. */
export function unmarkedReferenceBlocks(): string[] {
  return GUIDES.flatMap((guide) => [...guide.body.matchAll(/<pre><code>([\s\S]*?)<\/code><\/pre>/g)].map((match) => `${guide.file}: ${match[1]}`));
}
