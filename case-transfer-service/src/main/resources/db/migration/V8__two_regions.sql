-- Two regions (docs/two-regions.md). An exchange whose recipient is served by the other region's node is decided by
-- the node where it was submitted (its origin); the recipient's node keeps a replica with the same id.
-- origin_region: null when this node decides the exchange, else the region whose node does (a replica).
alter table case_transfer add column origin_region text;
alter table assistance_request add column origin_region text;
-- A replica may name a transfer whose own replica has not arrived yet (exchanges are ordered each on its own, not
-- among each other): parties are checked where the request is submitted, at its origin.
alter table assistance_request drop constraint if exists assistance_request_case_transfer_id_fkey;

-- The link sequence of each exchange this node sends over the link: cy-link-seq = 1, 2, 3 ... per exchange.
create table link_out (
    exchange_id text primary key,
    last_seq    bigint not null
);

-- What this node received over the link, per exchange: applied in cy-link-seq order; a later event waits in
-- link_pending until the earlier ones arrived. refused: a message that was dead-lettered (a forged evidence), whose
-- place in the sequence is passed over so the exchange's later events still apply.
create table link_in (
    exchange_id text primary key,
    applied_seq bigint not null
);
create table link_pending (
    exchange_id text        not null,
    seq         bigint      not null,
    event_id    text        not null,
    envelope    text,
    refused     text,
    received_at timestamptz not null default now(),
    primary key (exchange_id, seq)
);

-- A recipient's action on a replica, forwarded to the origin and not answered yet (the outcome, or a refusal).
create table forwarded_action (
    event_id     text primary key,
    exchange_id  text        not null,
    action       text        not null,
    actor        text        not null,
    requested_at timestamptz not null,
    resolved_at  timestamptz
);
create index forwarded_action_open on forwarded_action (exchange_id) where resolved_at is null;

-- Delivery evidences (issued here or received from the peer, verified) and the exchanges they are about.
create table evidence_exchange (
    exchange_id    text primary key,
    kind           text        not null,
    from_agency    text        not null,
    to_agency      text        not null,
    content_digest text        not null,
    -- ORIGIN: decided here, crossing to the peer; DESTINATION: a replica; LOCAL: both parties here
    role           text        not null check (role in ('ORIGIN', 'DESTINATION', 'LOCAL')),
    created_at     timestamptz not null
);
create table delivery_evidence (
    exchange_id text        not null,
    type        text        not null,
    issuer      text        not null,
    time        timestamptz not null,
    note        text        not null,
    primary key (exchange_id, type, issuer)
);
