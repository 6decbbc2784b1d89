alter table case_transfer
    add column decision_due_at timestamptz,
    add column decided_at      timestamptz,
    add column decision_note   text,
    add column overdue_raised  boolean not null default false;
update case_transfer set decision_due_at = created_at + interval '15 days' where decision_due_at is null;
alter table case_transfer alter column decision_due_at set not null;
create index case_transfer_overdue on case_transfer (decision_due_at) where state = 'SUBMITTED' and not overdue_raised;
