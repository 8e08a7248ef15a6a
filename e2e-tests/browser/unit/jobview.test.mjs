// The web client's ordering of a job's states (app/jobview.js): what a tab or the job list shows never goes back in
// the job's life, whichever of a live change or an API read arrives first. Run by WebClientUnitTest (node --test).
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyChange, isBehind } from '../../../api-service/src/main/resources/META-INF/resources/app/jobview.js';

const JOB = 'job-1';
const change = (name, status, fields = {}) => ({ jobId: JOB, change: name, status, attempt: 1, progress: 0, ...fields });
const replay = (job, ...changes) => changes.reduce(applyChange, job);

test('a job read as processing stays processing when its "created" change arrives late', () => {
  const read = { jobId: JOB, status: 'processing', attempt: 1, progress: 0, imageCount: 2 };
  const shown = replay(read, change('created', 'pending'));
  assert.equal(shown.status, 'processing');
  assert.equal(replay(shown, change('started', 'processing'), change('completed', 'completed', { progress: 100 })).status,
    'completed');
});

test('changes in order move a job from pending to completed with its thumbnails', () => {
  const created = { jobId: JOB, status: 'pending', progress: 0, imageCount: 2 };
  const shown = replay(created,
    change('started', 'processing'),
    change('progress', 'processing', { progress: 50 }),
    change('completed', 'completed', { progress: 100, thumbnails: ['https://img/1', 'https://img/2'] }));
  assert.deepEqual([shown.status, shown.progress, shown.thumbnails.length], ['completed', 100, 2]);
});

test('progress never goes back within an attempt', () => {
  const at60 = replay({ jobId: JOB, status: 'processing', attempt: 1, progress: 60 },
    change('progress', 'processing', { progress: 30 }), change('started', 'processing'));
  assert.equal(at60.progress, 60);
  assert.equal(applyChange(at60, change('progress', 'processing', { progress: 80 })).progress, 80);
});

test('a finished job stays finished when older changes are replayed after a return', () => {
  const done = { jobId: JOB, status: 'completed', attempt: 1, progress: 100, resultImages: ['https://img/1'] };
  assert.equal(replay(done, change('created', 'pending'), change('started', 'processing')), done);
  const failed = { jobId: JOB, status: 'failed', attempt: 1, error: 'blocked' };
  assert.equal(applyChange(failed, change('progress', 'processing', { progress: 50 })), failed);
});

test('a requeue starts the next attempt, and the old attempt\'s late changes are ignored', () => {
  const running = { jobId: JOB, status: 'processing', attempt: 1, progress: 50 };
  const requeued = applyChange(running, change('requeued', 'pending', { attempt: 2 }));
  assert.deepEqual([requeued.status, requeued.attempt, requeued.progress], ['pending', 2, 0]);
  assert.equal(applyChange(requeued, change('progress', 'processing', { progress: 70 })).status, 'pending');
  assert.equal(applyChange(requeued, change('started', 'processing', { attempt: 2 })).status, 'processing');

  const failed = { jobId: JOB, status: 'failed', attempt: 3, error: 'timed out' };
  assert.equal(applyChange(failed, change('requeued', 'pending', { attempt: 4 })).status, 'pending',
    'an operator requeues a failed job');
});

test('changes stored without an attempt are placed in the shown attempt, a requeue in the next', () => {
  const running = { jobId: JOB, status: 'processing', attempt: 1, progress: 40 };
  const legacy = (name, status, fields) => ({ ...change(name, status, fields), attempt: 0 });
  assert.equal(applyChange(running, legacy('created', 'pending')), running);
  assert.equal(applyChange(running, legacy('requeued', 'pending')).status, 'pending');
  assert.equal(applyChange(running, legacy('completed', 'completed', { progress: 100 })).status, 'completed');
});

test('an API read is dropped only when it is behind the job shown', () => {
  const shown = { jobId: JOB, status: 'processing', attempt: 1, progress: 20 };
  assert.equal(isBehind({ jobId: JOB, status: 'pending', attempt: 1, queuePosition: 3 }, shown), true);
  assert.equal(isBehind({ jobId: JOB, status: 'processing', attempt: 1, progress: 20 }, shown), false);
  const completed = { jobId: JOB, status: 'completed', attempt: 1, progress: 100 };
  assert.equal(isBehind({ ...completed, resultImages: ['https://img/1'] }, completed), false,
    'the read after "completed" brings the result images');
  assert.equal(isBehind({ jobId: JOB, status: 'pending', attempt: 1 }, null), false, 'nothing shown yet');
});
