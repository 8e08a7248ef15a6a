// How a job is shown, in a design tab and in the job list: status words, progress, queue position, results.
import { h } from './dom.js';

export const ACTIVE = new Set(['pending', 'processing']);

export function isActive(job) {
  return !!job && ACTIVE.has(job.status);
}

/**
 * Merges a live change ({jobId, change, status, progress, thumbnails, error}) into a job view. A finished job
 * stays finished: the stream replays older changes after a return, and only a requeue makes a job active again.
 */
export function applyChange(job, change) {
  const finished = job && job.status && !ACTIVE.has(job.status);
  if (finished && ACTIVE.has(change.status) && change.change !== 'requeued') return job;
  const next = { ...(job || { jobId: change.jobId }) };
  if (change.status) next.status = change.status;
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
