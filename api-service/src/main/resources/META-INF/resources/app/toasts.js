// Notifications: toasts (role=status, one element each, until dismissed) and one error banner (role=alert).
import { $, h } from './dom.js';

const MAX_TOASTS = 6;
const MAX_PREVIEWS = 8;

export function showToast(text, { previews = [], kind = 'info' } = {}) {
  const container = $('.toasts');
  const toast = h('div', { class: `toast ${kind}`, role: 'status', dataset: { testid: 'toast' } },
    h('p', { class: 'toast-text' }, text),
    previews.length ? h('div', { class: 'toast-previews' },
      previews.slice(0, MAX_PREVIEWS).map(src => h('img', { src, alt: 'New design', dataset: { testid: 'toast-preview' }, loading: 'lazy' }))) : null,
    h('button', { type: 'button', class: 'dismiss', 'aria-label': 'Dismiss notification', onClick: () => toast.remove() }));
  container.append(toast);
  while (container.children.length > MAX_TOASTS) container.firstElementChild.remove();
  return toast;
}

export function showError(message) {
  const banner = $('[data-testid="error-banner"]');
  $('.error-text', banner).textContent = message;
  banner.hidden = false;
}

export function clearError() {
  $('[data-testid="error-banner"]').hidden = true;
}

export function initErrorBanner() {
  $('[data-testid="error-banner"] .dismiss').addEventListener('click', clearError);
}
