/**
 * The report site in real Chromium: every page loads from 127.0.0.1 with no request leaving it, no
 * console or page errors, no HTTP errors, no failed cells; charts render; filters change what is
 * shown. Screenshots of every page go to test-artifacts/screenshots/.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chromium, type Browser, type Page } from 'playwright-core';
import { silentLogger } from '../../core/log.ts';
import { buildReport, type ReportResult } from '../../jobs/commands/report.ts';
import { runSmallDemo, serveStatic } from './support.ts';

const CHROMIUM = '/usr/bin/chromium';
const SCREENSHOTS = join(process.cwd(), 'test-artifacts', 'screenshots');
const PAGES = ['index', 'engagement', 'reach', 'traffic', 'campaigns', 'customers', 'voice', 'service', 'competitors', 'data-health', 'dictionary'];
const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`skipping report browser tests: no Chromium at ${CHROMIUM} (apt-get install -y chromium)`);

describe.skipIf(!hasChromium)('report site in Chromium', () => {
  let browser: Browser;
  let server: Awaited<ReturnType<typeof serveStatic>>;
  let site: ReportResult;
  let demo: Awaited<ReturnType<typeof runSmallDemo>> | undefined;

  beforeAll(async () => {
    demo = await runSmallDemo();
    // Build again here so the timing and the size are this test's own, and the build is exercised directly.
    site = await buildReport({ analyticsPath: demo.analytics, out: join(demo.dir, 'site-test'), log: silentLogger });
    server = await serveStatic(site.path);
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless=new', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
    });
    mkdirSync(SCREENSHOTS, { recursive: true });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    demo?.cleanup();
  });

  /** Opens a page with every guard on; returns it and the problems seen so far (checked by the caller). */
  async function open(name: string): Promise<{ page: Page; problems: string[] }> {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const problems: string[] = [];
    await page.route('**/*', (route) => {
      const url = new URL(route.request().url());
      if (url.hostname !== '127.0.0.1') {
        problems.push(`request left 127.0.0.1: ${url.href}`);
        return route.abort();
      }
      return route.continue();
    });
    page.on('console', (message) => {
      if (message.type() === 'error') problems.push(`console error: ${message.text()}`);
    });
    page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
    page.on('response', (response) => {
      if (response.status() >= 400) problems.push(`HTTP ${response.status()}: ${response.url()}`);
    });
    await page.goto(`${server.url}/${name}.html`, { waitUntil: 'networkidle' });
    await page.locator('[data-testid="stamp"]').waitFor({ timeout: 15_000 });
    return { page, problems };
  }

  it('builds within a minute and reports its size', () => {
    expect(site.pages).toBe(PAGES.length);
    expect(site.bytes).toBeGreaterThan(0);
    expect(site.durationMs).toBeLessThan(60_000);
  });

  it.each(PAGES)('renders %s offline with its charts, stamp and no errors', async (name) => {
    const { page, problems } = await open(name);
    try {
      await page.locator('main svg[class^="plot"]').first().waitFor({ timeout: 15_000 });
      expect(await page.locator('main svg[class^="plot"]').count(), 'charts').toBeGreaterThan(0);
      expect(await page.locator('.observablehq--error').count(), 'failed cells').toBe(0);
      // A mart the demo publishes must not show up as an error note (missing marts are allowed).
      expect(await page.locator('.pulse-unavailable[data-reason="error"]').allTextContents()).toEqual([]);
      expect(await page.locator('[data-testid="stamp"]').textContent()).toMatch(/Data as of \d{4}-\d{2}-\d{2}/);
      expect(problems).toEqual([]);
    } finally {
      await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
      await page.close();
    }
  });

  it('shows on each overview card the number the overview data holds', async () => {
    const dataDir = join(site.path, '_file', 'data');
    const file = readdirSync(dataDir).find((f) => f.startsWith('overview.') && f.endsWith('.json'))!;
    const overview = JSON.parse(readFileSync(join(dataDir, file), 'utf8')) as { kpis: Record<string, { available: boolean; data?: { value: number | null } }> };
    const { page, problems } = await open('index');
    try {
      for (const [id, part] of Object.entries(overview.kpis)) {
        const card = page.locator(`[data-testid="${id}"]`);
        if (!part.available) {
          expect(await card.locator('.pulse-unavailable').count(), id).toBe(1);
          continue;
        }
        const shown = await card.locator('.value').getAttribute('data-value');
        if (part.data!.value == null) expect(shown, id).toBe('');
        else expect(Number(shown), id).toBe(part.data!.value);
      }
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('changes the engagement chart when the platform filter changes', async () => {
    const { page, problems } = await open('engagement');
    try {
      const chart = page.locator('[data-testid="engagement-trend"]');
      await chart.locator('svg').first().waitFor();
      const before = await chart.innerHTML();
      const select = page.locator('[data-testid="platform-filter"] select');
      const options = await select.locator('option').allTextContents();
      expect(options.length).toBeGreaterThan(1);
      await select.selectOption({ index: 1 });
      await expect.poll(() => chart.innerHTML()).not.toBe(before);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });

  it('narrows the traffic page to the chosen date range', async () => {
    const { page, problems } = await open('traffic');
    try {
      const total = page.locator('[data-testid="sessions-total"]');
      const before = Number(await total.getAttribute('data-value'));
      const to = page.locator('[data-testid="date-range"] input[type="date"]').first();
      const max = await page.locator('[data-testid="date-range"] input[type="date"]').nth(1).inputValue();
      await to.fill(max);
      await to.dispatchEvent('input');
      await expect.poll(async () => Number(await total.getAttribute('data-value'))).toBeLessThan(before);
      expect(problems).toEqual([]);
    } finally {
      await page.close();
    }
  });
});
