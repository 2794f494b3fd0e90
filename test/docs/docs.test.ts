/**
 * The published API reference, checked in a real browser: `docs/` (built by `npm run docs`) is served on
 * loopback and each page is opened in headless Chromium (see test/support/chromium.ts, driven by playwright-core). Each
 * page must render its title and an entry for every operation of its spec; a screenshot of each is saved under
 * `test-results/`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApi, listApis, repoRoot } from '../../scripts/lib/apis.js';
import { extractOperations } from '../../scripts/lib/operations.js';
import { CHROMIUM_ARGS, findChromium } from '../support/chromium.js';

const docsDir = path.join(repoRoot, 'docs');
const screenshots = path.join(repoRoot, 'test-results');

/** Where Redoc files each operation: under its first tag's slug, addressed by its lowercased operationId. */
function operationEntries(doc: Awaited<ReturnType<typeof bundleApi>>): { address: string; summary: string }[] {
  const entries: { address: string; summary: string }[] = [];
  for (const item of Object.values((doc.paths ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const operation of Object.values(item)) {
      const { operationId, tags, summary } = (operation ?? {}) as { operationId?: string; tags?: string[]; summary?: string };
      if (typeof operationId !== 'string') continue;
      const tag = (tags?.[0] ?? '').toLowerCase().replace(/\s+/g, '-');
      entries.push({ address: `#/${tag}/${operationId.toLowerCase()}`, summary: summary ?? operationId });
    }
  }
  return entries;
}

const apis = await Promise.all(
  (await listApis()).map(async (api) => {
    const doc = await bundleApi(api);
    const webhook = Object.values((doc.webhooks ?? {}) as Record<string, { post?: { summary?: string } }>)[0]?.post?.summary;
    return {
      name: api.name,
      title: (doc.info as { title: string }).title,
      operationIds: Object.keys(extractOperations(doc)),
      entries: operationEntries(doc),
      webhooks: webhook,
    };
  }),
);

let server: Server;
let base: string;
let browser: Browser;

beforeAll(async () => {
  if (!existsSync(path.join(docsDir, 'index.html'))) throw new Error('docs/ is not built: run `npm run build` (or `npm run docs`) first');
  await mkdir(screenshots, { recursive: true });
  server = createServer(async (request, response) => {
    const name = path.basename(new URL(request.url ?? '/', 'http://x').pathname) || 'index.html';
    try {
      const body = await readFile(path.join(docsDir, name));
      response.writeHead(200, { 'content-type': name.endsWith('.html') ? 'text/html; charset=utf-8' : 'application/octet-stream' });
      response.end(body);
    } catch {
      response.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const found = await findChromium();
  console.log(`docs test: Chromium from ${found.source} (${found.executablePath})`);
  browser = await chromium.launch({ executablePath: found.executablePath, args: CHROMIUM_ARGS });
}, 180_000);

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

/** Opens a page and fails the test on any uncaught script error. */
async function open(url: string): Promise<{ page: Page; errors: string[] }> {
  // Tall enough that Redoc's sidebar renders every entry at once (it renders only what is in view).
  const page = await browser.newPage({ viewport: { width: 1280, height: 900 * 4 } });
  const errors: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors };
}

const GUIDE_FILES = ['guide-errors.html', 'guide-pagination.html', 'guide-uploads.html', 'guide-events.html'];
const NAV = ['index.html', ...apis.map((api) => `${api.name}.html`), ...GUIDE_FILES];

/** The links of the header every page carries. */
async function headerLinks(page: Page): Promise<(string | null)[]> {
  return page.$$eval('nav.site-header a', (anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
}

describe('the API reference in a browser', () => {
  it('the landing page says what each API is, how it authenticates, how to start, and links the guides', async () => {
    const { page, errors } = await open(`${base}/`);
    expect(await page.title()).toBe('Messaging API reference');
    expect(await headerLinks(page)).toEqual(NAV);
    const text = (await page.textContent('main')) ?? '';
    for (const api of apis) expect(text).toContain(api.title);
    expect(text).toContain('Authentication:');
    expect(text).toContain('createPachcaClient');
    const links = await page.$$eval('main a', (anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    for (const target of [...apis.map((api) => `${api.name}.html`), ...GUIDE_FILES]) expect(links).toContain(target);
    await page.screenshot({ path: path.join(screenshots, 'docs-index.png') });
    await page.click(`main a[href="${apis[0]?.name}.html"]`);
    await page.waitForURL(`**/${apis[0]?.name}.html`);
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it.each(GUIDE_FILES)('the guide %s renders under the header', async (file) => {
    const { page, errors } = await open(`${base}/${file}`);
    expect(await headerLinks(page)).toEqual(NAV);
    expect(await page.textContent('h1')).toBeTruthy();
    expect(await page.$$eval('pre code', (blocks) => blocks.length)).toBeGreaterThan(0);
    await page.screenshot({ path: path.join(screenshots, `docs-${file.replace('.html', '')}.png`) });
    expect(errors).toEqual([]);
    await page.close();
  }, 60_000);

  it.each(apis)('$name renders its title, the header, an entry and code samples for each of its operations', async (api) => {
    const { page, errors } = await open(`${base}/${api.name}.html`);
    expect(await page.title()).toBe(api.title);
    expect(await headerLinks(page)).toEqual(NAV);
    await page.waitForSelector('h1', { timeout: 30_000 });
    expect(await page.textContent('h1')).toContain(api.title);
    await page.screenshot({ path: path.join(screenshots, `docs-${api.name}.png`) });
    // Every operation has its own entry, addressed by its tag and operationId, that renders its summary as a heading.
    // (A tag's overview lists only its first eight operations, so the overview's links cannot prove this.)
    expect(api.entries).toHaveLength(api.operationIds.length);
    for (const entry of api.entries) {
      await page.evaluate((address) => {
        window.location.hash = address;
      }, entry.address);
      await page.locator(`a[href="${entry.address}"]`).first().waitFor({ state: 'attached', timeout: 10_000 });
      await page.getByRole('heading', { name: entry.summary }).first().waitFor({ state: 'visible', timeout: 10_000 });
    }
    // The webhooks section (OpenAPI 3.1) is rendered too, for the APIs that deliver events.
    if (api.webhooks) expect(await page.textContent('body')).toContain(api.webhooks);
    // The first operation's TypeScript sample is shown, and a cURL one can be picked.
    const first = api.operationIds[0] as string;
    await page.click(`a[href$="/${first.toLowerCase()}"]`);
    await page.waitForFunction((id) => document.body.textContent?.includes(`.${id}(`) || document.body.textContent?.includes('createUnetAuth'), first, { timeout: 30_000 });
    const body = (await page.textContent('body')) ?? '';
    expect(body).toMatch(/TypeScript/);
    expect(body).toMatch(/import \{ create\w+ \} from 'messaging-api-clients\//);
    await page.getByText('TypeScript', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.screenshot({ path: path.join(screenshots, `docs-${api.name}-${first}.png`) });
    expect(errors).toEqual([]);
    await page.close();
  }, 90_000);
});
