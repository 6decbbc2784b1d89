-- What went wrong with a delivery, for operators only; agencies see last_error, which is now a generic reason
-- (issue 13: refusals, connect errors and timeouts told an agency what listens inside the platform's network).
alter table webhook_delivery add column last_error_detail text;
update webhook_delivery set last_error_detail = last_error, last_error = 'delivery failed'
where last_error is not null and last_error <> 'webhook deleted';
