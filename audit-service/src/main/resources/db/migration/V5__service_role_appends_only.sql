-- The service runs as its own login role (the launch recipe's <instance>_audit), migrations as the schema's owner.
-- The recipe's default privileges give the service role select, insert, update and delete on the owner's tables; on
-- the log it may only add and read. Not being the owner, it can neither alter the tables nor disable their
-- triggers. Where the service runs as the owner itself (a developer's superuser) nothing changes here.
do $$
begin
    if '${service_role}' <> current_user and exists (select from pg_roles where rolname = '${service_role}') then
        execute format('revoke update, delete, truncate, references, trigger on audit_entry, audit_leaf, merkle_node, '
            || 'tree_head from %I', '${service_role}');
    end if;
end
$$;
