// The reference web client as a person uses it, by the data-testid hooks of its page.
import { env } from './env.mjs';
import { check, expectCount, expectText, waitUntil } from './wait.mjs';

const ACTIVE = /^(pending|processing)$/;

/** Runs in the page: keeps each new status text of the active design tab in window.lacquerTestTabStatuses. */
function TAB_STATUS_RECORDER() {
  const seen = [];
  window.lacquerTestTabStatuses = seen;
  const record = () => {
    const element = document.querySelector('[data-testid="tab-status"]');
    const text = element ? element.textContent.trim() : null;
    if (text && seen[seen.length - 1] !== text) seen.push(text);
  };
  new MutationObserver(record).observe(document, { subtree: true, childList: true, characterData: true });
}

export class App {
  constructor(page, steps) {
    this.page = page;
    this.steps = steps;
  }

  /**
   * Opens the page in a new browser tab of this context (a return to the app). With recordTabStatuses, every
   * status text the active design tab shows is kept from the first moment of every page load on.
   */
  static async open(context, steps, { recordTabStatuses = false } = {}) {
    const page = await context.newPage();
    if (recordTabStatuses) await page.addInitScript(TAB_STATUS_RECORDER);
    await page.goto(`${env.apiUrl}/`);
    return new App(page, steps);
  }

  testId(id) {
    return this.page.locator(`[data-testid="${id}"]`);
  }

  shot(name) {
    return this.steps.shot(this.page, name);
  }

  /** Waits until the page, back after sign-in, has done its return check (see nextLiveStart). */
  async returnCheckDone() {
    await this.returnChecked;
  }

  /**
   * Resolves when the page starts its live stream (POST /api/user/stream-ticket), which it does only after its
   * return check (pending generations, toasts, acknowledgements) is done.
   */
  nextLiveStart() {
    return this.page.waitForResponse(response => response.url().endsWith('/api/user/stream-ticket')
      && response.request().method() === 'POST', { timeout: 60_000 });
  }

  /** Signs in through the issuer's login form (authorization code + PKCE), as a person would. */
  async signIn(user) {
    await this.testId('sign-in').click();
    await this.page.locator('#username').waitFor();
    check(!this.page.url().startsWith(env.apiUrl), `the sign-in button leads to the issuer, not ${this.page.url()}`);
    await this.page.fill('#username', user);
    await this.page.fill('#password', env.devPassword);
    await this.shot('issuer-login-form');
    this.returnChecked = this.nextLiveStart();
    this.returnChecked.catch(() => {}); // awaited by the scenarios that need it
    await this.page.click('#kc-login');
    await expectText(this.testId('signed-in-user'), user, { message: `signed in as ${user}` });
    check(!/[?&](code|state)=/.test(this.page.url()), `code and state are gone from the address bar: ${this.page.url()}`);
    await this.testId('credit-balance').waitFor();
  }

  async expectCredits(available) {
    await expectText(this.testId('credit-balance'), `${available} credits`, { message: `${available} credits shown` });
  }

  /** Fills the active design tab: the hand photo, the prompt and the settings. */
  async fillDesign({ prompt, count = 2, shape = 'almond', length = 'medium', finish = 'chrome' }) {
    const panel = this.page.locator('.tab-panel');
    await panel.locator('[data-testid="photo-input"]').setInputFiles(env.photo);
    await panel.locator('[data-testid="prompt-input"]').fill(prompt);
    await panel.locator('[data-testid="shape-select"]').selectOption(shape);
    await panel.locator('[data-testid="length-select"]').selectOption(length);
    await panel.locator('[data-testid="finish-select"]').selectOption(finish);
    await panel.locator('[data-testid="image-count"]').fill(String(count));
  }

  /** Taps Visualize and waits until the tab shows its new job as pending or processing. */
  async visualize() {
    await this.testId('visualize-button').click();
    return expectText(this.testId('tab-status'), ACTIVE, { message: 'the tab shows the job generating' });
  }

  /** From now on, keeps every status text the active tab shows, in order (read with recordedTabStatuses). */
  async recordTabStatuses() {
    await this.page.evaluate(TAB_STATUS_RECORDER);
  }

  recordedTabStatuses() {
    return this.page.evaluate(() => window.lacquerTestTabStatuses);
  }

  /**
   * On a return after the job finished, the tab shows it finished from the start: the live stream's replay of
   * older changes (started, progress) must not send it back to "processing".
   */
  async expectTabNeverShownActive() {
    const statuses = await this.recordedTabStatuses();
    check(statuses.length > 0 && !statuses.some(status => ACTIVE.test(status)),
      `the finished job's tab never shows it generating again (shown: ${statuses.join(' → ')})`);
  }

  async expectTabCompleted(designs) {
    await expectText(this.testId('tab-status'), 'completed', { timeout: 90_000, message: 'the tab shows the job completed' });
    await waitUntil(async () => (await this.testId('tab-progress').evaluate(progress => progress.value)) === 100,
      { message: 'the progress bar at 100' });
    await this.expectImagesLoaded(this.testId('tab-results').locator('img'), designs, 'result images in the tab');
    await this.expectCleanText(this.page.locator('.tab-status-area'));
  }

  /** Nothing a program left unfilled is shown to the user ("null", "undefined", "NaN"); for texts without prompts. */
  async expectCleanText(locator) {
    const text = await locator.innerText();
    check(!/null|undefined|NaN/.test(text), `placeholder text shown to the user: ${JSON.stringify(text)}`);
  }

  /** Exactly `count` images, each loaded and decoded by the browser (not a broken image). */
  async expectImagesLoaded(locator, count, what) {
    await expectCount(locator, count, { message: `${count} ${what}` });
    await waitUntil(async () => (await locator.evaluateAll(images => images.every(img => img.complete && img.naturalWidth > 0))),
      { message: `${what} loaded` });
  }

  toasts(text) {
    const all = this.testId('toast');
    return text ? all.filter({ hasText: text }) : all;
  }

  /** The one toast with exactly this text, with these many loaded previews. */
  async expectToast(text, previews = 0) {
    const toast = this.testId('toast').filter({ has: this.page.locator('.toast-text', { hasText: text }) });
    await expectCount(toast, 1, { timeout: 60_000, message: `one toast "${text}"` });
    await expectText(toast.locator('.toast-text'), text);
    check((await toast.getAttribute('role')) === 'status', 'a toast is a status message');
    await this.expectImagesLoaded(toast.locator('[data-testid="toast-preview"]'), previews, 'previews in the toast');
    return toast;
  }

  /** Opens the collection and waits for exactly this many looks, each with its image loaded. */
  async openCollection(looks) {
    await this.testId('nav-collection').click();
    await this.testId('collection').waitFor();
    await this.expectImagesLoaded(this.testId('look-card').locator('img'), looks, 'looks in the collection');
  }

  async close() {
    await this.page.close();
  }
}
