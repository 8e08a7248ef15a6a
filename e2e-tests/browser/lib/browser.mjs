// Debian's Chromium, headless, kept on loopback: no background traffic of its own (flags), no name resolution
// beyond localhost, and every request of a page to a non-loopback address is aborted (and reported).
import { mkdirSync, readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { chromium } from 'playwright-core';
import { env } from './env.mjs';

const FLAGS = [
  '--headless=new',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-default-apps',
  '--disable-sync',
  '--disable-extensions',
  '--disable-domain-reliability',
  '--disable-client-side-phishing-detection',
  '--disable-breakpad',
  '--no-first-run',
  '--no-default-browser-check',
  '--no-pings',
  '--metrics-recording-only',
  '--disable-features=Translate,OptimizationHints,MediaRouter,AutofillServerCommunication,InterestFeedContentSuggestions',
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE localhost, EXCLUDE 127.0.0.1',
];

export function isLoopback(url) {
  if (!/^(https?|wss?):$/.test(url.protocol)) return true; // data:, blob:, about: never leave the machine
  const host = url.hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

export class Browser {
  constructor(browser) {
    this.browser = browser;
    this.blocked = [];
    this.pageErrors = [];
  }

  static async launch() {
    return new Browser(await chromium.launch({ executablePath: env.chromium, headless: true, args: FLAGS, timeout: 60_000 }));
  }

  /** A browser profile of its own (cookies, localStorage): one device. */
  async newContext() {
    const context = await this.browser.newContext({ viewport: { width: 1280, height: 900 }, locale: 'en-US', serviceWorkers: 'block' });
    context.setDefaultTimeout(30_000);
    await context.route(url => !isLoopback(url), route => {
      this.blocked.push(route.request().url());
      console.log(`blocked a request off loopback: ${route.request().url()}`);
      return route.abort('blockedbyclient');
    });
    context.on('page', page => this.watch(page));
    return context;
  }

  watch(page) {
    page.on('pageerror', error => {
      this.pageErrors.push(error.message);
      console.log(`page error: ${error.message}`);
    });
    page.on('console', message => {
      if (message.type() === 'error') console.log(`console error: ${message.text()}`);
    });
  }

  async close() {
    await this.browser.close();
  }
}

/** Screenshots of each step: SCREENSHOT_DIR/NN-step.png, the folder emptied first. */
export class Steps {
  constructor(dir = env.screenshotDir) {
    this.dir = dir;
    this.count = 0;
    mkdirSync(dir, { recursive: true });
    for (const file of readdirSync(dir)) if (file.endsWith('.png')) rmSync(join(dir, file));
  }

  async shot(page, name) {
    this.count += 1;
    const file = `${String(this.count).padStart(2, '0')}-${name}.png`;
    await page.screenshot({ path: join(this.dir, file), fullPage: true });
    console.log(`  step ${this.count}: ${name}`);
  }
}
