-- Dead letters kept for operators (cn.chuanyu.audit.ops): every message that reached a consumer's .dlq, with why,
-- until an operator replays or discards it. Not part of the audit trail (the operator actions are).
create table dead_letter (
    id               uuid        primary key,
    seq              bigint      generated always as identity unique,
    delivery_key     text        not null unique,  -- the same dead-lettering delivered twice is kept once
    queue            text        not null,
    event_id         text,
    type             text,
    exchange_id      text,
    correlation_id   text,
    reason           text,
    attempts         integer     not null default 0,
    dead_lettered_at timestamptz not null,
    kept_at          timestamptz not null default now(),
    message_id       text,
    content_type     text,
    body             bytea       not null,
    headers          jsonb       not null,
    state            text        not null default 'PENDING' check (state in ('PENDING', 'REPLAYED', 'DISCARDED')),
    acted_at         timestamptz,
    acted_by         text,
    discard_reason   text
);
create index dead_letter_queue on dead_letter (queue, seq);
create index dead_letter_type on dead_letter (type, seq);
create index dead_letter_exchange on dead_letter (exchange_id, seq);
create index dead_letter_correlation on dead_letter (correlation_id);
create index dead_letter_time on dead_letter (dead_lettered_at);
create index dead_letter_acted on dead_letter (acted_at) where acted_at is not null;
