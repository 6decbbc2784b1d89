-- Evidence packages: the lifecycle (OPEN -> SEALED) and items arrive with the evidence-exchange capability.
create table evidence_package (
    id          uuid primary key,
    title       text        not null,
    from_agency text        not null,
    to_agency   text        not null,
    state       text        not null,
    created_at  timestamptz not null
);
