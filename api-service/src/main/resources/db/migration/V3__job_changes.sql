-- Every change of a job a user can see, for live status (Server-Sent Events). user_seq comes from the
-- user's row in live_sequences, whose row lock is held to commit: each user's sequence is gapless and in
-- commit order, so a client resumes with Last-Event-ID = the last user_seq it got. tx lets each API
-- replica read every committed row exactly once.
create table live_sequences (
    user_id  varchar(128) primary key,
    last_seq bigint       not null
);

create table job_changes (
    id         bigserial primary key,
    user_id    varchar(128) not null,
    user_seq   bigint       not null,
    tx         xid8         not null default pg_current_xact_id(),
    job_id     uuid         not null,
    change     varchar(32)  not null,
    payload    text         not null,
    created_at timestamptz  not null,
    constraint job_changes_user_seq unique (user_id, user_seq)
);

create index job_changes_tx on job_changes (tx);
create index job_changes_created_at on job_changes (created_at);

-- Single-use, short-lived tickets that let a browser's EventSource (which cannot send headers)
-- open the stream without putting a long-lived token in a URL. Only a hash is stored.
create table stream_tickets (
    ticket_hash varchar(64) primary key,
    user_id     varchar(128) not null,
    expires_at  timestamptz  not null
);
