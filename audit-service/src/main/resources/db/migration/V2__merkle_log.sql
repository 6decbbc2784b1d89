-- The audit trail becomes an RFC 9162 Merkle log (see cn.chuanyu.audit.log).

-- seq is now handed out by the single log writer under an advisory lock (highest + 1), so it has no gaps from
-- rolled-back transactions; for every entry recorded from now on, leaf index = seq - 1.
alter table audit_entry alter column seq drop identity if exists;

-- Completeness: the producer's gapless number of the event (cy-producer / cy-producer-seq headers).
alter table audit_entry add column producer text;
alter table audit_entry add column producer_seq bigint;
create index audit_entry_producer on audit_entry (producer, producer_seq) where producer is not null;

-- Search.
create index audit_entry_type on audit_entry (type, seq);
create index audit_entry_from_agency on audit_entry (from_agency, seq);
create index audit_entry_to_agency on audit_entry (to_agency, seq);
create index audit_entry_correlation on audit_entry (correlation_id, seq);
create index audit_entry_occurred on audit_entry (occurred_at, seq);
create index audit_entry_case_number on audit_entry (((envelope::jsonb) -> 'data' ->> 'caseNumber'), seq);

-- Leaf index of each entry: 0, 1, 2, ... without gaps (checked by the primary key and the writer).
create table audit_leaf (
    leaf_index bigint primary key check (leaf_index >= 0),
    seq        bigint not null unique references audit_entry (seq)
);

-- Every complete subtree: the hash of leaves [idx * 2^level, (idx + 1) * 2^level). Level 0 holds the leaf hashes
-- SHA-256(0x00 || canonical entry bytes). Proofs are served from these without rehashing the log.
create table merkle_node (
    level smallint not null check (level between 0 and 62),
    idx   bigint   not null check (idx >= 0),
    hash  bytea    not null check (length(hash) = 32),
    primary key (level, idx)
);

-- Signed tree heads, one per tree size (the first signing of that size).
create table tree_head (
    tree_size  bigint      primary key check (tree_size >= 0),
    root_hash  bytea       not null check (length(root_hash) = 32),
    signed_at  timestamptz not null,
    checkpoint text        not null
);

-- Append-only, like the entries: nothing may rewrite or remove a leaf, a node or a signed head.
create function audit_log_append_only() returns trigger language plpgsql as $$
begin
    raise exception '% is append-only (% refused)', tg_table_name, tg_op;
end;
$$;
create trigger audit_leaf_no_update before update or delete on audit_leaf
    for each row execute function audit_log_append_only();
create trigger audit_leaf_no_truncate before truncate on audit_leaf
    for each statement execute function audit_log_append_only();
create trigger merkle_node_no_update before update or delete on merkle_node
    for each row execute function audit_log_append_only();
create trigger merkle_node_no_truncate before truncate on merkle_node
    for each statement execute function audit_log_append_only();
create trigger tree_head_no_update before update or delete on tree_head
    for each row execute function audit_log_append_only();
create trigger tree_head_no_truncate before truncate on tree_head
    for each statement execute function audit_log_append_only();
