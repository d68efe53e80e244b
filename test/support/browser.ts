/**
 * Headless Chromium for the portal's end-to-end tests: Debian's package at /usr/bin/chromium
 * (CHROMIUM_PATH overrides), driven by playwright-core; no browser is ever downloaded. Without
 * it the browser suites skip with a plain message, unless REQUIRE_BROWSER=1 (CI), which fails.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';

export const CHROMIUM_PATH = process.env['CHROMIUM_PATH'] || '/usr/bin/chromium';
export const SCREENSHOT_DIR = join('test-output', 'screenshots');

/** false when Chromium is there; otherwise why the browser tests are skipped. */
export function browserSkipReason(): string | false {
  if (existsSync(CHROMIUM_PATH)) return false;
  const reason = `Chromium not found at ${CHROMIUM_PATH} (install Debian's chromium package, or set CHROMIUM_PATH)`;
  if (process.env['REQUIRE_BROWSER'] === '1') throw new Error(`REQUIRE_BROWSER=1 but ${reason}`);
  console.log(`# skipping browser tests: ${reason}`);
  return reason;
}

export function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    // The machine has no internet: keep Chromium from trying to reach Google's services.
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
  });
}

/** Saves a screenshot (the full page unless `fullPage: false`) under test-output/screenshots (git-ignored). */
export async function screenshot(page: Page, name: string, options: { fullPage?: boolean } = {}): Promise<void> {
  mkdirSync(SCREENSHOT_DIR, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOT_DIR, `${name}.png`), fullPage: options.fullPage ?? true });
}
