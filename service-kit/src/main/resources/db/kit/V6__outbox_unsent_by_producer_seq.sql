-- The relay takes due rows in producer_seq order (OutboxRelay.DUE_ROWS). Sent rows stay in the table, and the only
-- index in that order (outbox_event_producer_seq) holds them too, so every pass walked past every row ever sent
-- before reaching the first unsent one: 6-9 ms of PostgreSQL per pass at 31,000 rows in bench/run.sh's statement
-- profile (2026-12-02), growing with the table. This index holds the unsent rows only.
create index outbox_event_unsent_by_producer_seq on outbox_event (producer_seq)
    where sent_at is null and producer_seq is not null;
