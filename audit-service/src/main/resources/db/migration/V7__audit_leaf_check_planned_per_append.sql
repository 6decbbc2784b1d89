-- V6's check ran as a static PL/pgSQL statement, whose plan PL/pgSQL keeps for the connection's life. Planned while
-- audit_entry was small (a hash anti-join over a sequential scan of audit_entry), that plan stayed in use as the log
-- grew: every append then read the whole table (21 ms per append at 60,000 entries in bench/run.sh with
-- auto_explain, 2026-12-02, and growing with the log). EXECUTE plans the check at each append, with the table's
-- size of the moment: a primary-key probe per leaf once the log is large.
create or replace function audit_leaf_names_entries() returns trigger language plpgsql as $$
declare
    missing boolean;
begin
    execute 'select exists (select from new_leaves l where not exists '
        || '(select from audit_entry e where e.seq = l.seq))' into missing;
    if missing then
        raise exception 'every audit_leaf row must name a stored audit entry' using errcode = 'foreign_key_violation';
    end if;
    return null;
end;
$$;
