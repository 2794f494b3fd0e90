/**
 * `npm run docs`: builds the API reference into `docs/`:
 * - one self-contained Redoc page per API named in `redocly.yaml` (Redoc's scripts inlined, so the folder works
 *   offline), built from the bundled spec plus code samples (TypeScript through this package's client, and
 *   cURL) generated from the operation table, so they never drift from the spec;
 * - a landing page (what each API is, how it authenticates, a quick start) and guide pages;
 * - on every page, a header linking the landing page, every API and the guides;
 * - `llms.txt`, a plain-text index of every operation for coding assistants.
 * Every page works offline and asks nothing of any other host.
 */
import { spawn } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { bundleApi, listApis, publicView, repoRoot } from './lib/apis.js';
import { readOperations } from './lib/operations.js';
import { findPagedLists } from './lib/pagination.js';
import { GUIDES, QUICK_STARTS } from './lib/guides.js';
import { addCodeSamples } from './lib/samples.js';
import { clientMethods, decorateForReference, llmsText, type ReferenceOperation } from './lib/reference.js';

const docsDir = path.join(repoRoot, 'docs');
const redoclyBin = path.join(path.dirname(createRequire(import.meta.url).resolve('@redocly/cli/package.json')), 'bin', 'cli.js');

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

interface ApiPage {
  readonly name: string;
  readonly title: string;
  readonly summary: string;
  readonly version: string;
  readonly auth: string;
  readonly operations: readonly ReferenceOperation[];
}

/**
 * Redoc's sidebar shows the Redocly logo from Redocly's CDN, the one request the page would make to another host
 * (it fails offline and tells a third party of every visit). The logo is replaced by the same words, drawn inline.
 */
const REDOCLY_LOGO = /https:\/\/cdn\.redoc\.ly\/redoc\/logo-mini(?:-full)?\.svg/g;
const INLINE_LOGO = `data:image/svg+xml,${encodeURIComponent(
  '<svg xmlns="http://www.w3.org/2000/svg" width="52" height="16"><text x="0" y="12" font-family="sans-serif" font-size="12" fill="#6b7280">Redocly</text></svg>',
)}`;

/**
 * Redoc's code panels scroll sideways and put the copy button over the first line's end: samples wrap instead,
 * and leave room at the right for the button.
 */
const REDOC_STYLE = `
  .site-header{position:static}
  [data-component-name="CodeBlock/CodeBlockContainer"]{white-space:pre-wrap!important;overflow-wrap:anywhere!important;padding-right:48px!important}`;

const HEADER_STYLE = `
  .site-header{position:sticky;top:0;z-index:1000;display:flex;gap:1.25rem;align-items:center;flex-wrap:wrap;
    padding:.6rem 1.25rem;background:#1f2937;font:15px/1.4 system-ui,sans-serif}
  .site-header a{color:#e5e7eb;text-decoration:none}
  .site-header a:hover,.site-header a[aria-current=page]{color:#fff;text-decoration:underline}
  .site-header .home{font-weight:600;margin-right:.5rem}`;

/** The header every page carries: home, each API, each guide; the current page marked. */
function header(apis: readonly ApiPage[], current: string): string {
  const link = (href: string, text: string, extra = '') =>
    `<a href="${href}"${href === current ? ' aria-current="page"' : ''}${extra}>${escapeHtml(text)}</a>`;
  return `<nav class="site-header" aria-label="Reference">
  ${link('index.html', 'Messaging API reference', ' class="home"')}
  ${apis.map((api) => link(`${api.name}.html`, api.title)).join('\n  ')}
  ${GUIDES.map((guide) => link(guide.file, guide.title)).join('\n  ')}
</nav>`;
}

/** A Redoc page template (handlebars) with the header above the reference. */
function redocTemplate(apis: readonly ApiPage[], current: string): string {
  return `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf8" />
  <title>{{title}}</title>
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <style>body{padding:0;margin:0}${HEADER_STYLE}${REDOC_STYLE}</style>
  {{{redocHead}}}
</head>
<body>
${header(apis, current)}
  {{{redocHTML}}}
</body>
</html>
`;
}

