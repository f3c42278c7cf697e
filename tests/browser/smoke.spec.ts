import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { launchBrowser, type LaunchedBrowser } from '../helpers/browser.ts';

describe('headless Chromium', () => {
  let browser: LaunchedBrowser;

  beforeAll(async () => {
    browser = await launchBrowser();
  });

  afterAll(async () => {
    await browser?.close();
  });

  it('evaluates JavaScript in a page', async () => {
    const page = await browser.context.newPage();
    await page.goto('about:blank');
    expect(await page.evaluate(() => 1 + 1)).toBe(2);
    expect(await page.evaluate(() => navigator.userAgent)).toMatch(/Chrome\/\d+/);
  });

  it('removes its profile directory on close', async () => {
    const extra = await launchBrowser();
    expect(existsSync(extra.userDataDir)).toBe(true);
    await extra.close();
    await extra.close(); // idempotent
    expect(existsSync(extra.userDataDir)).toBe(false);
  });
});
