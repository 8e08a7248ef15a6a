// The collection: every saved design (look), newest first, a page at a time.
import { $, h } from './dom.js';
import { showError } from './toasts.js';

const PAGE_SIZE = 24;

export class Collection {
  constructor(api) {
    this.api = api;
    this.section = $('[data-testid="collection"]');
    this.grid = $('.look-grid', this.section);
    this.more = $('.more', this.section);
    this.more.addEventListener('click', () => this.load(this.page + 1));
  }

  async load(page = 0) {
    let result;
    try {
      result = await this.api.looks(page, PAGE_SIZE);
    } catch (error) {
      if (error.status !== 401) showError(error.message);
      return;
    }
    this.page = page;
    const cards = result.items.map(look => h('li', { class: 'look-card', dataset: { testid: 'look-card', lookId: look.lookId } },
      h('a', { href: look.imageUrl, target: '_blank', rel: 'noopener' },
        h('img', { src: look.thumbnailUrl || look.imageUrl, alt: look.prompt ? `Design: ${look.prompt}` : 'Design', loading: 'lazy' })),
      h('p', { class: 'caption' }, look.prompt || '')));
    if (page === 0) this.grid.replaceChildren(...cards);
    else this.grid.append(...cards);
    $('.empty', this.section).hidden = result.total > 0;
    this.more.hidden = (page + 1) * PAGE_SIZE >= result.total;
  }
}
