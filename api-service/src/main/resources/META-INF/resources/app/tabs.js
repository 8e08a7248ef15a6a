// The capture page: several design tabs at once. Each tab holds a photo, a prompt and design settings, and
// remembers its job id in localStorage (like the seed's designTabs), so a reopened page shows each tab's job.
import { $, h } from './dom.js';
import { newIdempotencyKey } from './api.js';
import { applyChange, isActive, isBehind, progressOf, queueText, resultImages, statusText } from './jobview.js';
import { clearError, showError } from './toasts.js';

const QUEUE_REFRESH_MS = 5000;

function newTab(number, defaults) {
  return {
    id: `tab-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 7)}`,
    title: `Design ${number}`,
    jobId: null,
    prompt: '',
    shape: '',
    length: '',
    finish: '',
    colors: [],
    imageCount: defaults.defaultImageCount,
  };
}

export class DesignTabs {
  /** @param deps { api, store, options (client-config design), onJobCreated(jobId), onCreditsChanged() } */
  constructor(deps) {
    Object.assign(this, deps);
    this.section = $('.capture');
    this.tabList = $('.tabs', this.section);
    this.panel = $('.tab-panel', this.section);
    this.runtime = new Map(); // tab id -> { photo, previewUrl, job, submitting }
    this.queueTimer = null;
    const saved = this.store.loadTabs();
    if (saved && Array.isArray(saved.tabs) && saved.tabs.length) {
      this.tabs = saved.tabs;
      this.activeId = saved.tabs.some(t => t.id === saved.activeId) ? saved.activeId : saved.tabs[0].id;
      this.counter = saved.counter || saved.tabs.length;
    } else {
      this.tabs = [newTab(1, this.options)];
      this.activeId = this.tabs[0].id;
      this.counter = 1;
    }
    $('[data-testid="add-tab"]').addEventListener('click', () => this.addTab());
    this.tabList.addEventListener('keydown', event => this.onTabKey(event));
    this.save();
    this.render();
  }

  save() {
    this.store.saveTabs({ tabs: this.tabs, activeId: this.activeId, counter: this.counter });
  }

  state(tab) {
    if (!this.runtime.has(tab.id)) {
      this.runtime.set(tab.id, { photo: null, previewUrl: null, job: null, submitting: false });
    }
    return this.runtime.get(tab.id);
  }

  active() {
    return this.tabs.find(t => t.id === this.activeId);
  }

  /** Job ids of the tabs, to watch and to load. */
  jobIds() {
    return this.tabs.map(t => t.jobId).filter(Boolean);
  }

  /** Loads each tab's job (after a reload: what happened while the page was closed). */
  async loadJobs() {
    await Promise.all(this.tabs.filter(t => t.jobId).map(async tab => {
      try {
        this.state(tab).job = await this.api.job(tab.jobId);
      } catch (error) {
        if (error.status === 404) {
          tab.jobId = null;
          this.save();
        }
      }
    }));
    this.renderTabList();
    this.renderStatus();
    this.scheduleQueueRefresh();
  }

  activeJobIds() {
    return this.tabs.filter(t => t.jobId && isActive(this.state(t).job)).map(t => t.jobId);
  }

  /** A live change of one of the user's jobs. */
  onChange(change) {
    let touched = false;
    for (const tab of this.tabs.filter(t => t.jobId === change.jobId)) {
      const state = this.state(tab);
      state.job = applyChange(state.job, change);
      touched = true;
      if (change.change === 'completed') this.refreshJob(tab);
    }
    if (touched) {
      this.renderTabList();
      this.renderStatus();
    }
  }

  /**
   * Loads the tab's job again. An answer behind the job shown is dropped (a queue refresh sent while the job was
   * pending, answered after the "started" change arrived): the next refresh or change brings the newer state.
   */
  async refreshJob(tab) {
    const state = this.state(tab);
    try {
      const job = await this.api.job(tab.jobId);
      if (tab.jobId === job.jobId && !isBehind(job, state.job)) {
        state.job = job;
        this.renderTabList();
        this.renderStatus();
      }
    } catch {
      // The live change already shows the status; the results come with the next load.
    }
  }

  /** Queue position and estimated start change without events of the user's own: refresh them while shown. */
  scheduleQueueRefresh() {
    clearTimeout(this.queueTimer);
    const tab = this.active();
    const job = tab && this.state(tab).job;
    if (!job || job.status !== 'pending' || (job.queuePosition == null && job.estimatedStartAt == null)) return;
    this.queueTimer = setTimeout(async () => {
      if (!document.hidden && this.active() === tab && tab.jobId) await this.refreshJob(tab);
      this.scheduleQueueRefresh();
    }, QUEUE_REFRESH_MS);
  }

  addTab() {
    this.counter += 1;
    const tab = newTab(this.counter, this.options);
    this.tabs.push(tab);
    this.select(tab.id);
    $(`[data-tab-id="${tab.id}"]`, this.tabList).focus();
  }

