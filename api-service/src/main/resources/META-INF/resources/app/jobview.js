// How a job is shown, in a design tab and in the job list: status words, progress, queue position, results.
import { h } from './dom.js';

export const ACTIVE = new Set(['pending', 'processing']);

export function isActive(job) {
  return !!job && ACTIVE.has(job.status);
}

const STAGE = { pending: 0, processing: 1 }; // every other status ends the attempt

/** Where a job is in its life: (attempt, stage, progress) only grows; a requeue starts the next attempt. */
function positionOf(view, attempt) {
  const stage = STAGE[view.status] ?? 2;
  return [attempt, stage, stage === 1 ? Number(view.progress) || 0 : 0];
}

/**
 * Whether a job read from the API, or a live change, is behind the job shown: showing it would go back in the job's
 * life. The stream replays older changes after a return, and a job read from the API can be newer than live changes
 * still on their way (read "processing", then the "created" change arrives). A change without an attempt (stored
 * before changes carried one) is placed in the shown job's attempt, or the next one for a requeue.
 */
export function isBehind(view, shown) {
  if (!shown || !shown.status) return false;
  const shownAttempt = shown.attempt > 0 ? shown.attempt : 1;
  const attempt = view.attempt > 0 ? view.attempt : view.change === 'requeued' ? shownAttempt + 1 : shownAttempt;
  const [a, b] = [positionOf(view, attempt), positionOf(shown, shownAttempt)];
  const differs = a.findIndex((value, i) => value !== b[i]);
  return differs >= 0 && a[differs] < b[differs];
}

/**
 * Merges a live change ({jobId, change, status, attempt, progress, thumbnails, error}) into a job view; a change
 * behind the view leaves it as it is.
 */
export function applyChange(job, change) {
  if (isBehind(change, job)) return job;
  const next = { ...(job || { jobId: change.jobId }) };
  if (change.status) next.status = change.status;
  if (change.attempt > 0) next.attempt = change.attempt;
  if (typeof change.progress === 'number') next.progress = change.progress;
  if (change.imageCount) next.imageCount = change.imageCount;
  if (Array.isArray(change.thumbnails) && change.thumbnails.length) next.thumbnails = change.thumbnails;
  if (change.error) next.error = change.error;
  if (change.errorCode) next.errorCode = change.errorCode;
  if (!ACTIVE.has(next.status)) {
    delete next.queuePosition;
    delete next.estimatedStartAt;
  }
  return next;
}

function minutesFromNow(instant) {
  const ms = Date.parse(instant) - Date.now();
  if (Number.isNaN(ms)) return null;
  if (ms <= 60_000) return 'in under a minute';
  return `in about ${Math.round(ms / 60_000)} min`;
}

/** Queue position and estimated start, only when the API sends them. */
export function queueText(job) {
  if (!job || job.status !== 'pending') return null;
  const parts = [];
  if (job.queuePosition != null) parts.push(`Position ${job.queuePosition} in the queue`);
  if (job.estimatedStartAt != null) {
    const when = minutesFromNow(job.estimatedStartAt);
    if (when) parts.push(`starts ${when}`);
  }
  return parts.length ? parts.join(' · ') : null;
}

export function statusText(job) {
  switch (job.status) {
    case 'pending': return job.cancelRequested ? 'Canceling…' : 'Waiting to start…';
    case 'processing': return job.cancelRequested ? 'Canceling…' : `Generating… ${job.progress || 0}%`;
    case 'completed': return 'Done: saved to your collection.';
    case 'failed': return `Generation failed: ${job.error || 'something went wrong.'}`;
    case 'canceled': return 'Canceled.';
    default: return job.status || '';
  }
}

export function progressOf(job) {
  if (job.status === 'completed') return 100;
  return Math.max(0, Math.min(100, Number(job.progress) || 0));
}

/** Result images as links to the full designs, showing thumbnails where there are some. */
export function resultImages(job) {
  const full = job.resultImages || [];
  const thumbs = job.thumbnails && job.thumbnails.length ? job.thumbnails : full;
  return thumbs.map((src, i) => h('a', { href: full[i] || src, target: '_blank', rel: 'noopener' },
    h('img', { src, alt: `Design ${i + 1}`, loading: 'lazy' })));
}
