// The seed's scenarios in Debian's Chromium: `node scenarios.mjs <name>`, run by BrowserScenariosIT with the
// environment of lib/env.mjs. Each scenario signs its own new users in through the issuer's login form, takes a
// screenshot of every step (SCREENSHOT_DIR/NN-step.png) and checks what the page shows against the API.
// Exit 0 when it passed; otherwise a line "SCENARIO FAILED: <why>" and exit 1.
import { ApiClient } from './lib/api.mjs';
import { App } from './lib/app.mjs';
import { Browser, Steps } from './lib/browser.mjs';
import { env, uniqueUser } from './lib/env.mjs';
import { check, equal, expectCount, expectText, waitUntil } from './lib/wait.mjs';

const ACTIVE = ['pending', 'processing'];
const SCENARIO_LIMIT_MS = 150_000;

/** Scenario 1: the user stays and watches the designs arrive. */
async function stay({ browser, steps }) {
  const user = uniqueUser('stay');
  const app = await App.open(await browser.newContext(), steps);
  await app.testId('sign-in').waitFor();
  await app.shot('signed-out');
  await app.signIn(user);
  await app.expectCredits(env.startingCredits);
  await app.shot('signed-in');

  await app.fillDesign({ prompt: 'glazed donut chrome with tiny pearls', count: 2 });
  await app.shot('design-filled');
  await app.recordTabStatuses();
  await app.visualize();
  await app.shot('generating');
  await app.expectTabCompleted(2);
  await app.shot('completed-in-the-tab');
  const statuses = await app.recordedTabStatuses();
  equal(statuses.filter(s => s !== 'pending'), ['processing', 'completed'],
    `the tab went through processing to completed (shown: ${statuses.join(' → ')})`);
  await app.expectToast('2 designs completed! 🎉', 2);
  await app.shot('completed-toast');

  await app.openCollection(2);
  await app.shot('collection');

  const api = await ApiClient.signIn(user);
  const [job] = await api.jobs();
  equal(job.status, 'completed', 'the job (API)');
  const looks = await api.looks();
  equal(looks.map(look => look.jobId), [job.jobId, job.jobId], 'two looks of the job in the collection (API)');
  const credits = await api.credits();
  equal([credits.balance, credits.available], [env.startingCredits - 2, env.startingCredits - 2], 'charged 2 credits once (API)');
  await app.expectCredits(env.startingCredits - 2);
}

/** Scenario 2: close the page mid-generation, come back later: the toast, and the designs in the collection. */
async function closeAndReturn({ browser, steps }) {
  const user = uniqueUser('return');
  const context = await browser.newContext();
  const api = await ApiClient.signIn(user);
  const app = await App.open(context, steps);
  await app.signIn(user);
  await app.fillDesign({ prompt: 'cherry french tips', count: 2, shape: 'coffin', finish: 'glossy' });
  await app.visualize();
  const [job] = await api.jobs();
  check(ACTIVE.includes(job.status), `the job is still generating when the page closes (API: ${job.status})`);
  await app.shot('generating');
  await app.close();
  console.log(`  page closed while the job was ${job.status}`);

  await api.waitForStatus([job.jobId], 'completed');

  const back = await App.open(context, steps, { recordTabStatuses: true });
  await back.testId('sign-in').waitFor();
  await back.shot('back-signed-out');
  await back.signIn(user);
  await back.expectToast('2 designs completed! 🎉', 2);
  await back.returnCheckDone();
  await expectCount(back.toasts('completed'), 1, { message: 'one completion toast' });
  await back.shot('return-toast');
  await back.expectTabCompleted(2);
  await back.expectTabNeverShownActive();
  await back.openCollection(2);
  await back.shot('collection');

  equal((await api.looks()).map(look => look.jobId), [job.jobId, job.jobId], 'the two looks (API)');
  await waitUntil(async () => (await api.pending()).completedJobs.length === 0,
    { message: 'the page acknowledged the job: no longer announced (API)' });
}

