-- Responses of successful POSTs by (caller, Idempotency-Key), stored in the transaction of the change itself.
create table idempotency_record (
    caller_id       text        not null,
    idempotency_key text        not null,
    request_hash    text        not null,
    status          integer     not null,
    content_type    text,
    location        text,
    etag            text,
    body            bytea       not null,
    created_at      timestamptz not null default now(),
    primary key (caller_id, idempotency_key)
);
create index idempotency_record_created on idempotency_record (created_at);
