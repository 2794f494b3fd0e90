/**
 * The published API reference, checked in a real browser: `docs/` (built by `npm run docs`) is served on
 * loopback and each page is opened in headless Chromium (see test/support/chromium.ts, driven by playwright-core). Each
 * page must render its title and an entry for every operation of its spec; a screenshot of each is saved under
 * `test-results/`.
 */
import { existsSync } from 'node:fs';
import { mkdir, readFile, stat } from 'node:fs/promises';
import { createServer, type Server } from 'node:http';
import path from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bundleApi, listApis, repoRoot } from '../../scripts/lib/apis.js';
import { extractOperations } from '../../scripts/lib/operations.js';
import { clientMethods, referenceOperations } from '../../scripts/lib/reference.js';
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
      /** How the client calls each operation, by operationId, as the page opens the operation. */
      calls: new Map(referenceOperations(doc, api.name, clientMethods(api.name)).map((operation) => [operation.operationId, operation.calls])),
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

/**
 * Opens a page, collecting uncaught script errors and every request that leaves the docs folder (a `data:` or
 * `blob:` address is made inside the page and leaves nothing).
 */
async function open(url: string, viewport = { width: 1280, height: 900 * 4 }): Promise<{ page: Page; errors: string[]; outside: string[] }> {
  // Tall by default, so that Redoc's sidebar renders every entry at once (it renders only what is in view).
  const page = await browser.newPage({ viewport });
  const errors: string[] = [];
  const outside: string[] = [];
  page.on('pageerror', (error) => errors.push(error.message));
  page.on('request', (request) => {
    const address = request.url();
    if (!address.startsWith(`${base}/`) && !/^(data|blob):/.test(address)) outside.push(address);
  });
  await page.goto(url, { waitUntil: 'load' });
  return { page, errors, outside };
}

/**
 * Saves a screenshot under test-results/ for a person to look at, and checks it shows a rendered page: a blank
 * or unstyled page compresses to a few kilobytes. Redoc paints an operation's panels some frames after its heading
 * is in the document, so a picture taken in between is blank: it is taken again until it shows the page, for at
 * most 15 seconds.
 */
async function screenshot(page: Page, name: string): Promise<void> {
  const file = path.join(screenshots, name);
  await expect
    .poll(
      async () => {
        await page.screenshot({ path: file });
        return (await stat(file)).size;
      },
      { message: name, timeout: 15_000, interval: 500 },
    )
    .toBeGreaterThan(20_000);
}

const GUIDE_FILES = ['guide-errors.html', 'guide-pagination.html', 'guide-uploads.html', 'guide-events.html'];
const NAV = ['index.html', ...apis.map((api) => `${api.name}.html`), ...GUIDE_FILES];

