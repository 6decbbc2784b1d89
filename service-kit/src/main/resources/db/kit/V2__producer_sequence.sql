-- Completeness: a producer (one service; all its instances share this database) numbers the events it publishes
-- 1, 2, 3, ... without gaps. The relay numbers pending rows in a short transaction of its own, under the lock of
-- the producer's counter row, before their first publish; a row keeps its number through every retry, so the
-- audit trail can name the numbers that never arrived.
alter table outbox_event add column producer_seq bigint;
create unique index outbox_event_producer_seq on outbox_event (producer_seq) where producer_seq is not null;
create index outbox_event_unnumbered on outbox_event (seq) where sent_at is null and producer_seq is null;

create table producer_counter (
    source   text   primary key,
    last_seq bigint not null check (last_seq >= 0)
);