/** Scenario 3: a generation in each of two design tabs, page closed, reopened: all saved, counted once. */
async function twoTabs({ browser, steps }) {
  const user = uniqueUser('tabs');
  const context = await browser.newContext();
  const api = await ApiClient.signIn(user);
  const app = await App.open(context, steps);
  await app.signIn(user);
  await app.fillDesign({ prompt: 'lavender marble', count: 2, shape: 'oval', finish: 'matte' });
  await app.visualize();
  await app.testId('add-tab').click();
  await expectCount(app.testId('design-tab'), 2);
  await expectText(app.page.locator('[data-testid="design-tab"][aria-selected="true"]'), /^Design 2/);
  await app.fillDesign({ prompt: 'midnight galaxy with stars', count: 2, shape: 'stiletto', length: 'long', finish: 'glitter' });
  await app.visualize();
  const jobs = await api.jobs();
  equal(jobs.length, 2, 'two jobs (API)');
  check(jobs.every(job => ACTIVE.includes(job.status)), `both still generating when the page closes (API: ${jobs.map(j => j.status)})`);
  await app.shot('two-tabs-generating');
  await app.close();

  const jobIds = jobs.map(job => job.jobId);
  await api.waitForStatus(jobIds, 'completed');

  const back = await App.open(context, steps, { recordTabStatuses: true });
  await back.signIn(user);
  await back.expectToast('4 designs completed! 🎉', 4);
  await back.returnCheckDone();
  await expectCount(back.toasts('completed'), 1, { message: 'both jobs in one completion toast' });
  await back.shot('return-toast');
  await back.expectTabCompleted(2);
  await back.expectTabNeverShownActive();
  const tabs = back.testId('design-tab');
  await expectCount(tabs, 2, { message: 'both design tabs are back' });
  for (let i = 0; i < 2; i++) {
    await tabs.nth(i).click();
    await back.expectTabCompleted(2);
    await back.shot(`tab-${i + 1}-completed`);
  }
  await back.openCollection(4);
  await back.shot('collection');

  const looks = await api.looks();
  equal(looks.length, 4, 'four looks (API)');
  for (const jobId of jobIds) {
    equal(looks.filter(look => look.jobId === jobId).map(look => look.imageIndex).sort(), [0, 1], `one look per design of ${jobId}`);
  }
}

/** No duplicate saves after several returns: announced once, the collection unchanged, here and on another device (three returns). */
async function severalReturns({ browser, steps }) {
  const user = uniqueUser('returns');
  const context = await browser.newContext();
  const api = await ApiClient.signIn(user);
  const app = await App.open(context, steps);
  await app.signIn(user);
  await app.fillDesign({ prompt: 'pastel rainbow stripes', count: 2 });
  await app.visualize();
  await app.expectTabCompleted(2);
  await app.expectToast('2 designs completed! 🎉', 2);
  await app.shot('announced-while-staying');
  await app.close();

  const returns = [['same browser', context], ['same browser', context], ['another device', await browser.newContext()]];
  for (const [index, [where, returnContext]] of returns.entries()) {
    const back = await App.open(returnContext, steps);
    await back.signIn(user);
    await back.returnCheckDone();
    await back.openCollection(2);
    await expectCount(back.toasts(), 0, { message: `no toast on return ${index + 1} (${where})` });
    await back.shot(`return-${index + 1}-${where.replace(' ', '-')}`);
    equal((await api.looks()).length, 2, `still two looks after return ${index + 1} (API)`);
    const pending = await api.pending();
    equal([pending.completedJobs.length, pending.counts.completedDesigns], [0, 0], `nothing to announce after return ${index + 1} (API)`);
    await back.close();
  }
}

/** Insufficient credits: the clear 402 message, and nothing created. */
async function insufficientCredits({ browser, steps }) {
  const user = uniqueUser('credits');
  const api = await ApiClient.signIn(user);
  const app = await App.open(await browser.newContext(), steps);
  await app.signIn(user);
  await app.expectCredits(env.startingCredits);
  await app.fillDesign({ prompt: 'four french tips', count: 4 });
  await app.visualize();
  const left = env.startingCredits - 4;
  await app.expectCredits(left);
  await app.shot('first-job-takes-4-credits');

  await app.testId('add-tab').click();
  await app.fillDesign({ prompt: 'four more designs', count: 4 });
  await app.testId('visualize-button').click();
  const banner = app.testId('error-banner');
  await expectText(banner.locator('.error-text'), `Not enough credits: this needs 4, you have ${left} available.`);
  check((await banner.getAttribute('role')) === 'alert', 'the message is an alert');
  await app.shot('not-enough-credits');
  await expectCount(app.testId('tab-status'), 0, { message: 'no job in the second tab' });
  await app.expectCredits(left);

  const jobs = await api.jobs();
  equal(jobs.length, 1, 'only the first job exists (API)');
  equal((await api.credits()).available, left, 'available credits unchanged by the refused create (API)');
}

