-- Suspension reaches the services (agency.suspended / agency.reactivated): a suspended agency is refused as a
-- recipient. state_changed_at is the time of the event applied last, so an older event arriving late is ignored.
alter table agency
    add column state            text        not null default 'ACTIVE' check (state in ('ACTIVE', 'SUSPENDED')),
    add column suspended_at     timestamptz,
    add column state_changed_at timestamptz;
