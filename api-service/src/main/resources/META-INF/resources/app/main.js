// Lacquer's reference web client: wires sign-in, the capture tabs, the return monitor, live status, the
// collection, the job list and the credit balance. Plain ES modules, no build step.
import { Api } from './api.js';
import { Auth } from './auth.js';
import { Collection } from './collection.js';
import { $ } from './dom.js';
import { JobList } from './jobs.js';
import { LiveStatus } from './live.js';
import { GenerationMonitor } from './monitor.js';
import { UserStore } from './store.js';
import { DesignTabs } from './tabs.js';
import { clearError, initErrorBanner, showError } from './toasts.js';

const VIEWS = ['capture', 'collection', 'jobs'];
const auth = new Auth();

function debounce(action, ms) {
  let timer = null;
  return () => {
    clearTimeout(timer);
    timer = setTimeout(action, ms);
  };
}

function showSignedOut() {
  $('[data-testid="sign-in"]').hidden = false;
  $('[data-testid="sign-out"]').hidden = true;
  $('[data-testid="signed-in-user"]').hidden = true;
  $('[data-testid="credit-balance"]').hidden = true;
  $('.main-nav').hidden = true;
  $('[data-testid="live-state"]').hidden = true;
  for (const section of document.querySelectorAll('[data-view-name]')) section.hidden = section.dataset.viewName !== 'signed-out';
}

class SignedInPage {
  constructor() {
    const user = auth.user();
    this.store = new UserStore(user.id);
    this.api = new Api(auth, () => this.sessionEnded());
    this.monitor = new GenerationMonitor(this.api, this.store);
    this.refreshCredits = debounce(() => this.loadCredits(), 250);
    this.refreshLists = debounce(() => this.reloadVisibleList(), 500);
    $('[data-testid="signed-in-user"]').textContent = user.name;
    $('[data-testid="signed-in-user"]').hidden = false;
    $('[data-testid="sign-in"]').hidden = true;
    $('[data-testid="sign-out"]').hidden = false;
    $('.main-nav').hidden = false;
    this.expiryTimer = setTimeout(() => this.sessionEnded(), Math.max(0, auth.remainingMs()));
  }

  async start({ design: options, imageLinksValidSeconds }) {
    this.tabs = new DesignTabs({
      api: this.api, store: this.store, options,
      onJobCreated: jobId => {
        this.monitor.watch(jobId);
        this.refreshLists();
      },
      onCreditsChanged: () => this.refreshCredits(),
    });
    this.collection = new Collection(this.api);
    this.jobList = new JobList(this.api, job => {
      this.tabs.onChange({ jobId: job.jobId, change: job.status, status: job.status, attempt: job.attempt, progress: job.progress });
      this.refreshCredits();
    });
    for (const button of document.querySelectorAll('.main-nav [data-view]')) {
      button.addEventListener('click', () => { location.hash = button.dataset.view === 'capture' ? '' : `#${button.dataset.view}`; this.route(); });
    }
    window.addEventListener('hashchange', () => this.route());
    this.route();
    this.loadCredits();
    this.keepImageLinksFresh(imageLinksValidSeconds);
    // The return: each tab's job, then what finished while the page was closed; live updates after both, so the
    // monitor knows which jobs are running before their ends arrive.
    await this.tabs.loadJobs();
    for (const jobId of this.tabs.activeJobIds()) this.monitor.watch(jobId);
    try {
      await this.monitor.checkOnReturn();
    } catch (error) {
      if (error.status !== 401) showError(error.message);
    }
    this.refreshCredits();
    this.reloadVisibleList();
    if (!auth.token()) return;
    this.live = new LiveStatus(this.api, {
      onChange: (change, eventId) => this.onChange(change, eventId),
      onState: state => this.showLiveState(state),
    }, this.store.lastEventId());
    this.live.start();
  }

  onChange(change, eventId) {
    if (eventId != null) this.store.saveLastEventId(eventId);
    this.tabs.onChange(change);
    this.monitor.onChange(change);
    if (this.jobList.onChange(change) && this.view === 'jobs') this.refreshLists();
    if (change.change === 'completed' && this.view === 'collection') this.refreshLists();
    if (change.change !== 'progress') this.refreshCredits();
  }

  showLiveState(state) {
    const element = $('[data-testid="live-state"]');
    element.hidden = state !== 'reconnecting';
    element.textContent = state === 'reconnecting' ? 'Live updates lost: reconnecting…' : '';
  }

  route() {
    const wanted = location.hash.replace('#', '');
    this.view = VIEWS.includes(wanted) ? wanted : 'capture';
    for (const section of document.querySelectorAll('[data-view-name]')) section.hidden = section.dataset.viewName !== this.view;
    for (const button of document.querySelectorAll('.main-nav [data-view]')) {
      if (button.dataset.view === this.view) button.setAttribute('aria-current', 'page');
      else button.removeAttribute('aria-current');
    }
    this.reloadVisibleList();
  }

  /** Image URLs expire: a page left open fetches its visible list again before the links it shows do. */
  keepImageLinksFresh(validSeconds) {
    if (!validSeconds) return;
    const everyMs = Math.max(30, validSeconds - 60) * 1000;
    this.linkTimer = setInterval(() => { if (!document.hidden) this.reloadVisibleList(); }, everyMs);
    document.addEventListener('visibilitychange', () => {
      if (!document.hidden && Date.now() - this.listLoadedAt > everyMs) this.reloadVisibleList();
    });
  }

  reloadVisibleList() {
    this.listLoadedAt = Date.now();
    if (this.view === 'collection') this.collection.load(0);
    if (this.view === 'jobs') this.jobList.load(0);
  }

  async loadCredits() {
    try {
      const credits = await this.api.credits();
      const element = $('[data-testid="credit-balance"]');
      element.textContent = `${credits.available} credits`;
      element.title = `Balance ${credits.balance}; ${credits.reserved} reserved for jobs not started yet`;
      element.hidden = false;
    } catch (error) {
      if (error.status !== 401) showError(error.message);
    }
  }

  sessionEnded() {
    clearTimeout(this.expiryTimer);
    clearInterval(this.linkTimer);
    if (this.live) this.live.stop();
    if (!auth.token()) return;
    auth.signOut();
    showSignedOut();
    showError('Your session has expired. Please sign in again.');
  }
}

async function main() {
  initErrorBanner();
  $('[data-testid="sign-in"]').addEventListener('click', async () => {
    clearError();
    try {
      await auth.signIn();
    } catch (error) {
      showError(error.message);
    }
  });
  $('[data-testid="sign-out"]').addEventListener('click', () => {
    auth.signOut();
    location.replace('/');
  });
  let config;
  try {
    config = await auth.loadConfig();
  } catch (error) {
    showSignedOut();
    showError(error.message);
    return;
  }
  if (auth.isRedirectBack()) {
    try {
      await auth.completeSignIn();
    } catch (error) {
      showSignedOut();
      showError(error.message);
      return;
    }
  } else {
    auth.restore();
  }
  if (!auth.token()) {
    showSignedOut();
    return;
  }
  await new SignedInPage().start(config);
}

main();