/** A plain page (landing page, guides) with the header. */
function plainPage(apis: readonly ApiPage[], current: string, title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${escapeHtml(title)}</title>
  <style>
  body{margin:0;font:16px/1.6 system-ui,sans-serif;color:#111827}${HEADER_STYLE}
  main{max-width:48rem;margin:2rem auto;padding:0 1.25rem}
  pre{background:#f3f4f6;padding:1rem;overflow:auto;border-radius:6px;white-space:pre-wrap;overflow-wrap:anywhere}code{font-size:.9em}
  table{border-collapse:collapse;width:100%}td,th{border:1px solid #d1d5db;padding:.4rem .6rem;text-align:left;vertical-align:top}
  .api{margin:1.5rem 0;padding:1rem 1.25rem;border:1px solid #e5e7eb;border-radius:8px}
  </style>
</head>
<body>
${header(apis, current)}
<main>
<h1>${escapeHtml(title)}</h1>
${body}
</main>
</body>
</html>
`;
}

function run(args: readonly string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [redoclyBin, ...args], {
      cwd: repoRoot,
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`redocly ${args[0]} failed:\n${output}`))));
  });
}

function landingPage(apis: readonly ApiPage[]): string {
  const sections = apis
    .map(
      (api) => `<section class="api">
<h2><a href="${api.name}.html">${escapeHtml(api.title)}</a> <small>v${escapeHtml(api.version)}</small></h2>
<p>${escapeHtml(api.summary)}</p>
<p><strong>Authentication:</strong> ${escapeHtml(api.auth).replace(/`([^`]+)`/g, '<code>$1</code>')}</p>
<pre><code>${escapeHtml(QUICK_STARTS[api.name] ?? '')}</code></pre>
</section>`,
    )
    .join('\n');
  const guides = GUIDES.map((guide) => `<li><a href="${guide.file}">${escapeHtml(guide.title)}</a>: ${escapeHtml(guide.summary)}</li>`).join('\n');
  return `<p>Typed, contract-tested TypeScript clients for three messaging APIs, and the OpenAPI documents they are
generated from. Every operation below has a TypeScript sample through the client and a cURL sample.</p>
<pre><code>npm install messaging-api-clients</code></pre>
${sections}
<h2>Guides</h2>
<ul>
${guides}
</ul>
<p>For coding assistants: <a href="llms.txt">llms.txt</a>, every method with its summary, its call and its page.</p>`;
}

/** Where an API's credential goes, from its security schemes. */
function describeAuth(doc: Record<string, unknown>): string {
  const schemes = Object.values(((doc.components as Record<string, unknown> | undefined)?.securitySchemes ?? {}) as Record<string, Record<string, unknown>>);
  return (
    schemes
      .map((scheme) => {
        if (scheme.type === 'apiKey') return `the ${String(scheme.in)} parameter \`${String(scheme.name)}\``;
        if (scheme.type === 'oauth2') return 'OAuth 2.0 (authorization code), then a bearer token';
        if (scheme.type === 'http') return `HTTP ${String(scheme.scheme)} token in the Authorization header`;
        return String(scheme.type);
      })
      .join('; ') || 'none'
  );
}

async function main(): Promise<void> {
  const started = performance.now();
  await rm(docsDir, { recursive: true, force: true });
  await mkdir(docsDir, { recursive: true });
  const work = await mkdtemp(path.join(tmpdir(), 'docs-'));
  try {
    const bundles = await Promise.all(
      (await listApis()).map(async (api) => {
        const full = await bundleApi(api);
        // The iterators are read from the spec with its marks (x-pagination), which the published copy drops.
        const lists = findPagedLists(full, readOperations(full));
        const doc = publicView(full);
        addCodeSamples(doc, api.name);
        const operations = decorateForReference(doc, api.name, clientMethods(api.name), lists);
        const info = (doc.info ?? {}) as { title?: string; summary?: string; version?: string };
        const page: ApiPage = {
          name: api.name,
          title: info.title ?? api.name,
          summary: info.summary ?? '',
          version: info.version ?? '',
          auth: describeAuth(doc),
          operations,
        };
        return { page, doc };
      }),
    );
    const apis = bundles.map((bundle) => bundle.page);
    // Redoc shows only the code samples whose language is in this list; its default list has no TypeScript.
    const config = path.join(work, 'redocly.yaml');
    await writeFile(config, 'openapi:\n  codeSamples:\n    languages:\n      - lang: TypeScript\n      - lang: curl\n        label: cURL\n');
    await Promise.all(
      bundles.map(async ({ page, doc }) => {
        const spec = path.join(work, `${page.name}.json`);
        const template = path.join(work, `${page.name}.hbs`);
        await writeFile(spec, JSON.stringify(doc));
        await writeFile(template, redocTemplate(apis, `${page.name}.html`));
        const output = path.join(docsDir, `${page.name}.html`);
        await run(['build-docs', spec, '--config', config, '--inlineBundle', '--title', page.title, '--template', template, '--output', output]);
        await writeFile(output, (await readFile(output, 'utf8')).replace(REDOCLY_LOGO, INLINE_LOGO));
      }),
    );
    await writeFile(path.join(docsDir, 'index.html'), plainPage(apis, 'index.html', 'Messaging API reference', landingPage(apis)));
    for (const guide of GUIDES) await writeFile(path.join(docsDir, guide.file), plainPage(apis, guide.file, guide.title, guide.body));
    await writeFile(path.join(docsDir, 'llms.txt'), llmsText(apis));
    console.log(`docs: ${apis.length} API pages, ${GUIDES.length} guides and index.html in ${Math.round(performance.now() - started)} ms → docs/`);
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

await main();
