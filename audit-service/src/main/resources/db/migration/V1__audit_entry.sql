create table audit_entry (
    seq            bigint generated always as identity primary key,
    event_id       text        not null unique,
    type           text        not null,
    source         text        not null,
    exchange_id    text        not null,
    from_agency    text,
    to_agency      text,
    correlation_id text,
    occurred_at    timestamptz not null,
    recorded_at    timestamptz not null default now(),
    envelope       text        not null  -- the event as received, for verification and replay
);
create index audit_entry_exchange on audit_entry (exchange_id, seq);

-- Append-only: the trail is evidence; nothing may rewrite or remove an entry.
create function audit_entry_append_only() returns trigger language plpgsql as $$
begin
    raise exception 'audit entries are append-only (% refused)', tg_op;
end;
$$;
create trigger audit_entry_no_update before update or delete on audit_entry
    for each row execute function audit_entry_append_only();
create trigger audit_entry_no_truncate before truncate on audit_entry
    for each statement execute function audit_entry_append_only();
