// The job list (history), newest first, with a cancel button for jobs still pending or processing.
import { $, h } from './dom.js';
import { applyChange, isActive, isBehind, progressOf, statusText } from './jobview.js';
import { showError } from './toasts.js';

const PAGE_SIZE = 20;

export class JobList {
  /** @param onCanceled(job) called after a cancel the API accepted */
  constructor(api, onCanceled) {
    this.api = api;
    this.onCanceled = onCanceled;
    this.section = $('[data-testid="jobs"]');
    this.list = $('.job-list', this.section);
    this.more = $('.more', this.section);
    this.jobs = new Map();
    this.more.addEventListener('click', () => this.load(this.page + 1));
  }

  async load(page = 0) {
    let result;
    try {
      result = await this.api.jobs(page, PAGE_SIZE);
    } catch (error) {
      if (error.status !== 401) showError(error.message);
      return;
    }
    this.page = page;
    const shown = page === 0 ? new Map(this.jobs) : this.jobs; // the first page starts the list afresh
    if (page === 0) {
      this.jobs.clear();
      this.list.replaceChildren();
    }
    for (const read of result.items) {
      // A live change that arrived while the page was on its way may be newer than what it says.
      const before = shown.get(read.jobId);
      const job = before && isBehind(read, before) ? before : read;
      this.jobs.set(job.jobId, job);
      this.list.append(this.row(job));
    }
    $('.empty', this.section).hidden = result.total > 0;
    this.more.hidden = (page + 1) * PAGE_SIZE >= result.total;
  }

  row(job) {
    const thumbs = job.thumbnails && job.thumbnails.length ? job.thumbnails : job.resultImages || [];
    const created = job.createdAt ? new Date(job.createdAt).toLocaleString() : '';
    return h('li', { class: 'job-row', dataset: { testid: 'job-row', jobId: job.jobId, status: job.status } },
      h('div', { class: 'job-thumb' }, thumbs.length ? h('img', { src: thumbs[0], alt: '', loading: 'lazy' }) : null),
      h('div', { class: 'job-main' },
        h('p', { class: 'job-prompt' }, job.prompt || 'Design'),
        h('p', { class: 'job-meta' },
          h('span', { class: `status-badge ${job.status}` }, job.status), ' ',
          h('time', { datetime: job.createdAt || '' }, created), ' · ', `${job.imageCount || ''} designs`),
        h('p', { class: 'job-status-text' }, statusText(job)),
        isActive(job) ? h('progress', { max: 100, value: progressOf(job), 'aria-label': 'Progress' }) : null),
      isActive(job) && !job.cancelRequested
        ? h('button', { type: 'button', class: 'secondary', dataset: { testid: 'cancel-job' }, onClick: event => this.cancel(job, event.target) }, 'Cancel')
        : null);
  }

  replace(job) {
    this.jobs.set(job.jobId, job);
    const old = this.list.querySelector(`[data-job-id="${CSS.escape(job.jobId)}"]`);
    if (old) old.replaceWith(this.row(job));
  }

  async cancel(job, button) {
    button.disabled = true;
    try {
      const updated = await this.api.cancel(job.jobId);
      this.replace(updated);
      this.onCanceled(updated);
    } catch (error) {
      button.disabled = false;
      showError(error.message);
      if (error.status === 409) this.load(0);
    }
  }

  /** A live change: updates the job's row if shown; a new job needs a reload of the first page. */
  onChange(change) {
    const known = this.jobs.get(change.jobId);
    if (known) this.replace(applyChange(known, change));
    return !known;
  }
}
