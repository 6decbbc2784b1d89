-- Transactional outbox: one row per event, written in the transaction of the change that caused it.
create table outbox_event (
    seq             bigserial primary key,
    event_id        uuid        not null unique,
    exchange        text        not null,
    routing_key     text        not null,
    payload         text        not null,  -- the JSON envelope exactly as it will be published
    created_at      timestamptz not null default now(),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null default now(),
    last_error      text,
    sent_at         timestamptz
);
create index outbox_event_pending on outbox_event (next_attempt_at, seq) where sent_at is null;

-- Idempotent consumer: an event's effect and its row here commit together.
create table processed_event (
    consumer     text        not null,
    event_id     text        not null,
    processed_at timestamptz not null default now(),
    primary key (consumer, event_id)
);
