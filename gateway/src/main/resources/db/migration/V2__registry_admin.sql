-- Agency registry administration: suspension, key audit fields and client-certificate subjects for mutual TLS.
alter table principal add column suspended_at timestamptz;
alter table principal add column suspension_reason text;
-- As given (RFC 2253) for display, and canonical (RFC 2253 canonical form: case and spacing folded) for matching.
alter table principal add column client_cert_subject text;
alter table principal add column client_cert_subject_canonical text unique;

alter table api_key add column created_by text;
alter table api_key add column revoked_by text;