  closeTab(tab) {
    const index = this.tabs.indexOf(tab);
    const state = this.runtime.get(tab.id);
    if (state && state.previewUrl) URL.revokeObjectURL(state.previewUrl);
    this.runtime.delete(tab.id);
    this.tabs.splice(index, 1);
    if (!this.tabs.length) {
      this.counter += 1;
      this.tabs.push(newTab(this.counter, this.options));
    }
    this.select(this.tabs[Math.max(0, index - 1)].id);
  }

  select(id) {
    this.activeId = id;
    this.save();
    this.render();
  }

  onTabKey(event) {
    const index = this.tabs.findIndex(t => t.id === this.activeId);
    let next = null;
    if (event.key === 'ArrowRight') next = (index + 1) % this.tabs.length;
    else if (event.key === 'ArrowLeft') next = (index - 1 + this.tabs.length) % this.tabs.length;
    else if (event.key === 'Home') next = 0;
    else if (event.key === 'End') next = this.tabs.length - 1;
    if (next === null) return;
    event.preventDefault();
    this.select(this.tabs[next].id);
    $(`[data-tab-id="${this.activeId}"]`, this.tabList).focus();
  }

  render() {
    this.renderTabList();
    this.renderPanel();
    this.scheduleQueueRefresh();
  }

  renderTabList() {
    this.tabList.replaceChildren(...this.tabs.map(tab => {
      const selected = tab.id === this.activeId;
      const job = this.state(tab).job;
      const badge = job && isActive(job) ? ` · ${progressOf(job)}%` : job && job.status === 'completed' ? ' · done' : '';
      return h('button', {
        type: 'button', role: 'tab', id: `tab-button-${tab.id}`, 'aria-selected': String(selected),
        'aria-controls': 'tab-panel', tabindex: selected ? '0' : '-1',
        dataset: { testid: 'design-tab', tabId: tab.id }, onClick: () => this.select(tab.id),
      }, tab.title, h('span', { class: 'tab-badge' }, badge));
    }));
  }

  renderPanel() {
    const tab = this.active();
    const state = this.state(tab);
    const { options } = this;
    this.panel.id = 'tab-panel';
    this.panel.setAttribute('aria-labelledby', `tab-button-${tab.id}`);
    const field = (label, control, hint) => h('div', { class: 'field' },
      h('label', { for: control.id }, label), control, hint ? h('p', { class: 'hint' }, hint) : null);
    const select = (id, testid, values, value, key) => h('select', {
      id, dataset: { testid }, onChange: event => { tab[key] = event.target.value; this.save(); },
    }, h('option', { value: '' }, 'Any'), values.map(v => h('option', { value: v, selected: v === value }, v)));

    const preview = h('img', { class: 'photo-preview', alt: 'Your photo', hidden: !state.previewUrl, src: state.previewUrl || undefined });
    const photo = h('input', {
      type: 'file', id: `photo-${tab.id}`, accept: 'image/jpeg,image/png,image/webp', dataset: { testid: 'photo-input' },
      onChange: event => {
        const file = event.target.files[0] || null;
        if (state.previewUrl) URL.revokeObjectURL(state.previewUrl);
        state.photo = file;
        state.previewUrl = file ? URL.createObjectURL(file) : null;
        preview.hidden = !file;
        if (file) preview.src = state.previewUrl;
        else preview.removeAttribute('src');
      },
    });
    const prompt = h('textarea', {
      id: `prompt-${tab.id}`, rows: 3, maxlength: 1000, required: true, dataset: { testid: 'prompt-input' },
      placeholder: 'e.g. glazed donut chrome with tiny pearls',
      onInput: event => { tab.prompt = event.target.value; this.save(); },
    });
    prompt.value = tab.prompt;
    const count = h('input', {
      type: 'number', id: `count-${tab.id}`, min: 1, max: options.maxImageCount, step: 1, inputmode: 'numeric',
      value: String(tab.imageCount), dataset: { testid: 'image-count' },
      onInput: event => { tab.imageCount = Number(event.target.value); this.save(); },
    });
    const visualize = h('button', { type: 'submit', class: 'primary', dataset: { testid: 'visualize-button' }, disabled: state.submitting },
      state.submitting ? 'Sending…' : 'Visualize');
    const form = h('form', { class: 'capture-form', novalidate: true, onSubmit: event => { event.preventDefault(); this.visualize(tab, visualize); } },
      h('div', { class: 'photo-field' }, field('Photo of your hand', photo, 'JPEG, PNG or WebP'), preview),
      field('Prompt', prompt),
      h('div', { class: 'settings' },
        field('Shape', select(`shape-${tab.id}`, 'shape-select', options.shapes, tab.shape, 'shape')),
        field('Length', select(`length-${tab.id}`, 'length-select', options.lengths, tab.length, 'length')),
        field('Finish', select(`finish-${tab.id}`, 'finish-select', options.finishes, tab.finish, 'finish')),
        field('Designs', count, `1 to ${options.maxImageCount}, one credit each`)),
      this.colorsField(tab),
      h('div', { class: 'actions' }, visualize,
        h('button', { type: 'button', class: 'secondary', onClick: () => this.closeTab(tab) }, 'Close tab')));
    this.statusArea = h('div', { class: 'tab-status-area', 'aria-live': 'polite' });
    this.panel.replaceChildren(form, this.statusArea);
    this.renderStatus();
  }

