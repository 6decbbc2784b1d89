-- The agencies this service knows of, fed by agency.registered events (as in case-transfer-service).
create table agency (
    id            text primary key,
    name          text        not null,
    region        text        not null,
    kind          text        not null,
    registered_at timestamptz not null default now()
);

-- Lifecycle OPEN -> SEALED; the seal keeps the exact signed manifest bytes and the key that signed them.
alter table evidence_package
    add column case_transfer_id      uuid,
    add column assistance_request_id uuid,
    add column updated_at            timestamptz,
    add column sealed_at             timestamptz,
    add column manifest              text,
    add column manifest_sha256       text,
    add column signature             text,
    add column signing_key_id        text,
    add column signing_public_key    text,
    add column last_receipt_at       timestamptz,
    add column last_receipt_result   text,
    add column version               integer not null default 0;
update evidence_package set updated_at = created_at where updated_at is null;
alter table evidence_package alter column updated_at set not null;
create index evidence_package_outgoing on evidence_package (from_agency, created_at desc, id desc);
create index evidence_package_incoming on evidence_package (to_agency, created_at desc, id desc);

-- Items point at content-addressed objects in the store by their SHA-256 (lowercase hex).
create table evidence_item (
    package_id   uuid        not null references evidence_package (id),
    name         text        not null,
    size         bigint      not null,
    sha256       text        not null,
    content_type text        not null,
    added_by     text        not null,
    added_at     timestamptz not null,
    primary key (package_id, name)
);

-- Resumable (tus) uploads; the bytes received so far live in the store, their count is the upload offset.
create table evidence_upload (
    id              uuid primary key,
    package_id      uuid        not null references evidence_package (id),
    file_name       text        not null,
    length          bigint      not null,
    content_type    text        not null,
    expected_sha256 text,
    created_by      text        not null,
    created_at      timestamptz not null,
    completed_at    timestamptz,
    sha256          text
);
create index evidence_upload_package on evidence_upload (package_id);

-- The chain of custody as both parties list it; each row is also an event in the outbox (same event id).
create table custody_event (
    seq         bigserial primary key,
    event_id    uuid        not null unique,
    package_id  uuid        not null references evidence_package (id),
    type        text        not null,
    actor       text        not null,
    occurred_at timestamptz not null,
    data        text        not null
);
create index custody_event_package on custody_event (package_id, seq);
