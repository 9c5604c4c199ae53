import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadConfig } from '../../functions/config.js';
import { type RunningServer, startServer } from '../../functions/handlers/node.js';
import { http } from '../api/support/http-flow.js';
import { launchChromium, recordingContext, SCREENSHOTS, textOf, visibleText } from './browser.js';
import { type Seeded, seedVault } from './seed.js';

let browser: Browser;
let dir: string;
let server: RunningServer;
let seeded: Seeded;
const allRequests: string[] = [];

beforeAll(async () => {
  browser = await launchChromium();
  dir = await mkdtemp(join(tmpdir(), 'splitvault-console-'));
  server = await startServer(loadConfig({ PORT: '0', SPLITVAULT_DATA_DIR: join(dir, 'data') }));
  seeded = await seedVault(server.url);
});
afterAll(async () => {
  await browser?.close();
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * The page's cumulative layout shift so far, from Chromium's buffered layout-shift entries,
 * which the observer hands over in its first callback; two frames later they have all arrived.
 */
const LAYOUT_SHIFT = `new Promise((resolve) => {
  let sum = 0;
  new PerformanceObserver((list) => { for (const e of list.getEntries()) sum += e.value; })
    .observe({ type: 'layout-shift', buffered: true });
  requestAnimationFrame(() => requestAnimationFrame(() => resolve(sum)));
})`;

/** A fresh tab whose requests are kept for the "nothing leaves 127.0.0.1" check. */
async function tab(options: Parameters<Browser['newContext']>[0] = {}) {
  const recording = await recordingContext(browser, options);
  recording.context.on('request', (request) => allRequests.push(request.url()));
  return recording;
}

describe('the console in Chromium, on the embedded server without tokens', () => {
  it('shows the catalog with aliases, manifests and datasets, and finds a manifest by id prefix', async () => {
    const { context, page } = await tab();
    await page.goto(`${server.url}/ui`);
    const text = await textOf(page);
    expect(text).toContain('prod');
    expect(text).toContain(seeded.child.id.slice(0, 12));
    expect(text).toContain('iris.csv');
    expect(text).toContain('v1');
    expect(text).toContain('96 / 12 / 12');
    await page.fill('#q', seeded.parent.id.slice(0, 10));
    await page.press('#q', 'Enter');
    await page.waitForURL(/q=/);
    const rows = page.locator('#manifests-h + .table-wrap tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await visibleText(rows)).toContain(seeded.parent.id.slice(0, 12));
    await page.goto(`${server.url}/ui?q=iri`);
    expect(await textOf(page)).toContain('iris.csv');
    await context.close();
  });

  it('shows a manifest with its three hashes, working downloads, the spec, freeze events and the lineage graph', async () => {
    const { context, page } = await tab();
    await context.grantPermissions(['clipboard-read', 'clipboard-write']);
    await page.goto(`${server.url}/ui/splits/${seeded.parent.id}`);
    for (const split of ['train', 'validation', 'test'] as const) {
      const row = page.locator(`tr[data-split="${split}"]`);
      expect(await visibleText(row)).toContain(seeded.parent.splits[split].sha256);
      const href = await row.locator('a[data-download]').getAttribute('href');
      const bytes = new Uint8Array(await (await fetch(`${server.url}${href}`)).arrayBuffer());
      expect(createHash('sha256').update(bytes).digest('hex')).toBe(seeded.parent.splits[split].sha256);
    }
    await page.locator('tr[data-split="train"] button.copy').click();
    expect(await page.evaluate('navigator.clipboard.readText()')).toBe(seeded.parent.splits.train.sha256);
    const text = await textOf(page);
    expect(text).toContain('"seed": 7');
    expect(text).toContain('"version": "v1"');
    expect(text).toContain('apache-arrow');
    const graph = page.locator('svg.lineage');
    expect(await graph.locator(`a[href="/ui/splits/${seeded.child.id}"]`).count()).toBe(1);
    expect(await graph.locator('title').textContent()).toContain(
      '0 parent(s), 1 child(ren), dataset iris.csv',
    );
    await page.goto(`${server.url}/ui/splits/${seeded.child.id}`);
    expect(await page.locator(`svg.lineage a[href="/ui/splits/${seeded.parent.id}"]`).count()).toBe(1);
    await context.close();
  });

  it('shows the alias timeline with the current revision marked and travels back in time', async () => {
    const { context, page } = await tab();
    await page.goto(`${server.url}/ui/aliases/prod`);
    const current = page.locator('.timeline li.current');
    expect(await current.getAttribute('data-revision')).toBe('2');
    expect(await visibleText(current)).toContain('reseeded split');
    const history = await http(server.url, 'GET', '/v1/aliases/prod/history');
    const firstAt = history.json.items.find((m: { revision: number }) => m.revision === 1).at as string;
    // Milliseconds matter: the seed moves the alias twice within one second.
    await page.fill('#at', firstAt.slice(0, 23));
    await page.click('.as-of button');
    await page.waitForURL(/at=/);
    expect(await page.locator('.timeline li.as-of-hit').getAttribute('data-revision')).toBe('1');
    expect(await textOf(page)).toContain('was at revision 1');
    await context.close();
  });

  it('rolls the alias back from the form, shows the new revision, and shows a stale revision as a conflict', async () => {
    const { context, page } = await tab();
    await page.goto(`${server.url}/ui/aliases/prod`);
    await page.selectOption('#toRevision', '1');
    await page.fill('#reason', 'metrics regressed');
    await page.click('form.rollback button[type=submit]');
    await page.waitForURL(/moved=3/);
    expect(await textOf(page)).toContain('prod is now at revision 3');
    expect(await page.locator('.timeline li.current').getAttribute('data-revision')).toBe('3');
    expect((await http(server.url, 'GET', '/v1/aliases/prod')).json).toMatchObject({
      revision: 3,
      manifestId: seeded.parent.id,
    });
    // A second tab still showing revision 3 loses to a move made meanwhile.
    await http(server.url, 'PUT', '/v1/aliases/prod', { manifestId: seeded.child.id, reason: 'hotfix' });
    await page.fill('#reason', 'stale attempt');
    await page.click('form.rollback button[type=submit]');
    await page.locator('.problem').waitFor();
    expect(await textOf(page)).toContain('alias prod is at revision 4, not 3');
    expect((await http(server.url, 'GET', '/v1/aliases/prod')).json.revision).toBe(4);
    await context.close();
  });

  it('filters the audit log by action', async () => {
    const { context, page } = await tab();
    await page.goto(`${server.url}/ui/audit`);
    await page.selectOption('#f-action', 'alias.rollback');
    await page.click('form.filters button');
    await page.waitForURL(/action=alias.rollback/);
    const rows = page.locator('table.audit tbody tr');
    expect(await rows.count()).toBe(1);
    expect(await visibleText(rows)).toContain('metrics regressed');
    await context.close();
  });

  it('reads every page with JavaScript disabled', async () => {
    const { context, page } = await tab({ javaScriptEnabled: false });
    await page.goto(`${server.url}/ui`);
    expect(await textOf(page)).toContain('iris.csv');
    await page.click(`a[href="/ui/splits/${seeded.parent.id}"]`);
    expect(await textOf(page)).toContain(seeded.parent.splits.test.sha256);
    await page.goto(`${server.url}/ui/aliases/prod`);
    expect(await page.locator('.timeline li').count()).toBe(4);
    await page.goto(`${server.url}/ui/audit?actor=nobody`);
    expect(await textOf(page)).toContain('No entries match.');
    await context.close();
  });

  it('is usable from the keyboard: skip link, then links reached by Tab and followed by Enter', async () => {
    const { context, page } = await tab();
    await page.goto(`${server.url}/ui`);
    await page.keyboard.press('Tab');
    expect(await page.evaluate('document.activeElement?.textContent')).toBe('Skip to content');
    await page.keyboard.press('Enter');
    expect(await page.evaluate('location.hash')).toBe('#main');
    for (let i = 0; i < 10; i++) {
      await page.keyboard.press('Tab');
      if (await page.evaluate(`document.activeElement?.getAttribute('href') === '/ui/aliases/prod'`)) break;
    }
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/ui\/aliases\/prod$/);
    await context.close();
  });

  it.each([
    [1280, 'light'],
    [1280, 'dark'],
    [390, 'light'],
    [390, 'dark'],
  ] as const)(
    'fits every page in %i px wide, %s, without layout shift, and keeps screenshots of them',
    async (width, scheme) => {
      const { context, page } = await tab({ viewport: { width, height: 900 }, colorScheme: scheme });
      const pages = {
        catalog: '/ui',
        manifest: `/ui/splits/${seeded.parent.id}`,
        alias: '/ui/aliases/prod',
        audit: '/ui/audit',
      };
      for (const [name, path] of Object.entries(pages)) {
        await page.goto(`${server.url}${path}`);
        // Only the tables and the graph may scroll sideways, inside their own boxes.
        expect(await page.evaluate<number>('document.documentElement.scrollWidth')).toBeLessThanOrEqual(
          width,
        );
        expect(await page.evaluate(LAYOUT_SHIFT)).toBe(0);
        const background = await page.evaluate('getComputedStyle(document.body).backgroundColor');
        expect(background).toBe(scheme === 'dark' ? 'rgb(13, 17, 23)' : 'rgb(255, 255, 255)');
        await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}-${scheme}.png`), fullPage: true });
      }
      await context.close();
    },
  );

  it('made no request beyond 127.0.0.1 in any of the tabs above', () => {
    expect(allRequests.length).toBeGreaterThan(20);
    expect(allRequests.filter((url) => new URL(url).host !== new URL(server.url).host)).toEqual([]);
  });
});

describe('the console in Chromium, on the embedded server with tokens', () => {
  const READER = 'reader-token-for-the-console-test';
  const DEPLOYER = 'deployer-token-for-the-console-test';
  let tokensDir: string;
  let secured: RunningServer;
  let seededHere: Seeded;
  beforeAll(async () => {
    tokensDir = await mkdtemp(join(tmpdir(), 'splitvault-console-tokens-'));
    const tokensFile = join(tokensDir, 'tokens.json');
    await writeFile(
      tokensFile,
      JSON.stringify({
        [READER]: { actor: 'rita', roles: ['reader'] },
        [DEPLOYER]: { actor: 'dora', roles: ['reader', 'writer', 'deployer'] },
      }),
      { mode: 0o600 },
    );
    secured = await startServer(
      loadConfig({
        PORT: '0',
        SPLITVAULT_DATA_DIR: join(tokensDir, 'data'),
        SPLITVAULT_TOKENS_FILE: tokensFile,
      }),
    );
    seededHere = await seedVault(secured.url, { authorization: `Bearer ${DEPLOYER}` });
  });
  afterAll(async () => {
    await secured?.close();
    await rm(tokensDir, { recursive: true, force: true });
  });

  const signIn = async (token: string) => {
    const recording = await recordingContext(browser);
    await recording.page.goto(`${secured.url}/ui/aliases/prod`);
    await recording.page.fill('#token', token);
    await recording.page.press('#token', 'Enter');
    await recording.page.locator('.timeline').waitFor();
    return recording;
  };

  it('asks for the token once, keeps it in session storage and never puts it in a URL', async () => {
    const { context, page, requests } = await signIn(READER);
    expect(await textOf(page, '.actor')).toContain('rita');
    await page.click('nav a[href="/ui/audit"]');
    await page.waitForURL(/\/ui\/audit$/);
    expect(await textOf(page)).toContain('alias.set');
    await page.reload();
    await page.locator('table.audit').waitFor();
    expect(await page.evaluate(`sessionStorage.getItem('splitvault.token')`)).toBe(READER);
    expect(await page.evaluate('localStorage.length + document.cookie.length')).toBe(0);
    expect(requests.filter((url) => url.includes(READER))).toEqual([]);
    await context.close();
  });

  it('shows a reader no rollback form', async () => {
    const { context, page } = await signIn(READER);
    expect(await page.locator('.timeline li').count()).toBe(2);
    expect(await page.locator('form.rollback').count()).toBe(0);
    await context.close();
  });

  it('lets a deployer roll back through the script, which sends the token in a header', async () => {
    const { context, page } = await signIn(DEPLOYER);
    await page.fill('#reason', 'rolled back with a token');
    await page.click('form.rollback button[type=submit]');
    await page.locator('.timeline li.current[data-revision="3"]').waitFor();
    expect(await textOf(page)).toContain('prod is now at revision 3');
    const alias = await http(secured.url, 'GET', '/v1/aliases/prod', undefined, {
      authorization: `Bearer ${READER}`,
    });
    expect(alias.json).toMatchObject({ revision: 3, manifestId: seededHere.parent.id, updatedBy: 'dora' });
    await context.close();
  });
});
