-- The operators' flow view counts entries recorded in the last window, every few seconds per open console.
create index audit_entry_recorded on audit_entry (recorded_at);
