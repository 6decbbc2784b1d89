create table agency (
    id            text primary key,
    name          text        not null,
    region        text        not null,
    kind          text        not null,
    registered_at timestamptz not null default now()
);

create table case_transfer (
    id          uuid primary key,
    case_number text        not null,
    title       text        not null,
    case_type   text        not null,
    from_agency text        not null,
    to_agency   text        not null,
    reason      text        not null,
    summary     text,
    state       text        not null,
    created_at  timestamptz not null,
    updated_at  timestamptz not null,
    version     integer     not null default 0
);
create index case_transfer_outgoing on case_transfer (from_agency, created_at desc, id);
create index case_transfer_incoming on case_transfer (to_agency, created_at desc, id);
