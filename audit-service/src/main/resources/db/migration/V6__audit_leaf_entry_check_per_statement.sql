-- audit_leaf's foreign key cost appends about a third of their database time: PostgreSQL checks it once per leaf
-- with a lookup that also locks the entry row (a heap write and a WAL record per leaf). Entries can never be updated
-- or deleted (V1's triggers, V5's rights), so that lock guards nothing. What the key said, that every leaf names a
-- stored entry, is now checked once per insert statement, over all its leaves together.
alter table audit_leaf drop constraint if exists audit_leaf_seq_fkey;

create function audit_leaf_names_entries() returns trigger language plpgsql as $$
begin
    if exists (select from new_leaves l where not exists (select from audit_entry e where e.seq = l.seq)) then
        raise exception 'every audit_leaf row must name a stored audit entry' using errcode = 'foreign_key_violation';
    end if;
    return null;
end;
$$;
create trigger audit_leaf_names_entries after insert on audit_leaf referencing new table as new_leaves
    for each statement execute function audit_leaf_names_entries();
