-- Evidence packages sealed in evidence-exchange-service, learnt from its evidence.sealed events, so completing an
-- assistance request can check the package it names without calling that service.
create table sealed_package (
    id          uuid primary key,
    from_agency text        not null,
    to_agency   text        not null,
    sealed_at   timestamptz not null
);
