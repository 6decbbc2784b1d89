-- Two regions (issue 15, docs/two-regions.md). A package whose recipient is in the other region has a row in
-- package_link on both nodes: ORIGIN where it was sealed, DESTINATION where the recipient's replica lives. The
-- replica is RELAYING until every item's content arrived over the mutual-TLS link and matched the manifest.

create table package_link (
    package_id     uuid primary key references evidence_package (id),
    role           text        not null check (role in ('ORIGIN', 'DESTINATION')),
    peer_region    text        not null,
    -- sha256:<base64> of the evidence.sealed event's canonical content (DeliveryEvidenceNotes.contentDigest)
    content_digest text        not null,
    -- the last cy-link-seq this node sent for the package, and the last one it applied from the peer
    out_seq        bigint      not null default 0,
    in_seq         bigint      not null default 0,
    created_at     timestamptz not null
);

-- Events from the peer that arrived before an earlier one of the same package: applied once the gap is filled.
create table link_pending (
    subject     text        not null,
    seq         bigint      not null,
    event_id    uuid        not null,
    payload     text        not null,
    received_at timestamptz not null,
    primary key (subject, seq)
);

-- The content of a replica's items as it is fetched; the bytes so far live in the store as a partial upload.
create table relay_item (
    package_id       uuid        not null references evidence_package (id),
    name             text        not null,
    sha256           text        not null,
    size             bigint      not null,
    state            text        not null check (state in ('FETCHING', 'VERIFIED', 'FAILED')),
    attempts         integer     not null default 0,
    mismatches       integer     not null default 0,
    last_range_start bigint,
    last_error       text,
    next_attempt_at  timestamptz not null,
    verified_at      timestamptz,
    primary key (package_id, name)
);
create index relay_item_due on relay_item (next_attempt_at) where state = 'FETCHING';

-- Signed delivery evidences of packages: issued here, or issued by the peer and verified with its pinned key.
create table delivery_evidence (
    package_id uuid        not null references evidence_package (id),
    type       text        not null,
    issuer     text        not null,
    time       timestamptz not null,
    note       text        not null,
    primary key (package_id, type, issuer)
);