  colorsField(tab) {
    const max = this.options.maxColors;
    const list = h('ul', { class: 'color-list', 'aria-label': 'Chosen colours' });
    const picker = h('input', { type: 'color', id: `color-${tab.id}`, value: '#c0c0ff' });
    const add = h('button', { type: 'button', class: 'secondary' }, 'Add colour');
    const draw = () => {
      list.replaceChildren(...tab.colors.map(color => h('li', { class: 'color-chip' },
        h('span', { class: 'swatch', style: { backgroundColor: color } }), color,
        h('button', { type: 'button', class: 'link', 'aria-label': `Remove colour ${color}`, onClick: () => {
          tab.colors = tab.colors.filter(c => c !== color);
          this.save();
          draw();
        } }, '×'))));
      add.disabled = tab.colors.length >= max;
    };
    add.addEventListener('click', () => {
      const color = picker.value.toLowerCase();
      if (tab.colors.length < max && !tab.colors.includes(color)) {
        tab.colors = [...tab.colors, color];
        this.save();
        draw();
      }
    });
    draw();
    return h('fieldset', { class: 'colors' }, h('legend', {}, `Colours (up to ${max})`),
      h('div', { class: 'color-add' }, h('label', { for: picker.id, class: 'visually-hidden' }, 'Colour to add'), picker, add), list);
  }

  renderStatus() {
    const tab = this.active();
    if (!this.statusArea || !tab) return;
    const job = this.state(tab).job;
    if (!job) {
      this.statusArea.replaceChildren();
      return;
    }
    const queue = queueText(job);
    this.statusArea.replaceChildren(...[
      h('div', { class: 'status-line' },
        h('span', { class: `status-badge ${job.status}`, dataset: { testid: 'tab-status' } }, job.status),
        h('span', { class: 'status-text' }, statusText(job))),
      h('progress', { max: 100, value: progressOf(job), dataset: { testid: 'tab-progress' }, 'aria-label': 'Generation progress' }),
      queue ? h('p', { class: 'queue', dataset: { testid: 'queue-position' } }, queue) : null,
      isActive(job) && !job.cancelRequested ? h('button', { type: 'button', class: 'secondary', dataset: { testid: 'tab-cancel' }, onClick: () => this.cancel(tab) }, 'Cancel this generation') : null,
      h('div', { class: 'results', dataset: { testid: 'tab-results' } }, job.status === 'completed' ? resultImages(job) : []),
    ].filter(Boolean));
  }

  async cancel(tab) {
    try {
      this.state(tab).job = await this.api.cancel(tab.jobId);
      this.renderStatus();
      this.onCreditsChanged();
    } catch (error) {
      showError(error.message);
    }
  }

  async visualize(tab, button) {
    const state = this.state(tab);
    if (state.submitting) return;
    if (!state.photo) return showError('Add a photo of your hand first.');
    if (!tab.prompt.trim()) return showError('Describe the design you want in the prompt.');
    const count = Number(tab.imageCount);
    if (!Number.isInteger(count) || count < 1 || count > this.options.maxImageCount) {
      return showError(`Choose between 1 and ${this.options.maxImageCount} designs.`);
    }
    const designSettings = {};
    for (const key of ['shape', 'length', 'finish']) if (tab[key]) designSettings[key] = tab[key];
    if (tab.colors.length) designSettings.colors = tab.colors;
    state.submitting = true;
    button.disabled = true;
    button.textContent = 'Sending…';
    try {
      const created = await this.api.createJob({ photo: state.photo, prompt: tab.prompt.trim(), designSettings, imageCount: count },
        newIdempotencyKey());
      clearError();
      tab.jobId = created.jobId;
      state.job = { jobId: created.jobId, status: created.status || 'pending', progress: 0, imageCount: count };
      this.save();
      this.onJobCreated(created.jobId);
      this.refreshJob(tab).then(() => this.scheduleQueueRefresh());
    } catch (error) {
      showError(error.message);
    } finally {
      state.submitting = false;
      if (button.isConnected) {
        button.disabled = false;
        button.textContent = 'Visualize';
      }
      this.renderTabList();
      this.renderStatus();
      this.onCreditsChanged();
    }
  }
}
