// The seed's BackgroundGenerationMonitor. On every page load (the "return") it asks what happened while the page
// was closed and says it: "N designs generating", "N designs completed! 🎉" with previews, "Generation failed: …";
// then it acknowledges the finished jobs (auto-save for completed ones, seen for failed ones) so the API does not
// list them again. While the page is open, completions and failures of the jobs it knows to be running arrive on
// the live stream and are said once too. A job is never announced twice: announced ids are kept per user.
import { plural } from './dom.js';
import { showToast } from './toasts.js';

export class GenerationMonitor {
  constructor(api, store) {
    this.api = api;
    this.store = store;
    this.watching = new Set(); // jobs known to be pending or processing in this page's life
  }

  watch(jobId) {
    this.watching.add(jobId);
  }

  async checkOnReturn() {
    const pending = await this.api.pendingGenerations();
    const announced = this.store.announced();
    for (const job of pending.activeJobs || []) this.watch(job.jobId);
    const activeDesigns = pending.counts ? pending.counts.activeDesigns
      : (pending.activeJobs || []).reduce((sum, job) => sum + (job.imageCount || 0), 0);
    if (activeDesigns > 0) showToast(`${plural(activeDesigns, 'design', 'designs')} generating`);

    const completed = (pending.completedJobs || []).filter(job => !announced.has(job.jobId));
    if (completed.length) {
      const designs = completed.reduce((sum, job) => sum + ((job.resultImages || []).length || job.imageCount || 0), 0);
      const previews = completed.flatMap(job => (job.thumbnails && job.thumbnails.length ? job.thumbnails : job.resultImages || []));
      showToast(`${plural(designs, 'design', 'designs')} completed! 🎉`, { previews, kind: 'success' });
    }
    const failed = (pending.failedJobs || []).filter(job => !announced.has(job.jobId));
    for (const job of failed) showToast(`Generation failed: ${job.error || 'something went wrong.'}`, { kind: 'failure' });
    this.store.markAnnounced([...completed, ...failed].map(job => job.jobId));

    // Acknowledge every finished job listed, announced now or before (an earlier acknowledgement may have failed).
    await Promise.allSettled([
      ...(pending.completedJobs || []).map(job => this.api.autoSave(job.jobId)),
      ...(pending.failedJobs || []).map(job => this.api.markSeen(job.jobId)),
    ]);
  }

  /** A live change: announces the end of a job this page knew to be running, once. */
  onChange(change) {
    if (change.change !== 'completed' && change.change !== 'failed' && change.change !== 'canceled') return;
    if (!this.watching.delete(change.jobId) || change.change === 'canceled') return;
    if (this.store.announced().has(change.jobId)) return;
    this.store.markAnnounced([change.jobId]);
    if (change.change === 'completed') {
      const designs = change.imageCount || (change.thumbnails || []).length;
      showToast(`${plural(designs, 'design', 'designs')} completed! 🎉`, { previews: change.thumbnails || [], kind: 'success' });
      this.api.autoSave(change.jobId).catch(() => {});
    } else {
      showToast(`Generation failed: ${change.error || 'something went wrong.'}`, { kind: 'failure' });
      this.api.markSeen(change.jobId).catch(() => {});
    }
  }
}
