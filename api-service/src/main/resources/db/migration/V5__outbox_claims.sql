-- The relay claims rows for a lease instead of holding row locks while it waits for Kafka (OutboxClaims): a row is
-- claimable when claimed_until is null or past. A claim takes a job's rows only in id order (message_key = job id).
alter table outbox add column claimed_until timestamptz;
create index outbox_message_key_id on outbox (message_key, id);