/** A failed job's notification: "Generation failed: <message>" in a toast and the tab, and the credits back. */
async function failedJob({ browser, steps }) {
  const user = uniqueUser('failed');
  const context = await browser.newContext();
  const api = await ApiClient.signIn(user);
  const app = await App.open(context, steps);
  await app.signIn(user);
  await app.fillDesign({ prompt: `chrome tips with ${env.blockedWord} flakes`, count: 2 });
  await app.visualize();
  await expectText(app.testId('tab-status'), 'failed', { timeout: 60_000, message: 'the tab shows the job failed' });

  const [job] = await api.jobs();
  equal([job.status, job.errorCode], ['failed', 'CONTENT_POLICY'], 'the job (API)');
  check(job.error && !/openai|moderation_blocked|http/i.test(job.error), `a message for the user, not the provider's: ${job.error}`);
  const message = `Generation failed: ${job.error}`;
  await app.expectToast(message);
  await expectText(app.page.locator('.tab-status-area .status-text'), message);
  await app.expectCleanText(app.page.locator('.tab-status-area'));
  await app.shot('failed-toast-and-tab');

  await waitUntil(async () => {
    const credits = await api.credits();
    return credits.balance === env.startingCredits && credits.available === env.startingCredits && credits.reserved === 0;
  }, { message: 'credits refunded in full (API)' });
  await app.expectCredits(env.startingCredits);
  equal((await api.looks()).length, 0, 'no looks (API)');

  await app.testId('nav-jobs').click();
  const row = app.page.locator(`[data-testid="job-row"][data-job-id="${job.jobId}"]`);
  await row.waitFor();
  equal(await row.getAttribute('data-status'), 'failed', 'the job list row');
  await app.shot('job-list');
  await app.close();

  const back = await App.open(context, steps);
  await back.signIn(user);
  await back.returnCheckDone();
  await expectCount(back.toasts(), 0, { message: 'the failure is not announced again' });
  await back.shot('return-without-toast');
}

/**
 * A load of the job answered late: sent while the job was pending, answered after the live "started" reached the
 * tab (a slow network, a busy replica). The tab keeps what the live change said and never goes back to pending.
 */
async function lateAnswer({ browser, steps }) {
  const user = uniqueUser('late');
  const app = await App.open(await browser.newContext(), steps);
  await app.signIn(user);
  await app.fillDesign({ prompt: 'milky lilac with a silver moon', count: 1 });

  let delivered = null;
  await app.page.route('**/api/generation-job/*', async route => {
    if (route.request().method() !== 'GET' || delivered) return route.fallback();
    delivered = 'held';
    const response = await route.fetch();
    const job = await response.json();
    // The API answers at once, mostly while the job is still pending; when the worker was quicker, the answer is
    // made to say what it would have said a moment earlier, so the race is always the same one.
    const stale = job.status === 'pending' ? 'as answered' : 'made pending';
    const pending = { ...job, status: 'pending', progress: 0, startedAt: null };
    await expectText(app.testId('tab-status'), 'processing', { timeout: 60_000, message: 'the live "started" shown first' });
    await route.fulfill({ response, json: pending });
    delivered = `delivered after "started" (${stale})`;
  });
  await app.recordTabStatuses();
  await app.visualize();
  await app.expectTabCompleted(1);
  await app.shot('completed-after-a-late-answer');
  check(delivered && delivered.startsWith('delivered'), `the held answer was delivered (${delivered})`);
  console.log(`  the job's first load was ${delivered}`);
  const statuses = await app.recordedTabStatuses();
  equal(statuses.filter(s => s !== 'pending'), ['processing', 'completed'],
    `the late answer did not send the tab back to pending (shown: ${statuses.join(' → ')})`);
  check(statuses.lastIndexOf('pending') < statuses.indexOf('processing'),
    `pending only before processing (shown: ${statuses.join(' → ')})`);
}

const SCENARIOS = {
  stay,
  'close-and-return': closeAndReturn,
  'two-tabs': twoTabs,
  'several-returns': severalReturns,
  'insufficient-credits': insufficientCredits,
  'failed-job': failedJob,
  'late-answer': lateAnswer,
};

async function main(name) {
  const scenario = SCENARIOS[name];
  if (!scenario) {
    console.log(`SCENARIO FAILED: unknown scenario "${name}"; known: ${Object.keys(SCENARIOS).join(', ')}`);
    return 2;
  }
  const watchdog = setTimeout(() => {
    console.log(`SCENARIO FAILED: ${name} did not finish within ${SCENARIO_LIMIT_MS / 1000} s`);
    process.exit(1);
  }, SCENARIO_LIMIT_MS);
  watchdog.unref();
  const started = Date.now();
  const browser = await Browser.launch();
  const steps = new Steps();
  console.log(`scenario ${name}: Chromium ${browser.browser.version()}, API ${env.apiUrl}`);
  try {
    await scenario({ browser, steps });
    check(browser.blocked.length === 0, `requests off loopback: ${browser.blocked.join(', ')}`);
    check(browser.pageErrors.length === 0, `errors in the page: ${browser.pageErrors.join(' | ')}`);
    console.log(`scenario ${name} passed in ${((Date.now() - started) / 1000).toFixed(1)} s (${steps.count} screenshots)`);
    return 0;
  } catch (error) {
    console.log(`SCENARIO FAILED: ${error.message}`);
    if (error.stack) console.log(error.stack.split('\n').slice(1, 6).join('\n'));
    for (const page of browser.browser.contexts().flatMap(context => context.pages())) {
      await steps.shot(page, 'failure').catch(() => {});
    }
    return 1;
  } finally {
    await browser.close().catch(() => {});
  }
}

process.exitCode = await main(process.argv[2]);