/** The links of the header every page carries. */
async function headerLinks(page: Page): Promise<(string | null)[]> {
  return page.$$eval('nav.site-header a', (anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
}

describe('the API reference in a browser', () => {
  it('the landing page says what each API is, how it authenticates, how to start, and links the guides', async () => {
    const { page, errors, outside } = await open(`${base}/`, { width: 1280, height: 900 });
    expect(await page.title()).toBe('Messaging API reference');
    expect(await headerLinks(page)).toEqual(NAV);
    const text = (await page.textContent('main')) ?? '';
    for (const api of apis) expect(text).toContain(api.title);
    expect(text).toContain('Authentication:');
    expect(text).toContain('createPachcaClient');
    const links = await page.$$eval('main a', (anchors) => anchors.map((anchor) => anchor.getAttribute('href')));
    for (const target of [...apis.map((api) => `${api.name}.html`), ...GUIDE_FILES]) expect(links).toContain(target);
    expect(links).toContain('llms.txt');
    await screenshot(page, 'docs-index.png');
    await page.click(`main a[href="${apis[0]?.name}.html"]`);
    await page.waitForURL(`**/${apis[0]?.name}.html`);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  }, 60_000);

  it.each(GUIDE_FILES)('the guide %s renders under the header', async (file) => {
    const { page, errors, outside } = await open(`${base}/${file}`, { width: 1280, height: 900 });
    expect(await headerLinks(page)).toEqual(NAV);
    expect(await page.textContent('h1')).toBeTruthy();
    expect(await page.$$eval('pre code', (blocks) => blocks.length)).toBeGreaterThan(0);
    // Code wraps within its panel: nothing is cut off at the right.
    const overflows = await page.$$eval('pre', (blocks) => blocks.map((block) => block.scrollWidth - block.clientWidth));
    expect(overflows).toEqual(overflows.map(() => 0));
    await screenshot(page, `docs-${file.replace('.html', '')}.png`);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  }, 60_000);

  it.each(apis)('$name renders its title, the header, an entry and code samples for each of its operations', async (api) => {
    const { page, errors, outside } = await open(`${base}/${api.name}.html`);
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
    // Each operation opens with the client method that calls it (and a list's iterator).
    const shown = (await page.textContent('body')) ?? '';
    for (const [operationId, calls] of api.calls) for (const call of calls) expect(shown, operationId).toContain(call);
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
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  }, 90_000);

  it.each(apis)('$name: an operation at a reader’s window size, its samples wrapped beside their copy button', async (api) => {
    const first = api.operationIds[0] as string;
    const entry = api.entries.find((candidate) => candidate.address.endsWith(`/${first.toLowerCase()}`));
    const { page, errors, outside } = await open(`${base}/${api.name}.html${entry?.address ?? ''}`, { width: 1280, height: 900 });
    await page.getByRole('heading', { name: entry?.summary ?? first }).first().waitFor({ state: 'visible', timeout: 30_000 });
    await page.getByText('TypeScript', { exact: true }).first().waitFor({ state: 'visible', timeout: 30_000 });
    const [call] = api.calls.get(first) ?? [];
    await page.getByText(call as string).first().waitFor({ state: 'visible', timeout: 10_000 });
    const panels = await page.$$eval('.panel-request-samples', (found) =>
      found
        .filter((panel) => panel.getBoundingClientRect().width > 0)
        .map((panel) => {
          const code = panel.querySelector('[data-component-name="CodeBlock/CodeBlockContainer"]') as HTMLElement | null;
          const button = [...panel.querySelectorAll('[data-testid="copy-button"]')].find((candidate) => candidate.getBoundingClientRect().width > 0);
          if (!code || !button) return { found: false, overflow: 0, covered: [] as string[] };
          const box = button.getBoundingClientRect();
          // Every line box of the sample's text, checked against the copy button's box.
          const covered: string[] = [];
          const walker = document.createTreeWalker(code, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const range = document.createRange();
            range.selectNodeContents(node);
            for (const rect of range.getClientRects()) {
              const overlaps = rect.width > 0 && rect.left < box.right && rect.right > box.left && rect.top < box.bottom && rect.bottom > box.top;
              if (overlaps) covered.push(node.textContent ?? '');
            }
          }
          return { found: true, overflow: code.scrollWidth - code.clientWidth, covered };
        }),
    );
    expect(panels.length).toBeGreaterThan(0);
    for (const panel of panels) expect(panel).toEqual({ found: true, overflow: 0, covered: [] });
    await screenshot(page, `docs-${api.name}-${first}.png`);
    expect(errors).toEqual([]);
    expect(outside).toEqual([]);
    await page.close();
  }, 90_000);

  it.each(apis)('$name: the page’s search finds an operation by its client method', async (api) => {
    const { page, outside } = await open(`${base}/${api.name}.html`, { width: 1280, height: 900 });
    const searches = [...api.calls.entries()].slice(0, 2).map(([operationId]) => operationId);
    if (api.name === 'pachca') searches.push('iterateChatMessages');
    for (const name of searches) {
      // The search box opens on its shortcut (its placeholder reads "Loading..." until the index is ready).
      await page.getByText(/Search\s*Ctrl\+K/).first().waitFor({ state: 'visible', timeout: 30_000 });
      await page.keyboard.press('Control+k');
      const dialog = page.locator('[data-testid="search-dialog"]');
      await dialog.locator('input').first().fill(name);
      await expect.poll(async () => (await dialog.textContent()) ?? '', { timeout: 15_000 }).toContain(name);
      expect(await dialog.textContent()).not.toContain('No results');
      await page.keyboard.press('Escape');
    }
    expect(outside).toEqual([]);
    await page.close();
  }, 90_000);
});
