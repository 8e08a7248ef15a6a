-- A user's active jobs, read twice by every create (the active-job limit and the credits reserved by jobs not
-- charged yet: GenerationJobRepository#activeCountOf, #reservedCredits). Without it PostgreSQL answers both from
-- generation_jobs_active, i.e. it reads every active job of every user and filters by user: under load (a few hundred
-- jobs in flight) that was 250–350 µs per query and the create's largest cost in the database. With it, a create reads
-- only its user's active jobs. Small (active jobs only); built with a plain CREATE INDEX, which blocks writes to
-- generation_jobs for the one scan of the table it takes. On a large table, build it by hand first with
-- CREATE INDEX CONCURRENTLY and the same definition: this migration then leaves it as it is.
create index if not exists generation_jobs_user_active on generation_jobs (user_id) where status in ('pending', 'processing');
