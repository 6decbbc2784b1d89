create table inbox_entry (
    seq            bigint generated always as identity primary key,
    agency_id      text        not null,
    event_id       text        not null,
    type           text        not null,
    exchange_id    text        not null,
    from_agency    text,
    to_agency      text,
    correlation_id text,
    occurred_at    timestamptz not null,
    envelope       text        not null,
    unique (agency_id, event_id)
);
create index inbox_entry_agency on inbox_entry (agency_id, seq);

create table webhook (
    id          uuid primary key,
    agency_id   text        not null,
    url         text        not null,
    description text,
    secret      text        not null,  -- shared HMAC key; needed in clear to sign deliveries
    created_at  timestamptz not null,
    deleted_at  timestamptz
);
create index webhook_agency on webhook (agency_id) where deleted_at is null;

create table webhook_delivery (
    id              uuid primary key,
    webhook_id      uuid        not null references webhook (id),
    agency_id       text        not null,
    event_id        text        not null,
    event_type      text        not null,
    payload         text        not null,
    state           text        not null check (state in ('PENDING', 'DELIVERED', 'FAILED')),
    attempts        integer     not null default 0,
    next_attempt_at timestamptz not null,
    last_status     integer,
    last_error      text,
    created_at      timestamptz not null,
    delivered_at    timestamptz
);
create index webhook_delivery_due on webhook_delivery (next_attempt_at) where state = 'PENDING';
create index webhook_delivery_webhook on webhook_delivery (webhook_id, created_at desc);
