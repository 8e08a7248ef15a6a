-- Per-user request counts in fixed one-minute windows, shared by every API replica.
create table rate_windows (
    user_id      varchar(128) not null,
    action       varchar(32)  not null,
    window_start timestamptz  not null,
    hits         int          not null,
    primary key (user_id, action, window_start)
);

create index rate_windows_window_start on rate_windows (window_start);
