create table assistance_request (
    id                  uuid primary key,
    type                text        not null,
    from_agency         text        not null,
    to_agency           text        not null,
    subject             text        not null,
    details             text        not null,
    case_transfer_id    uuid references case_transfer (id),
    due_at              timestamptz not null,
    state               text        not null,
    result              text,
    evidence_package_id uuid,
    decline_reason      text,
    acknowledged_at     timestamptz,
    closed_at           timestamptz,
    overdue_raised      boolean     not null default false,
    created_at          timestamptz not null,
    updated_at          timestamptz not null,
    version             integer     not null default 0
);
create index assistance_outgoing on assistance_request (from_agency, created_at desc, id);
create index assistance_incoming on assistance_request (to_agency, created_at desc, id);
create index assistance_overdue on assistance_request (due_at)
    where state in ('SUBMITTED', 'ACKNOWLEDGED') and not overdue_raised;
