import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, type BrowserContext, chromium, type Locator, type Page } from 'playwright-core';

/** Screenshots of every page from the test run; git-ignored (.tools/). */
export const SCREENSHOTS = join(process.cwd(), '.tools/screenshots/console');

/** Debian's Chromium, installed by scripts/chromium.sh if missing; playwright downloads nothing. */
export async function launchChromium(): Promise<Browser> {
  const executablePath = execFileSync('bash', ['scripts/chromium.sh'], { encoding: 'utf8' }).trim();
  mkdirSync(SCREENSHOTS, { recursive: true });
  // --no-sandbox: CI runs as root, where Chromium's sandbox refuses to start.
  return chromium.launch({ executablePath, args: ['--no-sandbox'] });
}

/** A context that records the URL of every request any of its pages makes. */
export async function recordingContext(
  browser: Browser,
  options: Parameters<Browser['newContext']>[0] = {},
): Promise<{ context: BrowserContext; requests: string[]; page: Page }> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 }, ...options });
  const requests: string[] = [];
  context.on('request', (request) => requests.push(request.url()));
  return { context, requests, page: await context.newPage() };
}

/** The page's visible text with white space collapsed, for plain `toContain` checks. */
export async function textOf(page: Page, selector = 'main'): Promise<string> {
  return visibleText(page.locator(selector));
}

/** What a reader sees in one element (Playwright's innerText, which skips hidden text). */
export async function visibleText(locator: Locator): Promise<string> {
  // biome-ignore lint/performance/useDomNodeTextContent: a Playwright Locator, not a DOM node; hidden text must not count
  return (await locator.innerText()).replace(/\s+/g, ' ');
}
