-- Everyone who may call the gateway: agencies, operators, auditors.
create table principal (
    id         text primary key,
    name       text        not null,
    role       text        not null check (role in ('AGENCY', 'OPERATOR', 'AUDITOR')),
    region     text check (region in ('SC', 'CQ')),
    kind       text check (kind in ('COURT', 'PROCURATORATE', 'PUBLIC_SECURITY', 'JUSTICE_BUREAU')),
    status     text        not null default 'ACTIVE' check (status in ('ACTIVE', 'SUSPENDED')),
    created_at timestamptz not null default now(),
    check (role <> 'AGENCY' or (region is not null and kind is not null))
);

-- API keys, stored only as SHA-256 hashes; several per principal so keys can be rotated without downtime.
create table api_key (
    id           text primary key,
    principal_id text        not null references principal (id),
    key_hash     text        not null unique,
    created_at   timestamptz not null default now(),
    expires_at   timestamptz,
    revoked_at   timestamptz
);
create index api_key_principal on api_key (principal_id);
