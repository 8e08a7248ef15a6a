-- Jobs: one row per "Visualize" tap. api-service is the only writer.
create table generation_jobs (
    id                      uuid primary key,
    user_id                 varchar(128) not null,
    status                  varchar(16)  not null
        check (status in ('pending', 'processing', 'completed', 'failed', 'canceled')),
    prompt                  text         not null,
    design_settings         jsonb        not null,
    image_count             int          not null check (image_count between 1 and 10),
    cost                    int          not null check (cost >= 0),
    original_image_key      varchar(512) not null,
    original_content_type   varchar(64)  not null,
    result_image_keys       jsonb,
    thumbnail_keys          jsonb,
    model                   varchar(64),
    prompt_template_version varchar(32),
    provider_request_id     varchar(128),
    usage                   jsonb,
    progress                int          not null default 0,
    attempt                 int          not null default 1,
    error_code              varchar(64),
    error_message           text,
    auto_saved              boolean      not null default false,
    seen_at                 timestamptz,
    charged_at              timestamptz,
    cancel_requested_at     timestamptz,
    lease_expires_at        timestamptz,
    created_at              timestamptz  not null,
    started_at              timestamptz,
    completed_at            timestamptz,
    updated_at              timestamptz  not null
);

create index generation_jobs_user_created on generation_jobs (user_id, created_at desc, id desc);
create index generation_jobs_active on generation_jobs (status, lease_expires_at)
    where status in ('pending', 'processing');
create index generation_jobs_unsaved on generation_jobs (completed_at)
    where status = 'completed' and auto_saved = false;
create index generation_jobs_unseen on generation_jobs (user_id)
    where status in ('completed', 'failed') and seen_at is null;

-- Looks: the user's collection. One per (job, image), enforced here.
create table looks (
    id                      uuid primary key,
    user_id                 varchar(128) not null,
    job_id                  uuid         not null references generation_jobs (id),
    image_index             int          not null,
    image_key               varchar(512) not null,
    thumbnail_key           varchar(512),
    prompt                  text         not null,
    design_settings         jsonb        not null,
    original_image_key      varchar(512) not null,
    model                   varchar(64),
    prompt_template_version varchar(32),
    created_at              timestamptz  not null,
    constraint looks_one_per_job_image unique (job_id, image_index)
);

create index looks_user_created on looks (user_id, created_at desc, id desc);

-- Transactional outbox: written in the same transaction as the job change it announces.
create table outbox (
    id          bigserial primary key,
    event_id    uuid         not null unique,
    topic       varchar(128) not null,
    message_key varchar(128) not null,
    event_type  varchar(64)  not null,
    payload     text         not null,
    created_at  timestamptz  not null
);

-- Insert-first duplicate detection of consumed events.
create table processed_events (
    event_id     uuid primary key,
    job_id       uuid        not null,
    event_type   varchar(64) not null,
    processed_at timestamptz not null
);

create index processed_events_processed_at on processed_events (processed_at);

-- Credits: the balance is derived from the ledger and cached on the account row.
create table credit_accounts (
    user_id    varchar(128) primary key,
    balance    int          not null check (balance >= 0),
    created_at timestamptz  not null,
    updated_at timestamptz  not null
);

create table credit_ledger (
    id         bigserial primary key,
    user_id    varchar(128) not null references credit_accounts (user_id),
    job_id     uuid references generation_jobs (id),
    kind       varchar(16)  not null check (kind in ('grant', 'charge', 'refund')),
    amount     int          not null check (amount > 0),
    note       varchar(256),
    created_at timestamptz  not null,
    constraint credit_ledger_job_required check (kind = 'grant' or job_id is not null)
);

-- At most one charge and at most one refund per job, whatever the code does.
create unique index credit_ledger_one_per_job_kind on credit_ledger (job_id, kind) where kind in ('charge', 'refund');
create index credit_ledger_user on credit_ledger (user_id, created_at);

-- Idempotency keys of create requests (Stripe semantics), kept at least 24 h.
create table idempotency_keys (
    user_id         varchar(128) not null,
    idem_key        varchar(255) not null,
    request_hash    varchar(64)  not null,
    response_status int,
    response_body   text,
    created_at      timestamptz  not null,
    primary key (user_id, idem_key)
);

create index idempotency_keys_created on idempotency_keys (created_at);
