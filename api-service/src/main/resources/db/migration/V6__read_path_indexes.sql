-- The read path clients poll (dev.lacquer.api.job.repository.JobReads) writes its statuses as literals, so these
-- partial indexes serve its plans whether PostgreSQL plans them custom or generic.

-- pending-generations: a user's active jobs and finished jobs not yet acknowledged, without reading the history.
-- Replaces generation_jobs_unseen, whose rows it holds (and whose only query it served).
create index generation_jobs_attention on generation_jobs (user_id)
    where status in ('pending', 'processing') or (status in ('completed', 'failed') and seen_at is null);
drop index generation_jobs_unseen;

-- Queue order of pending jobs (creation time, then id): a pending job's position is one count on this index.
create index generation_jobs_queue on generation_jobs (created_at, id) where status = 'pending';

-- Jobs started recently (the start rate behind a pending job's estimated start).
create index generation_jobs_started_at on generation_jobs (started_at) where started_at is not null;
